"""hypothesis: the expression evaluator and the plan loader take generated input; nothing but the tool's own
input error (HclSyntaxError / InputErrorException) escapes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ddblint.loaders.hcl import HclSyntaxError, parse_hcl
from ddblint.loaders.terraform import InputErrorException
from ddblint.model.evaluate import evaluate
from ddblint.model.values import UNKNOWN, JsonText, RefValue, Symbolic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ATOMS = st.sampled_from(
    [
        '"s"',
        '"${var.x}"',
        "1",
        "-2.5",
        "true",
        "null",
        "var.x",
        "local.y",
        "aws_iam_role.r.arn",
        "each.key",
        "count.index",
        "[]",
        "{}",
        "path.module",
        "data.aws_caller_identity.c.account_id",
        '"%{if true}a%{endif}"',
    ]
)
FUNCTIONS = st.sampled_from(
    [
        "jsonencode",
        "jsondecode",
        "length",
        "lookup",
        "merge",
        "concat",
        "format",
        "join",
        "split",
        "element",
        "file",
        "templatefile",
        "try",
        "can",
        "upper",
        "tolist",
        "toset",
        "keys",
        "values",
        "flatten",
        "coalesce",
        "replace",
        "substr",
        "cidrsubnet",
        "max",
        "min",
        "abs",
        "zipmap",
        "formatlist",
        "unknownfn",
    ]
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%", "==", "&&", "||", "<"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(FUNCTIONS, st.lists(children, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.lists(children, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
        st.lists(st.tuples(st.sampled_from(["a", "b", '"k"']), children), max_size=3).map(
            lambda pairs: "{" + ", ".join(f"{k} = {v}" for k, v in pairs) + "}"
        ),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        children.map(lambda c: f"{c}[*].x"),
        children.map(lambda c: f"[for v in {c} : v]"),
        children.map(lambda c: f"{{for k, v in {c} : k => v}}"),
        children.map(lambda c: f"!{c}"),
        children.map(lambda c: f'"pre-${{{c}}}-post"'),
    )


EXPRESSIONS = st.recursive(ATOMS, _combine, max_leaves=12)


class _Scope:
    def lookup(self, name: str) -> object:
        return {"var": {"x": "v"}, "local": {"y": [1, 2]}}.get(name, UNKNOWN)

    def read_file(self, path: object) -> object:
        return UNKNOWN


def assert_model_value(value: object) -> None:
    """`value` is what the model holds: plain data, UNKNOWN, RefValue, Symbolic or JsonText, nested; no parse
    nodes, no Python objects of the evaluator's own."""
    if value is UNKNOWN or value is None or isinstance(value, bool | int | float | str | RefValue):
        return
    if isinstance(value, Symbolic):
        assert all(part is UNKNOWN or isinstance(part, str | RefValue) for part in value.parts), value.parts
    elif isinstance(value, JsonText):
        assert_model_value(value.value)
    elif isinstance(value, dict):
        assert all(isinstance(key, str) for key in value), list(value)
        for item in value.values():
            assert_model_value(item)
    elif isinstance(value, list | tuple):
        for item in value:
            assert_model_value(item)
    else:
        raise AssertionError(f"the evaluator returned a {type(value).__name__}: {value!r}")


@FAST
@given(EXPRESSIONS)
def test_evaluator_never_raises(expression: str) -> None:
    try:
        body = parse_hcl(f"locals {{\n  x = {expression}\n}}\n", "gen.tf")
    except HclSyntaxError:
        return
    assert_model_value(evaluate(body.blocks[0].body.attributes["x"].expr, _Scope()))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=10,
)
PLAN_KEYS = st.sampled_from(
    [
        "format_version",
        "terraform_version",
        "planned_values",
        "resource_changes",
        "configuration",
        "variables",
        "prior_state",
        "root_module",
        "resources",
        "child_modules",
        "address",
        "change",
        "after",
        "after_unknown",
        "after_sensitive",
        "actions",
        "values",
        "sensitive",
        "module_address",
        "mode",
        "type",
        "name",
        "index",
    ]
)
PLAN_LIKE = st.recursive(
    JSON_VALUES | st.sampled_from(["1.2", "0.1", "2.0", "managed", "create", ["create"], ["delete", "create"]]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(PLAN_KEYS, children, max_size=5),
    max_leaves=25,
)


@FAST
@given(PLAN_LIKE, st.sampled_from(["1.0", "1.2", "0.2", None]))
def test_plan_loader_never_raises(value: object, version: str | None) -> None:
    from ddblint.loaders.plan import known_values, planned_keys, read_plan

    if isinstance(value, dict) and version is not None:
        value = {**value, "format_version": version}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "plan.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        try:
            plan = read_plan(path, "plan.json")
        except InputErrorException as error:
            assert error.error.file == "plan.json"
            return
        known_values(plan)
        planned_keys(plan)

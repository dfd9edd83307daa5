"""Property tests: malformed input gives a parse error (or a finding), never a crash."""

from __future__ import annotations

import json
from pathlib import Path

from ddblint.check import run_check
from ddblint.config import Config
from ddblint.findings import Location
from ddblint.loaders.hcl import HclSyntaxError, parse_hcl
from ddblint.loaders.iam_json import JsonWithLinesError, loads_with_lines
from ddblint.model import Model
from ddblint.model.policy import Tri, build_document, documents_allow
from ddblint.model.values import UNKNOWN, RefValue, Symbolic
from ddblint.rules import all_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

VALID_HCL = """\
locals {
  name = "app-${var.env}"
  n    = 1 + 2 * 3
}

resource "aws_iam_policy" "p" {
  count  = var.on ? 1 : 0
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for a in ["dynamodb:GetItem"] : { Effect = "Allow", Action = a, Resource = "*" }]
  })
  tags = { for k, v in var.tags : k => upper(v) }
  list = aws_dynamodb_table.t[*].arn
  doc  = <<-EOT
    {"a": "${local.name}"}
    EOT
}
"""

HCL_ALPHABET = st.sampled_from([*list('{}[]()"=:,.\n $%<>-!?*#/\\ax1'), "${", "%{", "<<EOT\n", "EOT", "=>", "..."])


def must_parse_or_syntax_error(text: str) -> None:
    try:
        parse_hcl(text, "fuzz.tf")
    except HclSyntaxError as error:
        assert error.line >= 1
        assert isinstance(error.message, str)


@FAST
@given(st.text(max_size=200))
def test_random_text_into_parse_hcl(text: str) -> None:
    must_parse_or_syntax_error(text)


@FAST
@given(st.lists(HCL_ALPHABET, max_size=60).map("".join))
def test_hcl_token_soup_into_parse_hcl(text: str) -> None:
    must_parse_or_syntax_error(text)


@FAST
@given(st.data())
def test_mutated_valid_hcl_into_parse_hcl(data: st.DataObject) -> None:
    text = VALID_HCL
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(text)))
        kind = data.draw(st.sampled_from(["delete", "insert", "replace", "truncate"]))
        if kind == "delete":
            end = data.draw(st.integers(position, min(len(text), position + 8)))
            text = text[:position] + text[end:]
        elif kind == "insert":
            text = text[:position] + data.draw(HCL_ALPHABET) + text[position:]
        elif kind == "replace" and position < len(text):
            text = text[:position] + data.draw(HCL_ALPHABET) + text[position + 1 :]
        else:
            text = text[:position]
    must_parse_or_syntax_error(text)


JSON_ALPHABET = st.sampled_from([*list('{}[]:,"\\ \n0123456789.-+eEtrufalsn'), "true", "null", '"a"', '"Statement"'])


@FAST
@given(st.one_of(st.text(max_size=200), st.lists(JSON_ALPHABET, max_size=80).map("".join)))
def test_json_ish_text_into_loads_with_lines(text: str) -> None:
    try:
        loads_with_lines(text)
    except JsonWithLinesError as error:
        assert error.line >= 1


def test_deep_json_nesting_is_an_error() -> None:
    try:
        loads_with_lines("[" * 5000 + "]" * 5000)
    except JsonWithLinesError as error:
        assert error.line == 1
    else:
        raise AssertionError("expected JsonWithLinesError")


# -- policy-shaped values ---------------------------------------------------------------------------------
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["*", "dynamodb:*", "dynamodb:GetRecords", "s3:Get*", "Allow", "Deny", "allow", "", "arn:aws:*", "x:y:z"]
    ),
    st.text(max_size=12),
)
SYMBOLIC = st.sampled_from(
    [UNKNOWN, RefValue("aws_dynamodb_table.t", "arn"), Symbolic((RefValue("aws_dynamodb_table.t", "arn"), "/stream/*"))]
)
GARBAGE = st.recursive(
    st.one_of(SCALARS, SYMBOLIC),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)
STRINGS_OR_LISTS = st.one_of(GARBAGE, st.lists(GARBAGE, max_size=3))
STATEMENT = st.fixed_dictionaries(
    {},
    optional={
        "Sid": GARBAGE,
        "Effect": st.one_of(st.sampled_from(["Allow", "Deny", "Maybe"]), GARBAGE),
        "Action": STRINGS_OR_LISTS,
        "NotAction": STRINGS_OR_LISTS,
        "Resource": STRINGS_OR_LISTS,
        "NotResource": STRINGS_OR_LISTS,
        "Principal": GARBAGE,
        "Condition": GARBAGE,
    },
)
POLICY = st.one_of(
    st.fixed_dictionaries(
        {"Statement": st.one_of(STATEMENT, st.lists(st.one_of(STATEMENT, GARBAGE), max_size=4), GARBAGE)},
        optional={"Version": st.one_of(st.just("2012-10-17"), GARBAGE), "Id": GARBAGE},
    ),
    GARBAGE,
)


@FAST
@given(POLICY)
def test_build_document_and_documents_allow_never_raise(value: object) -> None:
    location = Location("fuzz.json", 1)
    document = build_document(value, "fuzz", location)
    assert (document.origin, document.location) == ("fuzz", location)
    for target in ("arn:aws:dynamodb:us-east-1:1:table/t/stream/2024", RefValue("aws_dynamodb_table.t", "stream_arn")):
        assert isinstance(documents_allow(None, [document], "dynamodb:GetRecords", target), Tri)


PLAIN_POLICY = st.fixed_dictionaries(
    {
        "Statement": st.one_of(
            st.lists(
                st.dictionaries(
                    st.sampled_from(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]),
                    st.recursive(
                        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.just("*")),
                        lambda inner: st.one_of(
                            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=2)
                        ),
                        max_leaves=6,
                    ),
                    max_size=5,
                ),
                max_size=3,
            ),
            st.dictionaries(st.sampled_from(["Effect", "Action", "Resource"]), st.text(max_size=10), max_size=3),
            st.text(max_size=5),
        )
    },
    optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17", "", "x"])},
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PLAIN_POLICY)
def test_iam_rules_on_standalone_json_never_crash(tmp_path: Path, policy: dict) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy, indent=2), encoding="utf-8")
    result = run_check([path], root=tmp_path, config=Config())
    internal = [e for e in result.report.errors if "internal error" in e.message]
    assert internal == [], internal


@FAST
@given(POLICY)
def test_iam_rules_on_generated_documents_never_raise(value: object) -> None:
    model = Model(root_dir=Path("/nonexistent"), module_dir=".")
    model.standalone_documents.append(build_document(value, "fuzz.json", Location("fuzz.json", 1)))
    rules = all_rules()
    assert {rule.id for rule in rules if rule.id.startswith("IAM")} == {f"IAM10{n}" for n in range(1, 9)}
    for rule in rules:
        if rule.checks_model:  # the DDB rules are reported by the pipeline, not run on a model
            list(rule.run(model, dict(rule.options)))

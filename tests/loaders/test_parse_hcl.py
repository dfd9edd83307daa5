"""parse_hcl: structure, line numbers and expression syntax (evaluated with a tiny scope)."""

from __future__ import annotations

import pytest
from ddblint.loaders.hcl import HclSyntaxError, parse_hcl
from ddblint.model.evaluate import evaluate
from ddblint.model.expressions import BinaryOp, Conditional, ForExpr, GetAttr, Splat, Template, Variable
from ddblint.model.values import UNKNOWN


class DictScope:
    def __init__(self, **names: object) -> None:
        self.names = names

    def lookup(self, name: str) -> object:
        return self.names.get(name, UNKNOWN)

    def read_file(self, path: object) -> object:
        return UNKNOWN


def value_of(source: str, **names: object) -> object:
    body = parse_hcl(f"x = {source}\n", "t.tf")
    return evaluate(body.attributes["x"].expr, DictScope(**names))


def test_block_and_attribute_lines() -> None:
    body = parse_hcl(
        '# comment\n\nresource "aws_iam_role" "r" {\n  name = "r"\n\n  tags = {\n    a = 1\n  }\n}\n'
        "\nlocals {\n  x = 1\n}\n",
        "main.tf",
    )
    role, locals_block = body.blocks
    assert (role.type, role.labels, role.file, role.line, role.end_line) == (
        "resource",
        ("aws_iam_role", "r"),
        "main.tf",
        3,
        9,
    )
    assert role.body.attributes["name"].line == 4
    assert role.body.attributes["tags"].line == 6
    assert (locals_block.line, locals_block.body.attributes["x"].line) == (11, 12)


def test_nested_block_lines() -> None:
    body = parse_hcl(
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:GetObject"]\n  }\n'
        "  statement {\n    actions = []\n  }\n}\n",
        "d.tf",
    )
    first, second = body.blocks[0].body.blocks
    assert (first.line, first.end_line, second.line) == (2, 4, 5)
    assert second.body.attributes["actions"].line == 6


def test_heredoc_with_interpolation() -> None:
    body = parse_hcl("x = <<EOT\nhello ${var.name}\n  bye\nEOT\n", "h.tf")
    expr = body.attributes["x"].expr
    assert isinstance(expr, Template)
    assert evaluate(expr, DictScope(var={"name": "bob"})) == "hello bob\n  bye\n"


def test_indented_heredoc_strips_common_indent() -> None:
    body = parse_hcl('x = <<-EOT\n    {\n      "a": "${var.v}"\n    }\n    EOT\n', "h.tf")
    assert evaluate(body.attributes["x"].expr, DictScope(var={"v": 1})) == '{\n  "a": "1"\n}\n'


def test_interpolation_line_inside_heredoc() -> None:
    body = parse_hcl("\nx = <<EOT\nline one\n${var.a}\nEOT\n", "h.tf")
    expr = body.attributes["x"].expr
    reference = next(part for part in expr.parts if not isinstance(part, str))
    assert reference.line == 4


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r'"a\tb"', "a\tb"),
        (r'"q\"q"', 'q"q'),
        (r'"back\\slash"', "back\\slash"),
        (r'"\u00e9\n"', "é\n"),
        ('"$${literal}"', "${literal}"),
        pytest.param(
            '"%%{literal}"',
            "%{literal}",
            marks=pytest.mark.xfail(strict=True, reason="hcl.py keeps the %%{ template-directive escape as is"),
        ),
    ],
)
def test_string_escapes(source: str, expected: str) -> None:
    assert value_of(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3 == 7", True),
        ("(1 + 2) * 3", 9),
        ("1 * 2 + 3", 5),
        ("10 - 4 - 3", 3),
        ("2 * 3 > 5 && 1 == 2 || true", True),
        ("!false && 1 < 2", True),
        ("-3 + 5", 2),
        ("7 % 4", 3),
    ],
)
def test_operator_precedence(source: str, expected: object) -> None:
    assert value_of(source) == expected


def test_precedence_shape() -> None:
    expr = parse_hcl("x = 1 + 2 * 3 == 7\n", "p.tf").attributes["x"].expr
    assert isinstance(expr, BinaryOp) and expr.op == "=="
    assert isinstance(expr.left, BinaryOp) and expr.left.op == "+"
    assert isinstance(expr.left.right, BinaryOp) and expr.left.right.op == "*"


def test_conditionals() -> None:
    assert value_of('var.env == "prod" ? 3 : 1', var={"env": "prod"}) == 3
    assert value_of('var.env == "prod" ? 3 : 1', var={"env": "dev"}) == 1
    expr = parse_hcl('x = var.a == null ? "none" : var.a\n', "c.tf").attributes["x"].expr
    assert isinstance(expr, Conditional)


def test_unknown_condition_stays_unknown() -> None:
    assert value_of("var.flag ? 1 : 2", var={}) is UNKNOWN


def test_for_expressions() -> None:
    names = {"var": {"l": ["a", "", "b"], "m": {"x": 1, "y": 2}}}
    assert value_of('[for s in var.l : upper(s) if s != ""]', **names) == ["A", "B"]
    assert value_of("{for k, v in var.m : k => v * 10}", **names) == {"x": 10, "y": 20}
    assert isinstance(parse_hcl("x = [for s in var.l : s]\n", "f.tf").attributes["x"].expr, ForExpr)


def test_splats() -> None:
    names = {"var": {"l": [{"id": 1}, {"id": 2}]}}
    assert value_of("var.l[*].id", **names) == [1, 2]
    assert value_of("var.l.*.id", **names) == [1, 2]
    expr = parse_hcl("x = var.l[*].id\n", "s.tf").attributes["x"].expr
    assert isinstance(expr, Splat) and expr.steps == (("attr", "id"),)


def test_references_stay_syntax() -> None:
    expr = parse_hcl("x = aws_dynamodb_table.t.arn\n", "r.tf").attributes["x"].expr
    assert expr == GetAttr(1, GetAttr(1, Variable(1, "aws_dynamodb_table"), "t"), "arn")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('resource "a" "b" {\n  x =\n}\n', 2),
        # An unclosed block or bracket is found where the file ends: the line after the last newline.
        ('resource "a" "b" {\n  x = 1\n', 3),
        ('x = "unterminated\n', 1),
        ("\n\n\nx = [1, 2\n", 5),
        ("x = <<EOT\nnever closed\n", 1),
    ],
)
def test_syntax_errors_carry_a_line(text: str, line: int) -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse_hcl(text, "bad.tf")
    assert caught.value.line == line
    assert caught.value.message


@pytest.mark.xfail(strict=True, reason="%{ if }/%{ for } template directives are kept as literal text")
def test_template_directive_is_not_literal_text() -> None:
    value = value_of('"%{ if var.on }yes%{ endif }"', var={"on": True})
    assert value in ("yes", UNKNOWN)

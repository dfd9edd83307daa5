"""Terraform's JSON configuration syntax (`*.tf.json`, `*.tfvars.json`) into the same Body/Block/Expr nodes.

The JSON syntax has no schema-free way to tell a nested block from an object-valued argument
(`"environment": {"variables": {...}}` is either). Without the provider schema we keep both readings: the key is
an attribute (an object expression) and, when its value is an object or a list of objects, also nested blocks.
Rules ask for `value("x")` or `blocks("x")` and each finds its reading. Strings are templates: `"${...}"`
interpolations are parsed as HCL expressions, with the line of the string they are in.
(https://developer.hashicorp.com/terraform/language/syntax/json)
"""

from __future__ import annotations

from ddblint.loaders.hcl import HclSyntaxError, parse_hcl, parse_template, relocate
from ddblint.loaders.json_lines import JsonWithLinesError, loads_with_lines
from ddblint.model.expressions import Attribute, Block, Body, Expr, Literal, ObjectExpr, Template, TupleExpr

# How many labels each top-level block type has.
_LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
    "moved": 0,
    "import": 0,
    "check": 1,
    "removed": 0,
    "ephemeral": 2,
}
# Attributes whose strings are expressions without `${}` in the JSON syntax.
_BARE_EXPRESSIONS = {"depends_on", "type", "providers", "provider"}


def parse_tf_json(text: str, file: str) -> Body:
    try:
        document = loads_with_lines(text)
    except JsonWithLinesError as error:
        raise HclSyntaxError(error.line, error.message) from None
    if not isinstance(document, dict):
        raise HclSyntaxError(1, "a Terraform JSON file must hold one object")
    return _Reader(file).top(document)


def parse_tfvars_json(text: str, file: str) -> Body:
    try:
        document = loads_with_lines(text)
    except JsonWithLinesError as error:
        raise HclSyntaxError(error.line, error.message) from None
    if not isinstance(document, dict):
        raise HclSyntaxError(1, "a .tfvars.json file must hold one object")
    reader = _Reader(file)
    line = getattr(document, "line", 1)
    attributes = {
        key: Attribute(key, reader.literal(value, _line_of(document, key, line)), _line_of(document, key, line))
        for key, value in document.items()
    }
    return Body(attributes, ())


def _line_of(container: object, key: object, default: int) -> int:
    lines = getattr(container, "lines", {})
    return lines.get(key, default) if isinstance(lines, dict) else default


class _Reader:
    def __init__(self, file: str):
        self.file = file

    def top(self, document: dict) -> Body:
        blocks: list[Block] = []
        for block_type, content in document.items():
            if block_type == "//":
                continue
            line = _line_of(document, block_type, getattr(document, "line", 1))
            blocks.extend(self.labelled(block_type, content, _LABELS.get(block_type, 0), (), line))
        return Body({}, tuple(blocks))

    def labelled(self, block_type: str, content: object, depth: int, labels: tuple, line: int) -> list[Block]:
        if depth == 0:
            items = content if isinstance(content, list) else [content]
            return [self.block(block_type, labels, item, line) for item in items if isinstance(item, dict)]
        if not isinstance(content, dict):
            raise HclSyntaxError(line, f"{block_type} block: expected an object of labels")
        blocks = []
        for label, inner in content.items():
            if label == "//":
                continue
            inner_line = _line_of(content, label, line)
            blocks.extend(self.labelled(block_type, inner, depth - 1, (*labels, label), inner_line))
        return blocks

    def block(self, block_type: str, labels: tuple, content: dict, line: int) -> Block:
        body = self.body(content, getattr(content, "line", line), locals_block=block_type == "locals")
        end_line = max([line, *(_line_of(content, k, line) for k in content)])
        return Block(block_type, labels, body, self.file, line, end_line)

    def body(self, content: dict, line: int, locals_block: bool = False) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for key, value in content.items():
            if key == "//":
                continue
            key_line = _line_of(content, key, line)
            if key in _BARE_EXPRESSIONS and not locals_block:
                attributes[key] = Attribute(key, self.bare(value, key_line), key_line)
                continue
            attributes[key] = Attribute(key, self.expression(value, key_line), key_line)
            if locals_block:
                continue
            nested = value if isinstance(value, list) else [value]
            if nested and all(isinstance(item, dict) for item in nested):
                for item in nested:
                    item_line = getattr(item, "line", key_line)
                    end_line = max([item_line, *(_line_of(item, k, item_line) for k in item)])
                    blocks.append(Block(key, (), self.body(item, item_line), self.file, item_line, end_line))
        return Body(attributes, tuple(blocks))

    def expression(self, value: object, line: int) -> Expr:
        if isinstance(value, str):
            return self.template(value, line)
        if isinstance(value, list):
            return TupleExpr(line, tuple(self.expression(v, getattr(v, "line", line)) for v in value))
        if isinstance(value, dict):
            items = []
            for key, item in value.items():
                item_line = _line_of(value, key, line)
                items.append((self.template(key, item_line), self.expression(item, item_line)))
            return ObjectExpr(getattr(value, "line", line), tuple(items))
        return Literal(line, value)

    def literal(self, value: object, line: int) -> Expr:
        """tfvars.json values are literal: no interpolation."""
        if isinstance(value, list):
            return TupleExpr(line, tuple(self.literal(v, line) for v in value))
        if isinstance(value, dict):
            return ObjectExpr(line, tuple((Literal(line, k), self.literal(v, line)) for k, v in value.items()))
        return Literal(line, value)

    def template(self, text: str, line: int) -> Expr:
        if "${" not in text:
            return Literal(line, text)
        parts = parse_template(text, self.file, line)
        if len(parts) == 1 and not isinstance(parts[0], str):
            return parts[0]  # "${x}" alone is the value of x, not a string
        if all(isinstance(p, str) for p in parts):
            return Literal(line, "".join(parts))  # type: ignore[arg-type]
        return Template(line, tuple(parts))

    def bare(self, value: object, line: int) -> Expr:
        """`depends_on: ["aws_iam_role_policy.p"]`, `type: "string"`: expressions without `${}`."""
        if isinstance(value, list):
            return TupleExpr(line, tuple(self.bare(v, line) for v in value))
        if isinstance(value, str):
            source = value[2:-1] if value.startswith("${") and value.endswith("}") else value
            try:
                return relocate(parse_hcl(f"x = {source}", self.file).attributes["x"].expr, line)
            except (HclSyntaxError, KeyError):
                return Literal(line, value)
        return self.expression(value, line)

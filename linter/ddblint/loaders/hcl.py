"""Parse Terraform HCL files into `Body`/`Block`/`Expr` nodes that keep their line numbers.

Why python-hcl2 7.3.1 and its parse tree: python-hcl2 8.1.4's `with_meta` returns no line numbers (upstream
issue #291), and its full `loads` measured 2.6x slower than 7.3.1 here (3,600-line file: 1.05 s vs 0.41 s);
the bare Lark parse is 0.40 s on 8.1.4 vs 0.33 s on 7.3.1. Both parse trees carry line numbers
(`propagate_positions=True`), so we take 7.3.1's Lark tree and convert it ourselves: that gives every
attribute and expression its line and keeps expressions as syntax (references stay references) instead of
the `"${...}"` strings that `hcl2.loads` produces.

7.3.1's grammar nests binary operators to the right without precedence (`1 * 2 + 3` parses as
`1 * (2 + 3)`); `_binary` flattens each chain and rebuilds it with Terraform's operator precedence.
"""

from __future__ import annotations

import re

from hcl2.parser import parser as hcl2_parser
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ddblint.model.expressions import (
    Attribute,
    BinaryOp,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    UnaryOp,
    Variable,
)
from ddblint.model.values import excerpt


class HclSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# Terraform's precedence, highest first (hclsyntax/operation.go).
_PRECEDENCE = {
    "*": 6,
    "/": 6,
    "%": 6,
    "+": 5,
    "-": 5,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "==": 3,
    "!=": 3,
    "&&": 2,
    "||": 1,
}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def parse_hcl(text: str, file: str) -> Body:
    """Parse one file's text. Raises HclSyntaxError with the line of the first problem."""
    try:
        tree = hcl2_parser().parse(text + "\n")
    except UnexpectedInput as error:
        raise HclSyntaxError(max(getattr(error, "line", 1) or 1, 1), _describe(error)) from None
    except LarkError as error:  # pragma: no cover - lark's other errors carry no position
        raise HclSyntaxError(1, f"cannot parse: {error}") from None
    except RecursionError:
        raise HclSyntaxError(1, "expression nesting too deep to parse") from None
    try:
        return _Converter(file).body(tree.children[0])
    except RecursionError:
        raise HclSyntaxError(1, "expression nesting too deep to evaluate") from None


def parse_template(text: str, file: str, first_line: int) -> list[str | Expr]:
    """Split template text (a heredoc, a `templatefile()` file, a JSON-syntax string) into literal strings and
    `${...}` interpolations parsed as expressions. Raises HclSyntaxError for an interpolation that does not parse."""
    return _Converter(file).template_text(text, first_line)


def template_parts(text: str, file: str) -> list[str | Expr] | None:
    """`parse_template` of a whole file (a `templatefile()` template), None when an interpolation does not parse."""
    try:
        return parse_template(text, file, 1)
    except HclSyntaxError:
        return None


def _describe(error: UnexpectedInput) -> str:
    if isinstance(error, UnexpectedEOF):
        return "unexpected end of file (an unclosed block, bracket or string?)"
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return "unexpected end of file (an unclosed block, bracket or string?)"
        # A bounded excerpt: the token may be a long string literal (or a secret in a tfvars file).
        return f"unexpected {excerpt(token.value, 40)!r}" if token.value.strip() else "unexpected line break"
    if isinstance(error, UnexpectedCharacters):
        return f"unexpected character {error.char!r}"
    return "invalid syntax"


def _line(node: Tree | Token) -> int:
    if isinstance(node, Token):
        return node.line or 0
    return getattr(node.meta, "line", 0) if not node.meta.empty else 0


def _span(tree: Tree) -> tuple[int, int, int]:
    """A node's start column, end line and end column (exclusive), from the parse tree; zeros if unknown."""
    if tree.meta.empty:
        return 0, 0, 0
    meta = tree.meta
    return getattr(meta, "column", 0) or 0, getattr(meta, "end_line", 0) or 0, getattr(meta, "end_column", 0) or 0


def _significant(children: list) -> list:
    return [c for c in children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]


def unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE_RE.sub(replace, text)


class _Converter:
    def __init__(self, file: str):
        self.file = file

    # -- structure -------------------------------------------------------------------------------------
    def body(self, tree: Tree) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in _significant(tree.children):
            if child.data == "attribute":
                name_node, _, value = _significant(child.children)
                name = self.identifier(name_node)
                attributes[name] = Attribute(name, self.expr(value), _line(child), *_span(child))
            elif child.data == "block":
                blocks.append(self.block(child))
        return Body(attributes, tuple(blocks))

    def block(self, tree: Tree) -> Block:
        parts = _significant(tree.children)
        type_ = self.identifier(parts[0])
        labels = []
        for part in parts[1:-1]:
            if part.data == "identifier":
                labels.append(self.identifier(part))
            else:
                labels.append("".join(str(p) for p in self.string_parts(part)))
        end_line = tree.meta.end_line if not tree.meta.empty else _line(tree)
        return Block(type_, tuple(labels), self.body(parts[-1]), self.file, _line(tree), end_line)

    @staticmethod
    def identifier(tree: Tree) -> str:
        return str(tree.children[0])

    # -- expressions -----------------------------------------------------------------------------------
    def expr(self, node: Tree | Token) -> Expr:
        if isinstance(node, Token):  # bare tokens only appear inside rules handled below
            return Literal(node.line or 0, str(node))
        method = getattr(self, "expr_" + node.data, None)
        if method is None:
            raise HclSyntaxError(_line(node), f"unsupported expression {node.data}")
        return method(node)

    def expr_expr_term(self, tree: Tree) -> Expr:
        parts = _significant(tree.children)
        if len(parts) == 3 and isinstance(parts[0], Token) and parts[0].type == "LPAR":
            return self.expr(parts[1])
        return self.expr(parts[0])

    def expr_int_lit(self, tree: Tree) -> Expr:
        return Literal(_line(tree), int("".join(str(t) for t in tree.children)))

    def expr_float_lit(self, tree: Tree) -> Expr:
        return Literal(_line(tree), float("".join(str(t) for t in tree.children)))

    def expr_identifier(self, tree: Tree) -> Expr:
        name = self.identifier(tree)
        line = _line(tree)
        if name == "true":
            return Literal(line, True)
        if name == "false":
            return Literal(line, False)
        if name == "null":
            return Literal(line, None)
        return Variable(line, name)

    def expr_string(self, tree: Tree) -> Expr:
        parts = self.string_parts(tree)
        if all(isinstance(p, str) for p in parts):
            return Literal(_line(tree), "".join(parts))
        return Template(_line(tree), tuple(parts))

    def string_parts(self, tree: Tree) -> list[str | Expr]:
        parts: list[str | Expr] = []
        for part in tree.children:
            inner = part.children[0]
            if isinstance(inner, Token):
                text = str(inner)
                if inner.type == "ESCAPED_INTERPOLATION":
                    text = text[1:]  # $${x} is the literal ${x}
                parts.append(unescape(text))
            else:  # interpolation
                parts.append(self.expr(_significant(inner.children)[0]))
        return _merge_strings(parts)

    def expr_heredoc_template(self, tree: Tree) -> Expr:
        return self.heredoc(tree, trim=False)

    def expr_heredoc_template_trim(self, tree: Tree) -> Expr:
        return self.heredoc(tree, trim=True)

    def heredoc(self, tree: Tree, trim: bool) -> Expr:
        raw = str(tree.children[0])
        line = _line(tree)
        lines = raw.split("\n")
        content = lines[1:-2]  # drop "<<EOT", the closing marker line and the trailing ""
        if trim:
            indents = [len(x) - len(x.lstrip(" \t")) for x in content if x.strip()]
            cut = min(indents, default=0)
            content = [x[cut:] for x in content]
        text = "\n".join(content) + "\n" if content else ""
        parts = self.template_text(text, line + 1)
        if all(isinstance(p, str) for p in parts):
            return Literal(line, "".join(parts))
        return Template(line, tuple(parts))

    def template_text(self, text: str, first_line: int) -> list[str | Expr]:
        """Split heredoc text into literal strings and `${...}` interpolations (parsed as expressions)."""
        parts: list[str | Expr] = []
        position = 0
        while True:
            start = text.find("${", position)
            if start < 0:
                parts.append(text[position:])
                break
            if start > 0 and text[start - 1] == "$":  # $${ escapes an interpolation
                parts.append(text[position : start - 1] + "${")
                position = start + 2
                continue
            end = _matching_brace(text, start + 2)
            if end < 0:
                parts.append(text[position:])
                break
            parts.append(text[position:start])
            line = first_line + text.count("\n", 0, start)
            source = text[start + 2 : end].strip()
            try:
                body = parse_hcl("x = " + source.replace("\n", " "), self.file)
                expr = body.attributes["x"].expr
                parts.append(relocate(expr, line))
            except (HclSyntaxError, KeyError):
                raise HclSyntaxError(line, f"cannot parse interpolation ${{{source}}}") from None
            position = end + 1
        return _merge_strings(parts)

    def expr_tuple(self, tree: Tree) -> Expr:
        return TupleExpr(_line(tree), tuple(self.expr(c) for c in _significant(tree.children)))

    def expr_object(self, tree: Tree) -> Expr:
        items = []
        for elem in _significant(tree.children):
            if isinstance(elem, Token):  # commas
                continue
            key_node, _, value = _significant(elem.children)
            items.append((self.object_key(key_node), self.expr(value)))
        return ObjectExpr(_line(tree), tuple(items))

    def object_key(self, tree: Tree) -> Expr:
        inner = tree.children[0]
        line = _line(tree)
        if inner.data == "identifier":
            return Literal(line, self.identifier(inner))
        if inner.data == "object_elem_key_expression":
            return self.expr(_significant(inner.children)[1])
        if inner.data == "object_elem_key_dot_accessor":
            names = [self.identifier(c) for c in inner.children if isinstance(c, Tree)]
            return Literal(line, ".".join(names))
        if inner.data == "string":
            return self.expr_string(inner)
        return self.expr(inner)

    def expr_function_call(self, tree: Tree) -> Expr:
        parts = _significant(tree.children)
        name = self.identifier(parts[0])
        args: tuple[Expr, ...] = ()
        if len(parts) > 1:
            args = tuple(self.expr(a) for a in _significant(parts[1].children))
        return Call(_line(tree), name, args)

    def expr_provider_function_call(self, tree: Tree) -> Expr:
        parts = [p for p in _significant(tree.children) if not (isinstance(p, Tree) and p.data == "colons")]
        name = "::".join(self.identifier(p) for p in parts[:3])
        args: tuple[Expr, ...] = ()
        if len(parts) > 3:
            args = tuple(self.expr(a) for a in _significant(parts[3].children))
        return Call(_line(tree), name, args)

    def expr_get_attr_expr_term(self, tree: Tree) -> Expr:
        target, get_attr = tree.children
        return GetAttr(_line(tree), self.expr(target), self.identifier(get_attr.children[0]))

    def expr_index_expr_term(self, tree: Tree) -> Expr:
        target, index = tree.children
        return Index(_line(tree), self.expr(target), self.index_key(index))

    def index_key(self, index: Tree) -> Expr:
        parts = _significant(index.children)
        if parts and isinstance(parts[0], Token):  # legacy `.0` index
            return Literal(_line(index), int("".join(str(p) for p in parts)))
        return self.expr(parts[0])

    def expr_attr_splat_expr_term(self, tree: Tree) -> Expr:
        target, splat = tree.children
        steps = tuple(("attr", self.identifier(g.children[0])) for g in splat.children)
        return Splat(_line(tree), self.expr(target), steps)

    def expr_full_splat_expr_term(self, tree: Tree) -> Expr:
        target, splat = tree.children
        steps: list[tuple[str, object]] = []
        for step in splat.children:
            if step.data == "get_attr":
                steps.append(("attr", self.identifier(step.children[0])))
            else:
                steps.append(("index", self.index_key(step)))
        return Splat(_line(tree), self.expr(target), tuple(steps))

    def expr_unary_op(self, tree: Tree) -> Expr:
        op, operand = tree.children
        return UnaryOp(_line(tree), str(op), self.expr(operand))

    def expr_binary_op(self, tree: Tree) -> Expr:
        operands: list[Expr] = []
        operators: list[str] = []
        branches: tuple | None = None  # `a == b ? x : y` parses as `a == (b ? x : y)`: hoist the conditional
        node: Tree | Token = tree
        while isinstance(node, Tree):
            if node.data == "binary_op":
                left, term = _significant(node.children)
                operands.append(self.expr(left))
                term_parts = _significant(term.children)
                operators.append(str(term_parts[0].children[0]))
                node = term_parts[1]
            elif node.data == "conditional" and branches is None:
                condition, true_value, false_value = _significant(node.children)
                branches = (true_value, false_value)
                node = condition
            else:
                break
        operands.append(self.expr(node))
        combined = _by_precedence(operands, operators, _line(tree))
        if branches is None:
            return combined
        return Conditional(_line(tree), combined, self.expr(branches[0]), self.expr(branches[1]))

    def expr_conditional(self, tree: Tree) -> Expr:
        condition, true_value, false_value = _significant(tree.children)
        return Conditional(_line(tree), self.expr(condition), self.expr(true_value), self.expr(false_value))

    def expr_for_tuple_expr(self, tree: Tree) -> Expr:
        return self.for_expr(tree, is_object=False)

    def expr_for_object_expr(self, tree: Tree) -> Expr:
        return self.for_expr(tree, is_object=True)

    def for_expr(self, tree: Tree, is_object: bool) -> Expr:
        parts = [p for p in _significant(tree.children) if isinstance(p, Tree)]
        intro = parts[0]
        names = [self.identifier(c) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        collection = [c for c in _significant(intro.children) if isinstance(c, Tree) and c.data != "identifier"]
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        condition = None
        if parts[-1].data == "for_cond":
            condition = self.expr(_significant(parts[-1].children)[1])
            parts = parts[:-1]
        grouping = any(isinstance(c, Token) and c.value == "..." for c in tree.children)
        if is_object:
            return ForExpr(
                _line(tree),
                key_var,
                value_var,
                self.expr(collection[0]),
                self.expr(parts[1]),
                self.expr(parts[2]),
                condition,
                grouping,
            )
        return ForExpr(_line(tree), key_var, value_var, self.expr(collection[0]), None, self.expr(parts[1]), condition)


def _merge_strings(parts: list[str | Expr]) -> list[str | Expr]:
    merged: list[str | Expr] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    quote = False
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == "\\":
                continue
            if ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
    return -1


def relocate(expr: Expr, line: int) -> Expr:
    """Give an expression parsed out of a heredoc the heredoc line it came from."""
    from dataclasses import fields, replace

    changes = {}
    for f in fields(expr):
        value = getattr(expr, f.name)
        if isinstance(value, Expr):
            changes[f.name] = relocate(value, line)
    return replace(expr, line=line, **changes)


def _by_precedence(operands: list[Expr], operators: list[str], line: int) -> Expr:
    # Shunting-yard over a flat chain: all of Terraform's binary operators are left-associative.
    output: list[Expr] = [operands[0]]
    pending: list[str] = []

    def reduce() -> None:
        op = pending.pop()
        right = output.pop()
        left = output.pop()
        output.append(BinaryOp(line, op, left, right))

    for op, operand in zip(operators, operands[1:], strict=True):
        while pending and _PRECEDENCE[pending[-1]] >= _PRECEDENCE[op]:
            reduce()
        pending.append(op)
        output.append(operand)
    while pending:
        reduce()
    return output[0]

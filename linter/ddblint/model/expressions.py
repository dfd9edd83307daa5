"""The syntax of Terraform configuration as the loader produces it: bodies, blocks, attributes, expressions.

Every node keeps the line it starts on, so a rule can point at the exact attribute it complains about.
Expressions are plain frozen dataclasses; `ddblint.model.evaluate` gives them values.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Expr:
    line: int


@dataclass(frozen=True)
class Literal(Expr):
    value: object  # str, int, float, bool or None


@dataclass(frozen=True)
class Template(Expr):
    """A string with interpolations: parts are literal strings or expressions."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class ObjectExpr(Expr):
    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True)
class Variable(Expr):
    """A bare name: `var`, `local`, `aws_s3_bucket`, `each`, `count`, a for-expression variable."""

    name: str


@dataclass(frozen=True)
class GetAttr(Expr):
    target: Expr
    name: str


@dataclass(frozen=True)
class Index(Expr):
    target: Expr
    key: Expr


@dataclass(frozen=True)
class Splat(Expr):
    """`target[*].a.b` or `target.*.a`: `steps` apply to each element."""

    target: Expr
    steps: tuple[tuple[str, object], ...]  # ("attr", name) or ("index", Expr)


@dataclass(frozen=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class BinaryOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class UnaryOp(Expr):
    op: str
    operand: Expr


@dataclass(frozen=True)
class Conditional(Expr):
    condition: Expr
    true_value: Expr
    false_value: Expr


@dataclass(frozen=True)
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # set for object comprehensions
    value: Expr
    condition: Expr | None
    grouping: bool = False


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Expr
    line: int
    # Where the attribute (`name = value`) starts and ends, 1-based, the end exclusive; 0 where not known.
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    file: str
    line: int
    end_line: int


@dataclass(frozen=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


def references(expr: Expr) -> list[tuple[str, ...]]:
    """The traversals an expression mentions, as name tuples (`("aws_iam_role", "r", "arn")`).

    Index steps with literal keys are kept as strings of the form `[key]`, other indexes end the traversal.
    """
    found: list[tuple[str, ...]] = []

    def traversal(node: Expr) -> tuple[str, ...] | None:
        if isinstance(node, Variable):
            return (node.name,)
        if isinstance(node, GetAttr):
            base = traversal(node.target)
            return None if base is None else (*base, node.name)
        if isinstance(node, Index):
            base = traversal(node.target)
            if base is None:
                return None
            if isinstance(node.key, Literal):
                return (*base, f"[{node.key.value}]")
            return base
        return None

    def walk(node: object) -> None:
        if isinstance(node, Variable | GetAttr | Index):
            path = traversal(node)
            if path is not None:
                found.append(path)
            if isinstance(node, Index):
                walk(node.key)
            inner = node
            while isinstance(inner, GetAttr | Index):
                inner = inner.target
                if isinstance(inner, Index):
                    walk(inner.key)
            if path is None:
                walk(inner)
            return
        if isinstance(node, Expr):
            for value in node.__dict__.values():
                walk(value)
        elif isinstance(node, tuple):
            for value in node:
                walk(value)

    walk(expr)
    return found

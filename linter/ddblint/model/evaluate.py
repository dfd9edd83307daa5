"""Evaluate Terraform expressions to values, keeping what cannot be known as UNKNOWN or symbolic.

A `Scope` answers the root names of an expression (`var`, `local`, `module`, `data`, `path`, `count`,
`each`, resource types, for-expression variables). Evaluation never raises for bad configuration: a type
error, a missing key or an unsupported function gives UNKNOWN, and rules stay silent on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Protocol

from ddblint.model import functions
from ddblint.model.expressions import (
    BinaryOp,
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
from ddblint.model.values import UNKNOWN, HclList, HclObject, JsonText, RefValue, Symbolic, is_known

# Nesting bound for evaluation: a hostile or generated file must not exhaust the stack.
MAX_DEPTH = 200


class Scope(Protocol):
    def lookup(self, name: str) -> object: ...

    def read_file(self, path: object) -> object: ...

    def parse_template(self, text: str, path: str) -> list[str | Expr] | None:
        """Template text split into literal strings and `${...}` expressions; None when it does not parse."""
        ...


class LazyObject:
    """An object whose attributes are computed on access: resources, module calls, `var`, `local`."""

    def get(self, name: str) -> object:  # pragma: no cover - interface
        raise NotImplementedError

    def items(self) -> list[tuple[str, object]]:
        return []

    def members(self) -> object:
        """The object as a map for `for` expressions and `for_each`; UNKNOWN when its members are not known."""
        return dict(self.items())

    def elements(self) -> object:
        """What a splat (`x[*].a`) maps over: the object alone, as Terraform wraps a single value in a list;
        UNKNOWN when it stands for instances that are not known."""
        return [self]

    def index(self, key: object) -> object:
        return self.get(template_text(key))


class ChildScope:
    """A scope with extra names bound (for-expression variables, template variables)."""

    def __init__(self, parent: Scope, bindings: Mapping[str, object]):
        self.parent = parent
        self.bindings = bindings

    def lookup(self, name: str) -> object:
        if name in self.bindings:
            return self.bindings[name]
        return self.parent.lookup(name)

    def read_file(self, path: object) -> object:
        return self.parent.read_file(path)

    def parse_template(self, text: str, path: str) -> list[str | Expr] | None:
        return self.parent.parse_template(text, path)


def evaluate(expr: Expr, scope: Scope) -> object:
    return _Evaluation(scope).eval(expr, 0)


class _Evaluation:
    def __init__(self, scope: Scope):
        self.scope = scope

    def eval(self, expr: Expr, depth: int) -> object:
        if depth > MAX_DEPTH:
            return UNKNOWN
        method: Callable[[Expr, int], object] = getattr(self, "eval_" + type(expr).__name__)
        try:
            return method(expr, depth + 1)
        except (
            TypeError,
            ValueError,
            KeyError,
            IndexError,
            ZeroDivisionError,
            OverflowError,
            AttributeError,
        ):
            return UNKNOWN

    def eval_Literal(self, expr: Literal, depth: int) -> object:
        return expr.value

    def eval_Template(self, expr: Template, depth: int) -> object:
        if len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
            # `"${x}"` alone is x itself, not its string form (HCL's template wrap; the 0.11-style spelling
            # of `policy = "${data.aws_iam_policy_document.d.json}"` keeps its document and its origin)
            return self.eval(expr.parts[0], depth)
        parts = [p if isinstance(p, str) else self.eval(p, depth) for p in expr.parts]
        return concat_template(parts)

    def eval_TupleExpr(self, expr: TupleExpr, depth: int) -> object:
        return HclList((self.eval(item, depth) for item in expr.items), line=expr.line)

    def eval_ObjectExpr(self, expr: ObjectExpr, depth: int) -> object:
        result = HclObject(line=expr.line)
        for key_expr, value_expr in expr.items:
            key = self.eval(key_expr, depth)
            if not isinstance(key, str | int | float | bool):
                return UNKNOWN
            key = template_text(key)
            result[key] = self.eval(value_expr, depth)
            result.lines[key] = value_expr.line
        return result

    def eval_Variable(self, expr: Variable, depth: int) -> object:
        return self.scope.lookup(expr.name)

    def eval_GetAttr(self, expr: GetAttr, depth: int) -> object:
        return get_attr(self.eval(expr.target, depth), expr.name)

    def eval_Index(self, expr: Index, depth: int) -> object:
        return get_index(self.eval(expr.target, depth), self.eval(expr.key, depth))

    def eval_Splat(self, expr: Splat, depth: int) -> object:
        target = self.eval(expr.target, depth)
        if isinstance(target, LazyObject):
            target = target.elements()
        if target is UNKNOWN or isinstance(target, RefValue):
            return UNKNOWN
        if isinstance(target, dict):  # resource with for_each used with a splat: Terraform errors; be lenient
            items = list(target.values())
        elif isinstance(target, list | tuple):
            items = list(target)
        elif target is None:
            items = []
        else:
            items = [target]
        result = HclList(line=expr.line)
        for item in items:
            value = item
            for kind, step in expr.steps:
                if kind == "attr":
                    value = get_attr(value, step)
                else:
                    value = get_index(value, self.eval(step, depth))
            result.append(value)
        return result

    def eval_Call(self, expr: Call, depth: int) -> object:
        name = expr.name
        if name in ("try", "can"):
            return self.eval_try(expr, depth)
        args = [self.eval(arg, depth) for arg in expr.args]
        if name == "templatefile" and len(args) == 2:
            return templatefile(self.scope, args[0], args[1])
        if name == "file" and len(args) == 1:
            return self.scope.read_file(args[0])
        function = functions.BUILTINS.get(name.removeprefix("provider::aws::"))
        if function is None:
            return UNKNOWN
        return function(*args)

    def eval_try(self, expr: Call, depth: int) -> object:
        for arg in expr.args:
            value = self.eval(arg, depth)
            if value is not UNKNOWN:
                return True if expr.name == "can" else value
        return UNKNOWN

    def eval_BinaryOp(self, expr: BinaryOp, depth: int) -> object:
        left = self.eval(expr.left, depth)
        op = expr.op
        if op in ("&&", "||") and isinstance(left, bool):
            if op == "&&" and left is False:
                return False
            if op == "||" and left is True:
                return True
        right = self.eval(expr.right, depth)
        if op in ("==", "!="):
            if not (is_known(left) and is_known(right)):
                if isinstance(left, RefValue) and isinstance(right, RefValue) and left == right:
                    return op == "=="
                if (left is None and _is_collection(right)) or (right is None and _is_collection(left)):
                    # A list, tuple, map or object is a known non-null value even when its elements are
                    # not known (`aws_subnet.a[*].id != null` is true in Terraform, as cty compares
                    # null-ness before contents).
                    return op == "!="
                return UNKNOWN
            equal = _normalise(left) == _normalise(right)
            return equal if op == "==" else not equal
        if op in ("&&", "||"):
            if not (isinstance(left, bool) and isinstance(right, bool)):
                return UNKNOWN
            return (left and right) if op == "&&" else (left or right)
        left_number, right_number = functions.to_number(left), functions.to_number(right)
        if left_number is UNKNOWN or right_number is UNKNOWN:
            return UNKNOWN
        return _arithmetic(op, left_number, right_number)

    def eval_UnaryOp(self, expr: UnaryOp, depth: int) -> object:
        value = self.eval(expr.operand, depth)
        if expr.op == "!":
            return (not value) if isinstance(value, bool) else UNKNOWN
        number = functions.to_number(value)
        return UNKNOWN if number is UNKNOWN else -number

    def eval_Conditional(self, expr: Conditional, depth: int) -> object:
        condition = self.eval(expr.condition, depth)
        if isinstance(condition, str) and condition in ("true", "false"):
            condition = condition == "true"
        if condition is True:
            return self.eval(expr.true_value, depth)
        if condition is False:
            return self.eval(expr.false_value, depth)
        true_value = self.eval(expr.true_value, depth)
        false_value = self.eval(expr.false_value, depth)
        if is_known(true_value) and is_known(false_value) and true_value == false_value:
            return true_value
        return UNKNOWN

    def eval_ForExpr(self, expr: ForExpr, depth: int) -> object:
        collection = self.eval(expr.collection, depth)
        if isinstance(collection, LazyObject):
            collection = collection.members()
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list | tuple):
            pairs = list(enumerate(collection))
        elif isinstance(collection, set | frozenset):
            pairs = [(v, v) for v in sorted(collection, key=str)]
        else:
            return UNKNOWN
        result_list = HclList(line=expr.line)
        result_object = HclObject(line=expr.line)
        for key, value in pairs:
            bindings = {expr.value_var: value}
            if expr.key_var:
                bindings[expr.key_var] = key
            inner = _Evaluation(ChildScope(self.scope, bindings))
            if expr.condition is not None:
                keep = inner.eval(expr.condition, depth)
                if keep is UNKNOWN or not isinstance(keep, bool):
                    return UNKNOWN
                if not keep:
                    continue
            item = inner.eval(expr.value, depth)
            if expr.key is None:
                result_list.append(item)
                continue
            item_key = inner.eval(expr.key, depth)
            if not isinstance(item_key, str | int | float | bool):
                return UNKNOWN
            item_key = template_text(item_key)
            if expr.grouping:
                result_object.setdefault(item_key, HclList(line=expr.line)).append(item)
            else:
                result_object[item_key] = item
        return result_list if expr.key is None else result_object


def get_attr(value: object, name: str) -> object:
    if isinstance(value, LazyObject):
        return value.get(name)
    if isinstance(value, list | tuple) and len(value) == 1 and isinstance(value[0], LazyObject):
        # Terraform 0.11 addressed the one instance of a `count = 1` resource without an index
        # (`"${aws_iam_role.r.arn}"`); Terraform 0.12 and later reject the reference, so nothing else has it.
        return value[0].get(name)
    if isinstance(value, dict):
        return value[name] if name in value else UNKNOWN
    if isinstance(value, RefValue):
        return RefValue(value.address, f"{value.attribute}.{name}")
    return UNKNOWN


def get_index(value: object, key: object) -> object:
    if key is UNKNOWN or isinstance(key, RefValue | Symbolic):
        return UNKNOWN
    if isinstance(value, LazyObject):
        return value.index(key)
    if isinstance(value, dict):
        text = template_text(key)
        return value[text] if text in value else UNKNOWN
    if isinstance(value, list | tuple):
        number = functions.to_number(key)
        if number is UNKNOWN or int(number) != number:
            return UNKNOWN
        index = int(number)
        return value[index] if 0 <= index < len(value) else UNKNOWN
    if isinstance(value, RefValue):
        return RefValue(value.address, f"{value.attribute}[{key}]")
    return UNKNOWN


def template_text(value: object) -> str:
    """Terraform's conversion of a primitive to string inside a template."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError("not a primitive")


def concat_template(parts: list[object]) -> object:
    """Join template parts; symbolic or unknown parts make a `Symbolic` string."""
    flat: list[object] = []
    for part in parts:
        if isinstance(part, Symbolic):
            flat.extend(part.parts)
        elif part is UNKNOWN or isinstance(part, RefValue):
            flat.append(part)
        elif isinstance(part, JsonText):
            flat.extend([str(part)] if is_known(part) else functions.json_template_parts(part.value))
        elif part is None or isinstance(part, dict | list | tuple | LazyObject):
            return UNKNOWN
        else:
            flat.append(template_text(part))
    merged: list[object] = []
    for part in flat:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if all(isinstance(p, str) for p in merged):
        return "".join(merged)  # type: ignore[arg-type]
    return Symbolic(tuple(merged))  # type: ignore[arg-type]


def _is_collection(value: object) -> bool:
    """A list, tuple, map or object value: never null, whatever its elements are."""
    return isinstance(value, dict | list | tuple | LazyObject)


def _normalise(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _arithmetic(op: str, left: float, right: float) -> object:
    if op == "+":
        result = left + right
    elif op == "-":
        result = left - right
    elif op == "*":
        result = left * right
    elif op == "/":
        result = left / right
    elif op == "%":
        result = math.fmod(left, right)
    elif op == "<":
        return left < right
    elif op == ">":
        return left > right
    elif op == "<=":
        return left <= right
    elif op == ">=":
        return left >= right
    else:
        return UNKNOWN
    return _normalise(result)


def templatefile(scope: Scope, path: object, variables: object) -> object:
    """`templatefile(path, vars)`: the file rendered with `vars`; UNKNOWN when it cannot be read or rendered."""
    text = scope.read_file(path)
    if not isinstance(text, str) or not isinstance(variables, dict):
        return UNKNOWN
    if "%{" in text:  # template directives (if/for) are not evaluated
        return UNKNOWN
    parts = scope.parse_template(text, str(path))
    if parts is None:
        return UNKNOWN
    inner = ChildScope(_TemplateScope(scope), dict(variables))
    values = [part if isinstance(part, str) else evaluate(part, inner) for part in parts]
    return concat_template(values)


class _TemplateScope:
    """Template files see only their variables (and functions), not the module's names."""

    def __init__(self, scope: Scope):
        self._scope = scope

    def lookup(self, name: str) -> object:
        return UNKNOWN

    def read_file(self, path: object) -> object:
        return self._scope.read_file(path)

    def parse_template(self, text: str, path: str) -> list[str | Expr] | None:
        return self._scope.parse_template(text, path)

"""Terraform's dependency graph, as far as a rule needs it: does resource A wait for resource B?

A resource depends on what its expressions reference (through locals, module inputs and module outputs), on
its `depends_on`, and on the `depends_on` of every module call it is inside (everything in the module waits for
what the call lists). `DependencyGraph.depends_on(a, b)` follows these edges transitively, the way Terraform
orders creation.
A reference to a whole module (`depends_on = [module.x]`) depends on every resource in it. `depends_on` written
the Terraform 0.11 way, as quoted strings (`depends_on = ["aws_iam_role_policy.x"]`), names the same references.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ddblint.model import Model, ModuleInstance, ModuleOutputs, Resource, instances_of
from ddblint.model.expressions import Body, Expr, Literal, Template, TupleExpr, references


class DependencyGraph:
    """The direct dependencies of each resource, computed on first use (`Facts.dependencies` keeps one per model)."""

    def __init__(self, model: Model):
        self.model = model
        self._direct: dict[str, set[str]] = {}
        self._symbols: dict[tuple[str, str], set[str]] = {}  # (instance prefix, "var.x" / "local.y" / output)

    def depends_on(self, source: Resource, target: Resource) -> bool:
        """Does Terraform create `target` before `source` (transitively)?"""
        seen: set[str] = set()
        stack = [source.address]
        while stack:
            address = stack.pop()
            if address in seen:
                continue
            seen.add(address)
            for dependency in self.direct(address):
                if dependency == target.address:
                    return True
                stack.append(dependency)
        return False

    def direct(self, address: str) -> set[str]:
        if address not in self._direct:
            resource = self.model.resource(address)
            self._direct[address] = set()  # guards cycles
            if resource is not None:
                found = set(self._body(resource.instance, resource.block.body))
                found |= set(self._depends_on(resource.instance, resource.block.body))
                instance = resource.instance
                while instance.call is not None and instance.parent is not None:
                    found |= set(self._depends_on(instance.parent, instance.call.body))
                    instance = instance.parent
                found.discard(address)
                self._direct[address] = found
        return self._direct[address]

    def _body(self, instance: ModuleInstance, body: Body) -> Iterable[str]:
        for name, attribute in body.attributes.items():
            if name != "depends_on":
                yield from self._expr(instance, attribute.expr)
        for block in body.blocks:
            yield from self._body(instance, block.body)

    def _depends_on(self, instance: ModuleInstance, body: Body) -> Iterable[str]:
        """What a block's `depends_on` lists, evaluated in `instance` (the module the block is written in)."""
        depends = body.attributes.get("depends_on")
        if depends is None:
            return
        yield from self._expr(instance, depends.expr)
        items = depends.expr.items if isinstance(depends.expr, TupleExpr) else ()
        for item in items:
            text = _quoted_reference(item)
            if text is not None:
                yield from self._path(instance, [p for p in text.split(".") if p != "*"])

    def _expr(self, instance: ModuleInstance, expr: Expr) -> Iterable[str]:
        for path in references(expr):
            yield from self._path(instance, [p for p in path if not p.startswith("[")])

    def _path(self, instance: ModuleInstance, path: list[str]) -> Iterable[str]:
        if not path:
            return
        head = path[0]
        if head in ("var", "local") and len(path) >= 2:
            yield from self._symbol(instance, f"{head}.{path[1]}")
        elif head == "module" and len(path) >= 2:
            for child in _children(instance, path[1]):
                if len(path) >= 3:
                    yield from self._symbol(child, f"output.{path[2]}")
                else:
                    prefix = child.prefix + "."
                    yield from (r.address for r in self.model.resources() if r.address.startswith(prefix))
        elif head == "data" and len(path) >= 3:
            yield from _addresses(instance.entry(f"data.{path[1]}.{path[2]}"))
        elif len(path) >= 2 and head not in ("each", "count", "self", "path", "terraform"):
            yield from _addresses(instance.entry(f"{head}.{path[1]}"))

    def _symbol(self, instance: ModuleInstance, symbol: str) -> set[str]:
        key = (instance.prefix, symbol)
        if key in self._symbols:
            return self._symbols[key]
        self._symbols[key] = set()  # guards cycles
        kind, name = symbol.split(".", 1)
        found: set[str] = set()
        if kind == "local" and name in instance.source.locals:
            found = set(self._expr(instance, instance.source.locals[name].expr))
        elif kind == "var" and name in instance.inputs and instance.parent is not None:
            expr, _scope = instance.inputs[name]
            found = set(self._expr(instance.parent, expr))
        elif kind == "output" and name in instance.source.outputs:
            output = instance.source.outputs[name].body
            found = set(self._body(instance, output))
        self._symbols[key] = found
        return found


def _quoted_reference(item: Expr) -> str | None:
    """`"aws_iam_role_policy.x"` in a Terraform 0.11 `depends_on` list: the reference it names, else None."""
    if isinstance(item, Template) and len(item.parts) == 1 and isinstance(item.parts[0], str):
        text = item.parts[0]
    elif isinstance(item, Literal) and isinstance(item.value, str):
        text = item.value
    else:
        return None
    return re.sub(r"\[[^\]]*\]", "", text).strip() or None


def _children(instance: ModuleInstance, name: str) -> list[ModuleInstance]:
    return [v.instance for v in instances_of(instance.entry(f"module.{name}")) if isinstance(v, ModuleOutputs)]


def _addresses(entry: object) -> list[str]:
    return [v.address for v in instances_of(entry) if isinstance(v, Resource)]

"""One model of a Terraform root module: resources by address, their values, and the references between them.

A `Model` is built by `ddblint.loaders.terraform` from parsed files. Module instances act as evaluation
scopes (`var`, `local`, `module`, `data`, resource types); resources evaluate their attributes lazily and
cache them. Computed attributes that nobody wrote (`arn`, `stream_arn`, `id`) evaluate to `RefValue`s, so a
rule can follow `function.role` to the role resource without knowing the ARN.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ddblint.findings import Location
from ddblint.model.evaluate import ChildScope, LazyObject, evaluate, get_attr
from ddblint.model.expressions import Attribute, Block, Body, Expr
from ddblint.model.handler_code import HandlerFinder
from ddblint.model.sources import ModuleSource
from ddblint.model.values import (
    MISSING,
    UNKNOWN,
    HclList,
    HclObject,
    JsonText,
    RefValue,
    Symbolic,
    TracedStr,
    excerpt,
    is_known,
    origin_of,
)

if TYPE_CHECKING:
    from ddblint.model.facts import Facts

_IN_PROGRESS = object()
MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


@dataclass
class Model:
    """Everything loaded for one root module (plus the local and downloaded modules it calls)."""

    root_dir: Path  # the scan root; every Location is relative to it
    module_dir: str  # the root module's directory, relative to the scan root
    instances: list[ModuleInstance] = field(default_factory=list)
    _resources: list[Resource] = field(default_factory=list)
    _by_address: dict[str, Resource] = field(default_factory=dict)
    _by_type: dict[str, list[Resource]] = field(default_factory=dict)
    files_read: set[str] = field(default_factory=set)  # files read through file()/templatefile()
    # Every path file()/templatefile() asked for (read, missing or refused), as written: the findings cache
    # re-checks each, so a file that appears later invalidates the cached findings.
    file_probes: set[str] = field(default_factory=set)
    # Paths file()/templatefile() were not allowed to read (outside the scan root): (file, line, message).
    # check.py reports each as a DDB004 info finding.
    outside_reads: set[tuple[str, int, str]] = field(default_factory=set)
    # How many times a value was derived from a file() refused as outside the scan boundary. Evaluations
    # compare it before and after, and caches replay it, so a plan's value never replaces such a value:
    # what is outside the boundary stays unknown in every mode.
    refused_reads: int = 0
    # Policy documents from standalone JSON files (a model of its own, with no resources).
    standalone_documents: list = field(default_factory=list)
    # Set by the loader: finds the ModuleSource a module call refers to (None when it cannot be loaded).
    module_resolver: Callable[[ModuleInstance, Block], ModuleSource | None] | None = None
    # Set by the loader: splits template text (path for messages) into literal strings and `${...}` expressions,
    # None when it does not parse. Without one, templatefile() values are unknown.
    template_parser: Callable[[str, str], list[str | Expr] | None] | None = None
    # Set by the loader: finds and reads a function's handler file. Without one, handlers are not known.
    handler_finder: HandlerFinder | None = None
    # The cross-resource facts rules read (wiring, network paths, handler code), made on first use by
    # `ddblint.model.facts.facts_of`.
    facts: Facts | None = field(default=None, repr=False, compare=False)
    # Set by the plan loader (`ddblint plan`): what a Terraform plan knows that static evaluation may not.
    # known_values: resource address -> {attribute: planned value}, with UNKNOWN where the plan does not know
    # it either; a written top-level attribute whose evaluation is not known (and holds no reference) takes it.
    known_values: dict[str, dict[str, object]] = field(default_factory=dict)
    # planned_keys: module-qualified address without instance key -> the instance keys the plan has, used
    # when count/for_each cannot be evaluated statically.
    planned_keys: dict[str, list] = field(default_factory=dict)

    def relative_to_root_module(self, rel_dir: str) -> str:
        """A directory relative to the scan boundary, relative to the root module's directory instead."""
        return Path(os.path.relpath(rel_dir, self.module_dir)).as_posix()

    def resolve_module(self, caller: ModuleInstance, call: Block) -> ModuleSource | None:
        if self.module_resolver is None:
            return None
        return self.module_resolver(caller, call)

    def finish(self) -> None:
        """Order resources by file, line and address, so every run visits them the same way."""
        self._resources.sort(key=lambda r: (r.file, r.block.line, r.address))
        for resources in self._by_type.values():
            resources.sort(key=lambda r: (r.file, r.block.line, r.address))

    def add(self, resource: Resource) -> None:
        self._resources.append(resource)
        self._by_address[resource.address] = resource
        self._by_type.setdefault(resource.full_type, []).append(resource)

    def resources(self, type_: str | None = None) -> list[Resource]:
        """Managed resources of a type (`aws_iam_role`) or data sources (`data.aws_iam_policy_document`)."""
        if type_ is None:
            return list(self._resources)
        return list(self._by_type.get(type_, ()))

    def resource(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    def referenced(self, value: object, *types: str) -> Resource | None:
        """The resource a value refers to (a `RefValue`, or a string read from one, to one of `types`), or None."""
        value = origin_of(value)
        if isinstance(value, RefValue):
            resource = self._by_address.get(value.address)
            if resource is not None and (not types or resource.full_type in types):
                return resource
        return None


class ModuleInstance:
    """One instance of a module: the root, or `module.x` / `module.x["k"]` below it. An evaluation scope."""

    def __init__(
        self,
        model: Model,
        source: ModuleSource,
        prefix: str,
        parent: ModuleInstance | None = None,
        inputs: dict[str, tuple[Expr, object]] | None = None,
        tfvars: dict[str, object] | None = None,
        call: Block | None = None,
    ):
        self.model = model
        self.source = source
        self.prefix = prefix  # "" for the root, "module.a" or "module.a.module.b[0]"
        self.parent = parent
        self.inputs = inputs or {}
        self.tfvars = tfvars or {}
        self.call = call
        self.depth = 0 if parent is None else parent.depth + 1
        self._entries: dict[str, object] = {}  # "aws_x.y" / "module.m" -> Resource | list | dict | UNKNOWN
        self._variables: dict[str, object] = {}
        self._locals: dict[str, object] = {}
        self._outside: set[str] = set()  # "local.x" / "var.x" whose value used a refused file() read

    # -- expansion of count / for_each, on first use ---------------------------------------------------
    def entry(self, local_address: str) -> object:
        """`aws_x.y` or `data.aws_x.y` or `module.m`: the expanded resource(s) or module instance(s)."""
        if local_address in self._entries:
            value = self._entries[local_address]
            return UNKNOWN if value is _IN_PROGRESS else value
        block = self.source.blocks_by_address.get(local_address)
        if block is None:
            return UNKNOWN
        self._entries[local_address] = _IN_PROGRESS
        if block.type == "module":
            value = self._expand(block, self._module_instance)
        else:
            value = self._expand(block, self._resource_instance)
        self._entries[local_address] = value
        return value

    def expand_all(self) -> None:
        for local_address in self.source.blocks_by_address:
            self.entry(local_address)

    def _expand(self, block: Block, make) -> object:
        """The instances of a block: a list for `count`, a map for `for_each` (empty when the block does not
        exist), the one instance without either, or `UnexpandedInstances` when they cannot be known."""
        attributes = block.body.attributes
        if "count" in attributes:
            count = instance_count(evaluate(attributes["count"].expr, self))
            if count is None:
                planned = self._planned_keys(block, int)
                if planned is not None:
                    return HclList(make(block, i, None) for i in planned)
                return UnexpandedInstances(make(block, UNKNOWN, UNKNOWN))
            return HclList(make(block, i, None) for i in range(count))
        if "for_each" in attributes:
            for_each = evaluate(attributes["for_each"].expr, self)
            if isinstance(for_each, LazyObject):
                for_each = for_each.members()
            if isinstance(for_each, dict):
                pairs = [(str(k), v) for k, v in for_each.items()]
            elif isinstance(for_each, list | tuple) and all(isinstance(v, str) for v in for_each):
                pairs = [(v, v) for v in for_each]
            else:
                planned = self._planned_keys(block, str)
                if planned is not None:
                    return HclObject({k: make(block, k, UNKNOWN) for k in planned})
                return UnexpandedInstances(make(block, UNKNOWN, UNKNOWN))
            return HclObject({k: make(block, k, v) for k, v in pairs})
        return make(block, None, None)

    def _planned_keys(self, block: Block, key_type: type) -> list | None:
        """The instance keys a plan decided for a block whose count/for_each is not known statically."""
        if block.type == "module":
            local = f"module.{block.labels[0]}"
        elif block.type == "data":
            local = f"data.{block.labels[0]}.{block.labels[1]}"
        else:
            local = f"{block.labels[0]}.{block.labels[1]}"
        keys = self.model.planned_keys.get(self.qualify(local))
        if keys is None or not all(isinstance(k, key_type) and not isinstance(k, bool) for k in keys):
            return None
        return list(keys)

    def _resource_instance(self, block: Block, key: object, each_value: object) -> Resource:
        resource = Resource(self, block, key, each_value)
        self.model.add(resource)
        return resource

    def _module_instance(self, block: Block, key: object, each_value: object) -> object:
        source = self.model.resolve_module(self, block)
        if source is None:
            return UNKNOWN
        prefix = self.qualify(f"module.{block.labels[0]}{_key_suffix(key)}")
        bindings: dict[str, object] = {}
        if isinstance(key, int):
            bindings["count"] = {"index": key}
        elif isinstance(key, str):
            bindings["each"] = {"key": key, "value": each_value}
        scope = ChildScope(self, bindings) if bindings else self
        inputs = {
            name: (attribute.expr, scope)
            for name, attribute in block.body.attributes.items()
            if name not in MODULE_META_ARGUMENTS
        }
        child = ModuleInstance(self.model, source, prefix, self, inputs, call=block)
        self.model.instances.append(child)
        child.expand_all()
        return ModuleOutputs(child)

    def qualify(self, local_address: str) -> str:
        return f"{self.prefix}.{local_address}" if self.prefix else local_address

    # -- Scope -----------------------------------------------------------------------------------------
    def lookup(self, name: str) -> object:
        if name == "var":
            return _Names(self.variable)
        if name == "local":
            return _Names(self.local)
        if name == "module":
            return _Names(lambda n: self.entry(f"module.{n}"))
        if name == "data":
            return _Names(lambda type_: _ResourceType(self, "data." + type_))
        if name == "path":
            # As Terraform gives them: relative to the root module's directory, where it runs.
            return {"module": self.model.relative_to_root_module(self.source.rel_dir), "root": ".", "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name in ("count", "each", "self"):
            return UNKNOWN
        return _ResourceType(self, name)

    def read_file(self, path: object) -> object:
        if not isinstance(path, str):
            return UNKNOWN
        self.model.file_probes.add(path)
        root = self.model.root_dir.resolve()
        candidate = (root / self.model.module_dir / path).resolve()  # as Terraform: from the root module
        if not candidate.is_relative_to(root):
            self.model.refused_reads += 1
            self._note_outside_read(path)
            return UNKNOWN  # outside the scan boundary (through .. or a symlink): never read
        if not candidate.is_file():
            return UNKNOWN  # missing: the value is not known
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return UNKNOWN
        self.model.files_read.add(candidate.relative_to(root).as_posix())
        return text

    def parse_template(self, text: str, path: str) -> list[str | Expr] | None:
        parser = self.model.template_parser
        return None if parser is None else parser(text, path)

    def _note_outside_read(self, path: str) -> None:
        """Record a file() read outside the root, at the first line of this module that names the path."""
        file, line = (self.call.file, self.call.line) if self.call is not None else (self.source.rel_dir, 0)
        for source_file in self.source.files:
            for number, text in enumerate(source_file.text.splitlines(), 1):
                if path in text:
                    file, line = source_file.rel, number
                    break
            else:
                continue
            break
        message = (
            f"file {excerpt(repr(path))} resolves outside the scan boundary, so it was not read "
            "and the value that uses it is unknown to the rules"
        )
        self.model.outside_reads.add((file, line, message))

    def variable(self, name: str) -> object:
        if name in self._variables:
            value = self._variables[name]
            self._replay_refused(f"var.{name}")
            return UNKNOWN if value is _IN_PROGRESS else value
        self._variables[name] = _IN_PROGRESS
        refused = self.model.refused_reads
        value = self._variable_value(name)
        if self.model.refused_reads != refused:
            self._outside.add(f"var.{name}")
        if self.is_sensitive_variable(name):
            value = _redacted(value)
        self._variables[name] = value
        return value

    def _variable_value(self, name: str) -> object:
        declaration = self.source.variables.get(name)
        if name in self.inputs:
            expr, scope = self.inputs[name]
            value = evaluate(expr, scope)  # type: ignore[arg-type]
        elif name in self.tfvars:
            value = self.tfvars[name]
        elif declaration is not None and "default" in declaration.body.attributes:
            value = evaluate(declaration.body.attributes["default"].expr, self)
        else:
            return UNKNOWN
        if declaration is not None and "type" in declaration.body.attributes:
            value = _convert(value, declaration.body.attributes["type"].expr)
        return value

    def is_sensitive_variable(self, name: str) -> bool:
        declaration = self.source.variables.get(name)
        if declaration is None or "sensitive" not in declaration.body.attributes:
            return False
        return evaluate(declaration.body.attributes["sensitive"].expr, self) is True

    def local(self, name: str) -> object:
        if name in self._locals:
            value = self._locals[name]
            self._replay_refused(f"local.{name}")
            return UNKNOWN if value is _IN_PROGRESS else value
        attribute = self.source.locals.get(name)
        if attribute is None:
            return UNKNOWN
        self._locals[name] = _IN_PROGRESS
        refused = self.model.refused_reads
        value = evaluate(attribute.expr, self)
        if self.model.refused_reads != refused:
            self._outside.add(f"local.{name}")
        self._locals[name] = value
        return value

    def _replay_refused(self, key: str) -> None:
        """A cached value that used a refused file() read counts as one more for whoever reads it now."""
        if key in self._outside:
            self.model.refused_reads += 1

    def output(self, name: str) -> object:
        block = self.source.outputs.get(name)
        if block is None or "value" not in block.body.attributes:
            return UNKNOWN
        value = evaluate(block.body.attributes["value"].expr, self)
        sensitive = block.body.attributes.get("sensitive")
        if sensitive is not None and evaluate(sensitive.expr, self) is True:
            value = _redacted(value)
        return value


class _Names(LazyObject):
    def __init__(self, getter):
        self._getter = getter

    def get(self, name: str) -> object:
        return self._getter(name)


class _ResourceType(LazyObject):
    """`aws_iam_role` in `aws_iam_role.r.arn`: resolves `.r` to the resource, its list or its map."""

    def __init__(self, instance: ModuleInstance, full_type: str):
        self._instance = instance
        self._type = full_type

    def get(self, name: str) -> object:
        return self._instance.entry(f"{self._type}.{name}")


class UnexpandedInstances(LazyObject):
    """The instances of a block whose `count`/`for_each` cannot be known statically.

    One representative instance, without an instance key, stands for all of them: it is checked once, and an
    index (`aws_iam_role.r[0]`, `module.m["k"]`) reaches it, so references are still followed. How many
    instances there are and what their keys are is not known: a `for` expression, a splat
    (`aws_subnet.s[*].id`) or a `for_each` over them is UNKNOWN, never an empty collection.
    """

    def __init__(self, representative: object):
        self.representative = representative  # a Resource, a ModuleOutputs, or UNKNOWN (module not loaded)

    def get(self, name: str) -> object:
        return get_attr(self.representative, name)

    def index(self, key: object) -> object:
        return self.representative

    def members(self) -> object:
        return UNKNOWN

    def elements(self) -> object:
        return UNKNOWN


class ModuleOutputs(LazyObject):
    """`module.x`: its outputs, evaluated in the child instance."""

    def __init__(self, instance: ModuleInstance):
        self.instance = instance

    def get(self, name: str) -> object:
        return self.instance.output(name)

    def items(self) -> list[tuple[str, object]]:
        return [(name, self.instance.output(name)) for name in sorted(self.instance.source.outputs)]


class BlockView(LazyObject):
    """The attributes and nested blocks of a resource body (or a nested block), evaluated in a scope."""

    def __init__(self, body: Body, scope: object, owner: Resource, path: str):
        self.body = body
        self.scope = scope
        self.owner = owner
        self.path = path  # "" for the resource itself, "vpc_config[0]" for a nested block
        self._cache: dict[str, object] = {}
        self._outside: set[str] = set()  # attributes whose value used a refused file() read

    def has(self, name: str) -> bool:
        """The attribute is written with a value other than null."""
        return name in self.body.attributes and self.value(name) is not MISSING

    def value(self, name: str) -> object:
        """The evaluated attribute, or MISSING when it is not written or is null (Terraform treats both alike)."""
        model = self.owner.instance.model
        if name in self._cache:
            cached = self._cache[name]
            if name in self._outside:
                model.refused_reads += 1
            return UNKNOWN if cached is _IN_PROGRESS else cached
        attribute = self.body.attributes.get(name)
        if attribute is None:
            return MISSING
        self._cache[name] = _IN_PROGRESS
        refused = model.refused_reads
        value = evaluate(attribute.expr, self.scope)  # type: ignore[arg-type]
        if model.refused_reads != refused:
            self._outside.add(name)
        elif not self.path:
            planned = model.known_values.get(self.owner.address)
            if planned and name in planned and not is_known(value) and not _holds_reference(value):
                value = planned[name]
        if value is None:
            value = MISSING
        self._cache[name] = value
        return value

    def attribute(self, name: str) -> Attribute | None:
        return self.body.attributes.get(name)

    def location_of(self, name: str | None = None) -> Location:
        """Where an attribute is written; the block's own line when it is not."""
        attribute = self.body.attributes.get(name) if name else None
        if attribute is None:
            return Location(self.owner.file, self.line)
        return Location(self.owner.file, attribute.line, attribute.column, attribute.end_line, attribute.end_column)

    @property
    def line(self) -> int:
        return self.owner.block.line if not self.path else self._line

    _line = 0

    def blocks(self, name: str) -> list[BlockView] | None:
        """Nested blocks of a type, with `dynamic` blocks expanded; None when a dynamic block can't be."""
        views, complete = self.known_blocks(name)
        return views if complete else None

    def known_blocks(self, name: str) -> tuple[list[BlockView], bool]:
        """The nested blocks of a type that are known (static ones, and `dynamic` ones whose `for_each`
        resolves), and whether that is all of them (False when some dynamic block cannot be expanded)."""
        views: list[BlockView] = []
        complete = True
        for block in self.body.blocks:
            if block.type == name:
                view = BlockView(block.body, self.scope, self.owner, f"{self.path}{name}[{len(views)}]")
                view._line = block.line
                views.append(view)
            elif block.type == "dynamic" and block.labels[:1] == (name,):
                expanded = self._expand_dynamic(block, name, len(views))
                if expanded is None:
                    complete = False
                else:
                    views.extend(expanded)
        return views, complete

    def _expand_dynamic(self, block: Block, name: str, start: int) -> list[BlockView] | None:
        for_each = block.body.attributes.get("for_each")
        contents = block.body.blocks_of("content")
        if for_each is None or not contents:
            return None
        collection = evaluate(for_each.expr, self.scope)  # type: ignore[arg-type]
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list | tuple):
            pairs = list(enumerate(collection))
        else:
            return None
        iterator = name
        if "iterator" in block.body.attributes:
            from ddblint.model.expressions import Variable

            expr = block.body.attributes["iterator"].expr
            iterator = expr.name if isinstance(expr, Variable) else name
        views = []
        for key, item in pairs:
            scope = ChildScope(self.scope, {iterator: {"key": key, "value": item}})  # type: ignore[arg-type]
            view = BlockView(contents[0].body, scope, self.owner, f"{self.path}{name}[{start + len(views)}]")
            view._line = block.line
            views.append(view)
        return views

    # LazyObject: `aws_x.y.vpc_config[0].subnet_ids` from another resource
    def get(self, name: str) -> object:
        if name in self.body.attributes:
            return self.value(name)
        blocks = self.blocks(name)
        if blocks:
            return HclList(blocks)
        return RefValue(self.owner.address, f"{self.path}.{name}" if self.path else name)


class Resource(BlockView):
    """One instance of a `resource` or `data` block, at its module-qualified address."""

    def __init__(self, instance: ModuleInstance, block: Block, key: object = None, each_value: object = None):
        self.instance = instance
        self.block = block
        self.mode = "data" if block.type == "data" else "managed"
        self.type, self.name = block.labels[0], block.labels[1]
        self.key = key
        local = f"data.{self.type}.{self.name}" if self.mode == "data" else f"{self.type}.{self.name}"
        self.local_address = local
        self.address = instance.qualify(local + _key_suffix(key))
        self.file = block.file
        bindings: dict[str, object] = {}
        if isinstance(key, int):
            bindings["count"] = {"index": key}
        elif isinstance(key, str):
            bindings["each"] = {"key": key, "value": each_value}
        elif key is UNKNOWN:
            bindings["count"] = {"index": UNKNOWN}
            bindings["each"] = {"key": UNKNOWN, "value": UNKNOWN}
        bindings["self"] = self
        super().__init__(block.body, ChildScope(instance, bindings), self, "")

    @property
    def full_type(self) -> str:
        return f"data.{self.type}" if self.mode == "data" else self.type

    @property
    def location(self) -> Location:  # type: ignore[override]
        return Location(self.file, self.block.line)

    @property
    def module_address(self) -> str:
        return self.instance.prefix

    def sibling(self, local_address: str) -> Resource | None:
        return self.instance.model.resource(self.instance.qualify(local_address))

    def get(self, name: str) -> object:
        computed = _computed_attribute(self, name)
        if computed is not None:
            return computed
        value = super().get(name)
        if type(value) is str:
            return TracedStr(value, RefValue(self.address, name))
        if isinstance(value, Symbolic) and value.origin is None:
            return Symbolic(value.parts, RefValue(self.address, name))
        if value is UNKNOWN:
            return RefValue(self.address, name)  # known by identity: rules still follow it to this resource
        return value

    def index(self, key: object) -> object:
        return self

    def __repr__(self) -> str:
        return f"<Resource {self.address}>"


def _redacted(value: object) -> object:
    """A `sensitive = true` variable's or output's value as the rules see it: UNKNOWN, so no part of it can
    reach a message in any format (rules stay silent on UNKNOWN). A plain reference to a resource or module
    is kept: it names a thing and holds no secret, and rules still follow it (`var.role` passed a role)."""
    if isinstance(value, RefValue | LazyObject):
        return value
    return UNKNOWN


def _holds_reference(value: object) -> bool:
    """True when a value refers to a resource somewhere (rules follow those; a plan's text would hide them)."""
    if isinstance(value, RefValue | TracedStr):
        return True
    if isinstance(value, Symbolic):
        return bool(value.refs)
    if isinstance(value, JsonText):
        return _holds_reference(value.value)
    if isinstance(value, dict):
        return any(_holds_reference(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_reference(v) for v in value)
    return False


def instances_of(entry: object) -> list[object]:
    """The instances `ModuleInstance.entry` expanded a block into: each element of its list or map, the
    representative of `UnexpandedInstances`, or the one instance (a Resource or ModuleOutputs; UNKNOWN for
    a module call that could not be loaded)."""
    if isinstance(entry, UnexpandedInstances):
        return [entry.representative]
    if isinstance(entry, dict):
        return list(entry.values())
    if isinstance(entry, list):
        return list(entry)
    return [entry]


def instance_count(value: object) -> int | None:
    """A `count` value as Terraform reads it; None when it is not known (or not a valid count).

    A whole number of at least 0; a string converts to a number (`count = "${var.n}"`, `count = "2"`); a bool
    counts as 1 or 0, as Terraform 0.11 read `count = "${var.enabled}"` (it turned booleans into "1" and "0";
    Terraform 0.12 and later reject a bool count, so only code written for 0.11 has one).
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0 or value != int(value):
        return None
    return int(value)


def _key_suffix(key: object) -> str:
    if key is None or key is UNKNOWN:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f'["{key}"]'


def _computed_attribute(resource: Resource, name: str) -> object | None:
    """Attributes that data sources compute from their arguments: policy documents, caller identity."""
    if resource.full_type == "data.aws_iam_policy_document" and name in ("json", "minified_json"):
        from ddblint.model.policy import document_from_data_source

        document = document_from_data_source(resource)
        return UNKNOWN if document is None else JsonText(document)
    return None


def _convert(value: object, type_expr: Expr) -> object:
    """Apply a variable's simple type constraint (`number`, `string`, `bool`) to a value."""
    from ddblint.model.expressions import Variable

    if not isinstance(type_expr, Variable):
        return value
    if type_expr.name == "number" and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return UNKNOWN
        return int(number) if number.is_integer() else number
    if type_expr.name == "bool" and isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    if type_expr.name == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def iter_values(value: object) -> Iterator[object]:
    """The elements of a list-like value (a single value counts as one)."""
    if isinstance(value, list | tuple):
        yield from value
    elif value is not MISSING and value is not None:
        yield value


__all__ = [
    "MISSING",
    "UNKNOWN",
    "BlockView",
    "HclList",
    "HclObject",
    "Model",
    "ModuleInstance",
    "ModuleOutputs",
    "Resource",
    "UnexpandedInstances",
    "instance_count",
    "instances_of",
    "iter_values",
]

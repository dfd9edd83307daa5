"""What a module call takes and gives, for a fix written where the user edits: the root and their own modules.

A finding about a resource inside a module instance is reported at the module's line, but a user who calls a
registry module (or any module) changes the `module` block in their root, not the module's code. This module
answers, from the parsed configuration, what they can write there:

- `input_feeding(resource, attribute)`: the input of the module call whose value reaches the attribute
  (`timeout = var.timeout` in the module, `timeout = 30` in `module "orders"`), followed through nested calls
  up to the call the user writes;
- `output_exposing(resource, attribute)`: how the root refers to the attribute through the module's outputs
  (`output "function_name" { value = aws_lambda_function.this.function_name }` -> `module.lambda.function_name`);
- `dependency(dependent, dependency)`: where a `depends_on` goes so one resource waits for another, and what it
  lists (`depends_on = [module.notify_function]` on a root resource, or on the `module` block that holds it);
- `call_of(resource)`: the call in the root whose instance holds the resource, and whether the module's code is
  the user's own (a local module: `source = "./..."`) or someone else's (a registry or git module).

`Facts.module_interface` computes them once per model; rules only read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ddblint.findings import Location
from ddblint.model import Model, ModuleInstance, Resource
from ddblint.model.expressions import (
    Attribute,
    Body,
    Call,
    Expr,
    GetAttr,
    Index,
    Literal,
    Splat,
    Variable,
    references,
)

# Calls that pass their first argument through when it is known (`try(x, "")`, `tostring(x)`), and those that
# take one element of a list (`one(x[*].arn)`, `element(concat(x.*.arn, [""]), 0)`): with one of them an output
# that splats a counted resource still holds one value.
PASS_THROUGH_CALLS = frozenset({"try", "coalesce", "tostring", "tonumber", "concat"})
ONE_ELEMENT_CALLS = frozenset({"one", "element"})


@dataclass(frozen=True)
class ModuleCall:
    """A `module` block, as its caller writes it."""

    name: str  # the block's label: `orders` in `module "orders"`
    address: str  # the instance it makes: `module.orders`, `module.orders["eu"]`, `module.a.module.b`
    source: str  # `source` as written ("" when it is not a literal string)
    location: Location  # the `module` block's first line, in the caller's file
    local: bool  # `source` is a path in the same repository (`./...`, `../...`), not a registry or git module

    @property
    def label(self) -> str:
        """How a fix names the block to edit: `module "orders" (main.tf:12)`."""
        return f'module "{self.name}" ({self.location})'


@dataclass(frozen=True)
class ModuleInput:
    """The input of a module call whose value reaches a resource's attribute."""

    call: ModuleCall  # the call to edit: in the root, or in the first module up the chain that fixes the value
    variable: str  # the input's name in that call
    set_at: Location | None  # where the call sets it; None when it leaves the input to its default
    # The root's own variable the call passes on (`timeout = var.timeout` in the root), and where it is declared:
    # its value comes from a .tfvars file, -var or that default.
    root_variable: str | None = None
    declared_at: Location | None = None


@dataclass(frozen=True)
class DependsOn:
    """Where a `depends_on` goes so that one resource is created after another, and the item it lists."""

    item: str  # `aws_iam_role_policy.stream`, `module.notify_function`
    on_call: ModuleCall | None  # the module block that gets it; None: the dependent resource's own block
    editable: bool  # the block is in the user's own code (the root, or a local module called from there)


@dataclass(frozen=True)
class FixText:
    """A fix as the user writes it, and (when it names the `module` block of one instance) what it says for
    every instance of the module's line (`Finding.shared_fix`)."""

    text: str
    shared: str = ""


class ModuleInterface:
    """The inputs and outputs of a model's module calls, as the fixes of the rules need them."""

    def __init__(self, model: Model):
        self.model = model
        self._calls: dict[str, ModuleCall] = {}

    # -- calls ------------------------------------------------------------------------------------------------
    def call(self, instance: ModuleInstance) -> ModuleCall | None:
        """The `module` block that made an instance; None for the root."""
        if instance.call is None:
            return None
        found = self._calls.get(instance.prefix)
        if found is None:
            block = instance.call
            source = block.body.attributes.get("source")
            written = source.expr.value if source is not None and isinstance(source.expr, Literal) else None
            text = written if isinstance(written, str) else ""
            found = self._calls[instance.prefix] = ModuleCall(
                name=block.labels[0],
                address=instance.prefix,
                source=text,
                location=Location(block.file, block.line),
                local=text.startswith(("./", "../")) or text in (".", ".."),
            )
        return found

    def call_of(self, resource: Resource) -> ModuleCall | None:
        """The call in the root whose instance holds the resource (the outermost); None for a root resource."""
        chain = _chain(resource.instance)
        return self.call(chain[1]) if len(chain) > 1 else None

    def editable(self, instance: ModuleInstance) -> bool:
        """The instance's code is the user's own: the root, or a local module called from their own code."""
        while instance.parent is not None:
            call = self.call(instance)
            if call is None or not call.local:
                return False
            instance = instance.parent
        return True

    # -- inputs -----------------------------------------------------------------------------------------------
    def input_feeding(self, resource: Resource, attribute: str) -> ModuleInput | None:
        """The input of a module call that sets `attribute` (`timeout`, `point_in_time_recovery.enabled`) of a
        resource inside a module: the module writes it as `var.x`, and each call up the chain passes its own
        `var.y` on, to the call that sets a value or leaves the default (in the root for a module the root
        calls). None for a root resource, or when the module writes the attribute otherwise or not at all."""
        instance = resource.instance
        written = _attribute_at(resource.body, attribute)
        variable = _variable_name(written.expr) if written is not None else None
        if instance.call is None or variable is None or variable not in instance.source.variables:
            return None
        while True:
            parent = instance.parent
            call = self.call(instance)
            assert parent is not None and call is not None and instance.call is not None
            passed = instance.call.body.attributes.get(variable)
            outer = _variable_name(passed.expr) if passed is not None else None
            if parent.call is None or outer is None or outer not in parent.source.variables:
                at = Location(instance.call.file, passed.line) if passed is not None else None
                declaration = parent.source.variables.get(outer) if outer is not None else None
                if parent.call is not None or declaration is None:
                    return ModuleInput(call=call, variable=variable, set_at=at)
                declared = Location(declaration.file, declaration.line)
                return ModuleInput(call, variable, at, root_variable=outer, declared_at=declared)
            instance, variable = parent, outer

    # -- outputs ----------------------------------------------------------------------------------------------
    def output_exposing(self, resource: Resource, attribute: str, reader: ModuleInstance | None = None) -> str | None:
        """How code in `reader` (the root when not given) refers to `attribute` of a resource inside a module
        it calls, through the outputs of each module up the chain (`module.lambda.function_name`); the plain
        reference when the reader holds the resource itself; None when no output exposes it."""
        chain = _chain(resource.instance)
        reader = reader or chain[0]
        if reader not in chain:
            return None
        path = chain[chain.index(reader) :]
        if len(path) == 1:
            return f"{resource.local_address}{_key_text(resource.key)}.{attribute}"
        names = ("data", resource.type, resource.name) if resource.mode == "data" else (resource.type, resource.name)
        wanted: list[tuple[tuple[str, ...], str]] = [(names, attribute)]
        for instance in reversed(path[1:]):
            call = instance.call
            assert call is not None
            found: list[tuple[tuple[str, ...], str]] = []
            for name, block in sorted(instance.source.outputs.items()):
                value = block.body.attributes.get("value")
                suffixes = [_exposes(value.expr, *target) for target in wanted] if value is not None else []
                suffix = next((s for s in suffixes if s is not None), None)
                if suffix is not None:
                    found.append((("module", call.labels[0]), f"{name}{suffix}"))
            if not found:
                return None
            wanted = sorted(found, key=lambda target: (target[1].count("."), target[1]))  # its own output first
        local_call = path[1].prefix.removeprefix(f"{reader.prefix}.") if reader.prefix else path[1].prefix
        return f"{local_call}.{wanted[0][1]}"

    # -- fixes written where the user edits ---------------------------------------------------------------------
    def setting_fix(self, resource: Resource, attribute: str, value: str, fix: str, also: str = "") -> FixText:
        """The fix that sets `attribute` of a resource to `value`, written where the user edits. `fix` is the
        rule's fix as the resource's own code would take it: kept for a root resource. For a resource inside a
        module: the input of the module call that sets the attribute (`set timeout = 30 in module "orders"
        (main.tf:12)`); else, the module has no such input, the line in the module for a local module, and for
        someone else's module that they change it or ask its maintainer. `also` is the rest of the rule's fix
        beyond the setting (`return {"batchItemFailures": ...} from the handler`), added to the module input's."""
        call = self.call_of(resource)
        if call is None:
            return FixText(fix)
        feeding = self.input_feeding(resource, attribute)
        where = f"of {resource.local_address}"
        if feeding is not None and self.editable(_instance_of(resource, feeding.call)):
            at = feeding.call.label if feeding.set_at is None else f'module "{feeding.call.name}" ({feeding.set_at})'
            rest = f"; {also}" if also else ""
            if feeding.root_variable is not None:
                assignment = (
                    f"set the root variable {feeding.root_variable} = {value} (in a .tfvars file, or its default "
                    f"at {feeding.declared_at})"
                )
                through = f"through the input {feeding.variable} of"
                return FixText(
                    f"{assignment}: it sets {attribute} {where} {through} {at}{rest}",
                    f"{assignment}: it sets {attribute} {where} {through} the module block of each instance{rest}",
                )
            assignment = f"set {feeding.variable} = {value}"
            return FixText(
                f"{assignment} in {at}, the module input for {attribute} {where}{rest}",
                f"{assignment} in the module block of each instance, the module input for {attribute} {where}{rest}",
            )
        written = _attribute_at(resource.body, attribute)
        line = Location(resource.file, written.line) if written is not None else resource.location
        in_module = fix.replace(f"{resource.instance.prefix}.", "")  # as the module's code names its resources
        if feeding is not None:  # the call that sets the input is in a module that is not the user's own
            fixed_at = feeding.set_at or feeding.call.location
            return FixText(
                f"{attribute} {where} comes from the input {feeding.variable} that {feeding.call.label} sets inside "
                f"another module; change {fixed_at} or ask its maintainer: {in_module}"
            )
        paths = references(written.expr) if written is not None else []
        for_each = resource.block.body.attributes.get("for_each")
        if for_each is not None and any(path[:1] == ("each",) for path in paths):
            paths += references(for_each.expr)  # `each.value.x` comes from what the block iterates over
        inputs = sorted({path[1] for path in paths if path[:1] == ("var",) and len(path) > 1})
        if inputs:
            computed = f"the module computes {attribute} {where} from its input {', '.join(inputs)} ({line})"
            return FixText(
                f"{computed}: set {'them' if len(inputs) > 1 else 'it'} in {call.label} so that {attribute} = {value}",
                f"{computed}: set {'them' if len(inputs) > 1 else 'it'} in the module block of each instance so that "
                f"{attribute} = {value}",
            )
        missing = f"the module exposes no {attribute} input"
        if self.editable(resource.instance):
            return FixText(f"{missing}; in {line}, {in_module}")
        return FixText(f"{missing}; change {line} or ask its maintainer: {in_module}")

    def written_name(self, resource: Resource, attribute: str) -> str:
        """How a fix names a resource the user attaches something to (`attribute` being what the attachment
        takes, e.g. a role's `name`): its address in the root; through a module's output from the root
        (`module.function.role_name`); else the resource in the module's code and where it is, as the module
        gives the root no way to name it (`aws_iam_role.this (modules/function/main.tf:1)`)."""
        if resource.instance.call is None:
            return resource.address
        exposed = self.output_exposing(resource, attribute)
        if exposed is not None:
            return f"the {resource.type.removeprefix('aws_').replace('_', ' ')} named by {exposed}"
        return self.where_written(resource)

    def where_written(self, resource: Resource) -> str:
        """A resource as the code that writes it names it: its address in the root; inside a module, its
        address in the module's code and its line (`aws_iam_role.this (modules/function/main.tf:1)`)."""
        if resource.instance.call is None:
            return resource.address
        return f"{resource.local_address} ({resource.location})"

    def depends_on_fix(self, dependent: Resource, dependency: Resource, noun: str, alternative: str = "") -> FixText:
        """`add depends_on = [...] to ...` so `dependent` (called `noun`: "the mapping") waits for `dependency`,
        on the block the user edits; `alternative` (" (or ...)") follows it."""
        place = self.dependency(dependent, dependency)
        assignment = f"add depends_on = [{place.item}]"
        if place.on_call is not None:
            others = "" if place.editable else " (a block inside a module that is not yours: ask its maintainer)"
            return FixText(
                f"{assignment} to {place.on_call.label}{alternative}{others}",
                f"{assignment} to the module block of each instance{alternative}{others}",
            )
        text = f"{assignment} to {noun}{alternative}"
        if not place.editable:
            text = f"the module's code decides this; change {dependent.location} or ask its maintainer: {text}"
        return FixText(text)

    # -- creation order ---------------------------------------------------------------------------------------
    def dependency(self, dependent: Resource, dependency: Resource) -> DependsOn:
        """Where `depends_on` goes so `dependent` waits for `dependency`: on the dependent resource when both are
        in one module instance (listing the dependency's block), else on the block, in the innermost module
        both are in, that holds the dependent (the resource or a `module` block), listing the dependency's
        block there or the `module` block that holds it (`module.notify_function`)."""
        mine, theirs = _chain(dependent.instance), _chain(dependency.instance)
        common = 0
        while common < min(len(mine), len(theirs)) and mine[common] is theirs[common]:
            common += 1
        shared = mine[common - 1]
        if len(theirs) > common:
            item = f"module.{theirs[common].call.labels[0]}"  # type: ignore[union-attr]
        else:
            item = dependency.local_address
        on_call = self.call(mine[common]) if len(mine) > common else None
        return DependsOn(item=item, on_call=on_call, editable=self.editable(shared))


def _instance_of(resource: Resource, call: ModuleCall) -> ModuleInstance:
    """The instance, on the way from the root to the resource, whose code holds `call`."""
    for instance in _chain(resource.instance):
        if instance.prefix == call.address:
            return instance.parent  # type: ignore[return-value]
    return resource.instance


def _chain(instance: ModuleInstance) -> list[ModuleInstance]:
    """The instances from the root down to `instance`."""
    chain = [instance]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)  # type: ignore[arg-type]
    return list(reversed(chain))


def _attribute_at(body: Body, path: str) -> Attribute | None:
    """The attribute at a dotted path (`timeout`, `point_in_time_recovery.enabled`) of a body: nested blocks
    written out or as the `content` of a `dynamic` block; None when it is not written."""
    *blocks, name = path.split(".")
    for block_type in blocks:
        nested = body.blocks_of(block_type) or [
            content
            for dynamic in body.blocks_of("dynamic")
            if dynamic.labels[:1] == (block_type,)
            for content in dynamic.body.blocks_of("content")
        ]
        if len(nested) != 1:
            return None
        body = nested[0].body
    return body.attributes.get(name)


def _variable_name(expr: Expr) -> str | None:
    """`x` when an expression is `var.x` (or passes it through: `try(var.x, 3)`, `tonumber(var.x)`)."""
    while isinstance(expr, Call) and expr.name in PASS_THROUGH_CALLS and expr.args:
        expr = expr.args[0]
    if isinstance(expr, GetAttr) and isinstance(expr.target, Variable) and expr.target.name == "var":
        return expr.name
    return None


def _traversal(expr: Expr) -> list[str] | None:
    """The names of a reference (`aws_x.y[0].arn` -> [aws_x, y, arn]), index steps left out; None otherwise."""
    names: list[str] = []
    while isinstance(expr, GetAttr | Index):
        if isinstance(expr, GetAttr):
            names.append(expr.name)
        expr = expr.target
    if not isinstance(expr, Variable):
        return None
    return [expr.name, *reversed(names)]


def _exposes(expr: Expr, prefix: tuple[str, ...], attribute: str) -> str | None:
    """What follows the output's name to reach `attribute` of the thing at `prefix` when an output's value is
    it ("" for `value = aws_x.y.attr`, `.attr` for `value = aws_x.y`); None when the output is something else."""
    one_element = False
    while isinstance(expr, Call) and expr.name in PASS_THROUGH_CALLS | ONE_ELEMENT_CALLS and expr.args:
        one_element = one_element or expr.name in ONE_ELEMENT_CALLS
        expr = expr.args[0]
    if isinstance(expr, Splat):
        if not one_element:
            return None  # a list of every instance's value, not the one value a fix writes
        steps = [name for kind, name in expr.steps if kind == "attr"]
        names = _traversal(expr.target)
        if names is None:
            return None
        names = names + steps
    else:
        names = _traversal(expr)
        if names is None:
            return None
    head, tail = tuple(names[: len(prefix)]), names[len(prefix) :]
    if head != prefix:
        return None
    wanted = attribute.split(".")
    if tail == wanted:
        return ""
    if not tail:
        return "." + attribute
    return None


def _key_text(key: object) -> str:
    if isinstance(key, bool) or key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    if isinstance(key, str):
        return f'["{key}"]'
    return ""


__all__ = ["DependsOn", "FixText", "ModuleCall", "ModuleInput", "ModuleInterface"]

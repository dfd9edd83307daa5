"""Read `terraform show -json` output and build the same `Model` the HCL path builds, with what the plan knows.

With the source directory (`ddblint plan PLAN.json --source DIR`), the `.tf` files are loaded by
`TerraformLoader` in the same pipeline as `ddblint check` (`ddblint.pipeline`), so expressions, references and
lines are exactly those of `check`. The plan is one more layer of values (`value_layer`), which adds:

- the root module's variable values the plan was made with (`-var`, `TF_VAR_*`, tfvars files);
- `Model.known_values`: each resource's planned values (`resource_changes[].change.after`), with `UNKNOWN`
  where the plan does not know them either (`after_unknown`) or where they are sensitive. A written
  attribute whose static evaluation is not known, and holds no reference, takes the planned value; a
  reference (`aws_dynamodb_table.t.stream_arn`) always stays a reference, so rules follow it as on HCL;
- `Model.planned_keys`: the instance keys of resources and modules whose count/for_each the plan decided.

Without the source directory, a stand-in configuration is written from the plan's `configuration` and
values (see `synthesize_configuration`) and loaded the same way; locations are then the plan file, line 0.

Sensitive values (`after_sensitive`, `before_sensitive`, sensitive variables) never enter the model; their
text is collected in `Plan.secrets` so the command can make sure none appears in any output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ddblint.findings import InputError
from ddblint.loaders.terraform import InputErrorException, ValueLayer, read_text
from ddblint.model.values import UNKNOWN

PLAN_FORMAT_MAJOR = "1"
CHANGING_ACTIONS = ({"create"}, {"update"}, {"delete", "create"})
_KEY_SUFFIX = re.compile(r'\[(\d+|"(?:[^"\\]|\\.)*")\]$')


class PlanError(Exception):
    """The file is not a Terraform JSON plan ddblint can read."""


@dataclass
class ResourceChange:
    address: str  # module-qualified, with the instance key: module.a["x"].aws_lambda_function.f[0]
    module_address: str
    mode: str  # managed | data
    type: str
    name: str
    index: object  # None, int or str
    actions: tuple[str, ...]
    before: object
    after: object
    after_unknown: object
    before_sensitive: object
    after_sensitive: object

    @property
    def changing(self) -> bool:
        """Created, updated or replaced (not a no-op, read or delete)."""
        return set(self.actions) in CHANGING_ACTIONS

    @property
    def unkeyed_address(self) -> str:
        return _KEY_SUFFIX.sub("", self.address)


@dataclass
class Plan:
    path: Path
    data: dict
    variables: dict[str, object]  # root variables the plan was made with; sensitive ones are UNKNOWN
    changes: list[ResourceChange]
    secrets: set[str] = field(default_factory=set)  # text of every sensitive value, for redaction

    @property
    def configuration(self) -> dict:
        config = self.data.get("configuration")
        return config if isinstance(config, dict) else {}

    def change(self, address: str) -> ResourceChange | None:
        for change in self.changes:
            if change.address == address:
                return change
        return None

    def changed_addresses(self) -> set[str]:
        return {c.address for c in self.changes if c.changing}


def read_plan(path: Path, rel: str) -> Plan:
    """Parse a `terraform show -json` plan. Raises InputErrorException with a message a user can act on."""
    text = read_text(path, rel)
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", 0)
        raise InputErrorException(InputError(rel, line, f"not JSON: {error}")) from None
    if not isinstance(data, dict) or "format_version" not in data:
        raise InputErrorException(
            InputError(rel, 0, "not a Terraform JSON plan: write one with `terraform show -json PLANFILE > plan.json`")
        )
    version = str(data.get("format_version", ""))
    if version.split(".")[0] != PLAN_FORMAT_MAJOR:
        raise InputErrorException(InputError(rel, 0, f"unsupported plan format_version {version}: ddblint reads 1.x"))
    if "planned_values" not in data and "resource_changes" not in data:
        message = "this is `terraform show -json` of a state, not of a plan: run it on a saved plan file"
        raise InputErrorException(InputError(rel, 0, message))
    data = _sanitize(data)
    secrets: set[str] = set()
    root_config = data["configuration"]["root_module"]
    declared = _dict(root_config.get("variables"))
    variables: dict[str, object] = {}
    for name, entry in data["variables"].items():
        if not isinstance(entry, dict) or "value" not in entry:
            continue
        if _dict(declared.get(name)).get("sensitive"):
            _collect_text(entry["value"], secrets)
            variables[name] = UNKNOWN
        else:
            variables[name] = entry["value"]
    changes = []
    for raw in data["resource_changes"]:
        if not isinstance(raw.get("address"), str):
            continue
        change = _dict(raw.get("change"))
        index = raw.get("index")
        item = ResourceChange(
            address=raw["address"],
            module_address=_str(raw.get("module_address")),
            mode=_str(raw.get("mode")) or "managed",
            type=_str(raw.get("type")),
            name=_str(raw.get("name")),
            index=index if isinstance(index, int | str) and not isinstance(index, bool) else None,
            actions=tuple(a for a in _list(change.get("actions")) if isinstance(a, str)),
            before=change.get("before"),
            after=change.get("after"),
            after_unknown=change.get("after_unknown"),
            before_sensitive=change.get("before_sensitive"),
            after_sensitive=change.get("after_sensitive"),
        )
        for value, mask in ((item.before, item.before_sensitive), (item.after, item.after_sensitive)):
            for secret in sensitive_parts(value, mask):
                _collect_text(secret, secrets)
        changes.append(item)
    # Sensitive outputs, and values planned_values marks sensitive (data sources read at plan time).
    for output in data["planned_values"]["outputs"].values():
        if isinstance(output, dict) and output.get("sensitive"):
            _collect_text(output.get("value"), secrets)
    for module in _planned_modules(data["planned_values"]["root_module"]):
        for resource in module["resources"]:
            for secret in sensitive_parts(resource.get("values"), resource.get("sensitive_values")):
                _collect_text(secret, secrets)
    return Plan(path=path, data=data, variables=variables, changes=changes, secrets=secrets)


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _sanitize_module(module: object, *, configuration: bool = False) -> dict:
    """A planned_values or configuration module with the shapes the loader reads (wrong shapes dropped)."""
    module = dict(_dict(module))
    module["resources"] = [r for r in _list(module.get("resources")) if isinstance(r, dict)]
    if configuration:
        calls = {}
        for name, call in _dict(module.get("module_calls")).items():
            if isinstance(call, dict):
                calls[name] = {**call, "module": _sanitize_module(call.get("module"), configuration=True)}
        module["module_calls"] = calls
        module["variables"] = _dict(module.get("variables"))
        module["outputs"] = _dict(module.get("outputs"))
    else:
        module["child_modules"] = [_sanitize_module(c) for c in _list(module.get("child_modules"))]
        module["address"] = _str(module.get("address"))
    return module


def _sanitize(data: dict) -> dict:
    """The plan with every part the loader walks in the shape Terraform writes it, so odd input never raises."""
    planned = dict(_dict(data.get("planned_values")))
    planned["root_module"] = _sanitize_module(planned.get("root_module"))
    planned["outputs"] = _dict(planned.get("outputs"))
    configuration = dict(_dict(data.get("configuration")))
    configuration["root_module"] = _sanitize_module(configuration.get("root_module"), configuration=True)
    return {
        **data,
        "planned_values": planned,
        "configuration": configuration,
        "variables": _dict(data.get("variables")),
        "resource_changes": [c for c in _list(data.get("resource_changes")) if isinstance(c, dict)],
    }


def sensitive_parts(value: object, mask: object) -> Iterator[object]:
    """The parts of `value` that a `*_sensitive` mask marks true."""
    if mask is True:
        yield value
    elif isinstance(mask, dict) and isinstance(value, dict):
        for key, sub in mask.items():
            yield from sensitive_parts(value.get(key), sub)
    elif isinstance(mask, list) and isinstance(value, list):
        for sub_value, sub_mask in zip(value, mask, strict=False):
            yield from sensitive_parts(sub_value, sub_mask)


def _collect_text(value: object, into: set[str]) -> None:
    if isinstance(value, str):
        if value:
            into.add(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        into.add(str(value))
    elif isinstance(value, dict):
        for item in value.values():
            _collect_text(item, into)
    elif isinstance(value, list):
        for item in value:
            _collect_text(item, into)


def planned_value(value: object, unknown: object, sensitive: object) -> object:
    """`value` with UNKNOWN where `unknown` (after_unknown) or `sensitive` (after_sensitive) marks a part."""
    if unknown is True or sensitive is True:
        return UNKNOWN
    if isinstance(value, dict):
        u = unknown if isinstance(unknown, dict) else {}
        s = sensitive if isinstance(sensitive, dict) else {}
        return {k: planned_value(v, u.get(k), s.get(k)) for k, v in value.items()}
    if isinstance(value, list):
        u = unknown if isinstance(unknown, list) else []
        s = sensitive if isinstance(sensitive, list) else []
        return [
            planned_value(v, u[i] if i < len(u) else None, s[i] if i < len(s) else None) for i, v in enumerate(value)
        ]
    return value


def known_values(plan: Plan) -> dict[str, dict[str, object]]:
    """Address -> attribute -> planned value, for every managed resource the plan keeps or creates."""
    values: dict[str, dict[str, object]] = {}
    for change in plan.changes:
        if change.mode != "managed" or not isinstance(change.after, dict):
            continue
        unknown = change.after_unknown if isinstance(change.after_unknown, dict) else {}
        sensitive = change.after_sensitive if isinstance(change.after_sensitive, dict) else {}
        values[change.address] = {
            name: planned_value(value, unknown.get(name), sensitive.get(name)) for name, value in change.after.items()
        }
        for name in unknown:
            values[change.address].setdefault(name, UNKNOWN)
    return values


def planned_keys(plan: Plan) -> dict[str, list]:
    """Unkeyed address -> instance keys, for resources and module instances with count or for_each."""
    keys: dict[str, list] = {}

    def add(unkeyed: str, key: object) -> None:
        found = keys.setdefault(unkeyed, [])
        if key not in found:
            found.append(key)

    instances = [(c.address, c.module_address, c.index) for c in plan.changes if c.actions != ("delete",)]
    for module in _planned_modules(_sanitize(plan.data)["planned_values"]["root_module"]):
        for resource in module["resources"]:
            index = resource.get("index")
            if isinstance(index, bool) or not isinstance(index, int | str | None):
                index = None
            if isinstance(resource.get("address"), str):
                instances.append((resource["address"], module["address"], index))
    for address, module_address, index in instances:
        if index is not None:
            add(_KEY_SUFFIX.sub("", address), index)
        # Module instances: module.a["x"] in module.a["x"].aws_y.z.
        parts = _split_module_address(module_address)
        for depth, (name, key) in enumerate(parts):
            if key is not None:
                prefix = ".".join(_module_part(n, k) for n, k in parts[:depth])
                add(f"{prefix}.module.{name}" if prefix else f"module.{name}", key)
    for found in keys.values():
        found.sort(key=lambda k: (isinstance(k, str), k))
    return keys


def _planned_modules(module: dict) -> Iterator[dict]:
    yield module
    for child in module["child_modules"]:
        yield from _planned_modules(child)


_MODULE_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?')


def _split_module_address(address: str) -> list[tuple[str, object]]:
    parts: list[tuple[str, object]] = []
    for match in _MODULE_STEP.finditer(address or ""):
        raw = match.group(2)
        key: object = None
        if raw is not None:
            key = int(raw) if raw.isdigit() else json.loads(raw)
        parts.append((match.group(1), key))
    return parts


def _module_part(name: str, key: object) -> str:
    if key is None:
        return f"module.{name}"
    return f"module.{name}[{key}]" if isinstance(key, int) else f"module.{name}[{json.dumps(key)}]"


def value_layer(plan: Plan) -> ValueLayer:
    """What the plan knows, as a layer over the model of the directory it was made in."""
    return ValueLayer(
        root_variables=dict(plan.variables), known_values=known_values(plan), planned_keys=planned_keys(plan)
    )


def has_configuration(directory: Path) -> bool:
    return directory.is_dir() and any(p.suffix == ".tf" and p.is_file() for p in directory.iterdir())


PLACEHOLDER = "var.ddblint_planned_value"  # an undeclared variable: UNKNOWN, so the planned value applies
_NOT_RESOURCES = ("var.", "local.", "path.", "each.", "count.", "self.", "terraform.")


def synthesize_configuration(plan: Plan, scratch: Path) -> Path:
    """Write a stand-in configuration for a plan whose source directory is not at hand; return its root.

    From the plan's `configuration`: every resource, data source, module call, variable and output, with
    constants as written, an attribute that is a reference (`aws_iam_role.r.arn`) as that reference, and
    other top-level attributes as a placeholder that takes each instance's planned value. Templates and
    function calls are not in the plan's configuration, so what they made stays as the plan says, or unknown.
    """
    values = _values_by_address(plan)
    root = scratch / "plan-configuration"
    _write_module(_sanitize(plan.data)["configuration"]["root_module"], root, "", values)
    return root


def _values_by_address(plan: Plan) -> dict[str, tuple[object, object]]:
    """Address -> (planned values, unknown-or-sensitive mask), from resource_changes, else planned_values."""
    values: dict[str, tuple[object, object]] = {}
    for module in _planned_modules(_sanitize(plan.data)["planned_values"]["root_module"]):
        for resource in module["resources"]:
            if isinstance(resource.get("address"), str):
                values[resource["address"]] = (resource.get("values"), resource.get("sensitive_values"))
    for change in plan.changes:
        if isinstance(change.after, dict):
            values[change.address] = (change.after, _union_mask(change.after_unknown, change.after_sensitive))
    return values


def _union_mask(first: object, second: object) -> object:
    if first is True or second is True:
        return True
    if isinstance(first, dict) or isinstance(second, dict):
        a = first if isinstance(first, dict) else {}
        b = second if isinstance(second, dict) else {}
        return {k: _union_mask(a.get(k), b.get(k)) for k in set(a) | set(b)}
    if isinstance(first, list) or isinstance(second, list):
        a = first if isinstance(first, list) else []
        b = second if isinstance(second, list) else []
        return [
            _union_mask(a[i] if i < len(a) else None, b[i] if i < len(b) else None) for i in range(max(len(a), len(b)))
        ]
    return None


def _write_module(config: dict, directory: Path, prefix: str, values: dict) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    for name, variable in sorted((config.get("variables") or {}).items()):
        lines = [f"variable {_quote(name)} {{"]
        if isinstance(variable, dict) and "default" in variable:
            lines.append(f"  default = {hcl_literal(variable['default'])}")
        if isinstance(variable, dict) and variable.get("sensitive"):
            lines.append("  sensitive = true")
        out.append("\n".join([*lines, "}"]))
    for name, output in sorted((config.get("outputs") or {}).items()):
        expression = _dict(_dict(output).get("expression"))
        value = _expression(expression, None, None, top_level=False) or PLACEHOLDER
        out.append(f"output {_quote(name)} {{\n  value = {value}\n}}")
    for resource in config.get("resources") or []:
        out.append(_resource_block(resource, prefix, values))
    for name, call in sorted((config.get("module_calls") or {}).items()):
        child_prefix = f"{prefix}.module.{name}" if prefix else f"module.{name}"
        child_dir = f"m_{re.sub(r'[^A-Za-z0-9_-]', '_', name)}"
        lines = [f"module {_quote(name)} {{", f"  source = {_quote('./' + child_dir)}"]
        lines += _meta_arguments(call)
        for key, expression in sorted((call.get("expressions") or {}).items()):
            if isinstance(expression, dict):
                lines.append(f"  {key} = {_expression(expression, None, None, top_level=False) or PLACEHOLDER}")
        out.append("\n".join([*lines, "}"]))
        _write_module(call.get("module") or {}, directory / child_dir, child_prefix, values)
    (directory / "main.tf").write_text("\n\n".join(out) + "\n", encoding="utf-8")


def _meta_arguments(config: dict) -> list[str]:
    lines = []
    if "count_expression" in config:
        constant = _dict(config["count_expression"]).get("constant_value")
        lines.append(f"  count = {hcl_literal(constant) if isinstance(constant, int) else PLACEHOLDER}")
    if "for_each_expression" in config:
        lines.append(f"  for_each = {PLACEHOLDER}")
    depends_on = [d for d in _list(config.get("depends_on")) if isinstance(d, str)]
    if depends_on:
        lines.append(f"  depends_on = [{', '.join(depends_on)}]")
    return lines


def _resource_block(resource: dict, prefix: str, values: dict) -> str:
    kind = "data" if resource.get("mode") == "data" else "resource"
    local = resource.get("address", "")
    address = f"{prefix}.{local}" if prefix else local
    planned, mask = values.get(address, values.get(address + "[0]", values.get(address + '["0"]', (None, None))))
    for key, value in values.items():  # the first instance of a counted or for_each resource
        if planned is None and key.startswith(address + "["):
            planned, mask = value
    lines = [f"{kind} {_quote(resource.get('type', ''))} {_quote(resource.get('name', ''))} {{"]
    lines += _meta_arguments(resource)
    resolve = _resolver(prefix, values)
    lines += _body(_dict(resource.get("expressions")), planned, mask, "  ", top_level=True, resolve=resolve)
    return "\n".join([*lines, "}"])


def _body(
    expressions: dict, planned: object, mask: object, indent: str, *, top_level: bool, resolve: Callable[[str], object]
) -> list[str]:
    planned = planned if isinstance(planned, dict) else {}
    mask = mask if isinstance(mask, dict) else {}
    lines = []
    for name, expression in expressions.items():
        if isinstance(expression, list):  # nested blocks
            blocks = planned.get(name) if isinstance(planned.get(name), list) else []
            masks = mask.get(name) if isinstance(mask.get(name), list) else []
            for index, block in enumerate(b for b in expression if isinstance(b, dict)):
                sub_planned = blocks[index] if index < len(blocks) else None
                sub_mask = masks[index] if index < len(masks) else None
                lines.append(f"{indent}{name} {{")
                lines += _body(block, sub_planned, sub_mask, indent + "  ", top_level=False, resolve=resolve)
                lines.append(f"{indent}}}")
        elif isinstance(expression, dict):
            text = _expression(expression, planned.get(name), mask.get(name), top_level=top_level, resolve=resolve)
            if text is not None:
                lines.append(f"{indent}{name} = {text}")
    return lines


_NOTHING = object()


def _expression(
    expression: dict, planned: object, mask: object, *, top_level: bool, resolve: Callable[[str], object] | None = None
) -> str | None:
    """HCL for one configuration expression: a constant, a reference, or what the plan says."""
    if "constant_value" in expression:
        return hcl_literal(expression["constant_value"])
    references = [r for r in _list(expression.get("references")) if isinstance(r, str)]
    primary = [r for r in references if not any(o != r and o.startswith(r + ".") for o in references)]
    resources = [r for r in primary if not r.startswith(_NOT_RESOURCES)]
    known = planned is not None and (mask is None or not marks_any(mask))
    if len(primary) == 1 and resources:
        reference = resources[0]
        wrap = isinstance(planned, list) and not reference.startswith("module.")
        referenced = _NOTHING if resolve is None or reference.startswith("module.") else resolve(reference)
        # A known value that is not the referenced attribute itself came from a template or a function
        # ("table/${aws_dynamodb_table.t.name}"): the plan's value is right, the bare reference would not be.
        if not known or referenced is _NOTHING or planned in (referenced, [referenced]):
            return f"[{reference}]" if wrap else reference
    if top_level:
        return PLACEHOLDER  # each instance's planned value, through Model.known_values
    if known:
        return hcl_literal(planned)
    if resources:
        return f"[{', '.join(resources)}]" if isinstance(planned, list) else resources[0]
    return PLACEHOLDER


def _resolver(prefix: str, values: dict) -> Callable[[str], object]:
    """The planned value of `type.name.attr` (or `data.type.name.attr`) in a module, or _NOTHING."""

    def resolve(reference: str) -> object:
        parts = reference.split(".")
        size = 3 if parts[0] == "data" else 2
        if len(parts) <= size:
            return _NOTHING
        local = ".".join(parts[:size])
        address = f"{prefix}.{local}" if prefix else local
        planned, mask = values.get(address, values.get(address + "[0]", (None, None)))
        attribute = parts[size]
        if not isinstance(planned, dict) or attribute not in planned:
            return _NOTHING
        if isinstance(mask, dict) and marks_any(mask.get(attribute)):
            return _NOTHING
        return planned[attribute]

    return resolve


def marks_any(mask: object) -> bool:
    """Does an `after_unknown`/`after_sensitive` mask mark anything (a true anywhere inside it)?"""
    if mask is True:
        return True
    if isinstance(mask, dict):
        return any(marks_any(v) for v in mask.values())
    if isinstance(mask, list):
        return any(marks_any(v) for v in mask)
    return False


def _quote(text: str) -> str:
    return hcl_literal(str(text))


def hcl_literal(value: object) -> str:
    """A value as an HCL literal expression."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = json.dumps(value)[1:-1].replace("${", "$${").replace("%{", "%%{")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(hcl_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {hcl_literal(v)}" for k, v in value.items()) + "}"
    return "null"

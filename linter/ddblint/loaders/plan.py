"""Read `terraform show -json` output and build the same `Model` the HCL path builds, with what the plan knows.

With the source directory (`ddblint plan PLAN.json --source DIR`), the `.tf` files are loaded by
`TerraformLoader`, so expressions, references and lines are exactly those of `ddblint check`. The plan adds:

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
from ddblint.loaders.terraform import InputErrorException, TerraformLoader, read_text
from ddblint.model import Model
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
    secrets: set[str] = set()
    root_config = (data.get("configuration") or {}).get("root_module") or {}
    declared = root_config.get("variables") or {}
    variables: dict[str, object] = {}
    for name, entry in (data.get("variables") or {}).items():
        if not isinstance(entry, dict) or "value" not in entry:
            continue
        if (declared.get(name) or {}).get("sensitive"):
            _collect_text(entry["value"], secrets)
            variables[name] = UNKNOWN
        else:
            variables[name] = entry["value"]
    changes = []
    for raw in data.get("resource_changes") or []:
        if not isinstance(raw, dict) or "address" not in raw:
            continue
        change = raw.get("change") or {}
        item = ResourceChange(
            address=raw["address"],
            module_address=raw.get("module_address", ""),
            mode=raw.get("mode", "managed"),
            type=raw.get("type", ""),
            name=raw.get("name", ""),
            index=raw.get("index"),
            actions=tuple(change.get("actions") or ()),
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
    for output in ((data.get("planned_values") or {}).get("outputs") or {}).values():
        if isinstance(output, dict) and output.get("sensitive"):
            _collect_text(output.get("value"), secrets)
    for module in _planned_modules((data.get("planned_values") or {}).get("root_module") or {}):
        for resource in module.get("resources") or []:
            for secret in sensitive_parts(resource.get("values"), resource.get("sensitive_values")):
                _collect_text(secret, secrets)
    return Plan(path=path, data=data, variables=variables, changes=changes, secrets=secrets)


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
    planned_root = (plan.data.get("planned_values") or {}).get("root_module") or {}
    for module in _planned_modules(planned_root):
        for resource in module.get("resources") or []:
            if isinstance(resource, dict) and "address" in resource:
                instances.append((resource["address"], module.get("address", ""), resource.get("index")))
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
    for child in module.get("child_modules") or []:
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


class PlanLoader(TerraformLoader):
    """A TerraformLoader whose Model starts with what the plan knows."""

    def __init__(self, root: Path, plan: Plan, excluded: Callable[[str], bool] = lambda rel: False):
        super().__init__(root, excluded)
        self.plan = plan
        self._root_dir: Path | None = None

    def new_model(self, root_dir: Path) -> Model:
        model = super().new_model(root_dir)
        model.known_values = known_values(self.plan)
        model.planned_keys = planned_keys(self.plan)
        return model

    def tfvars(self, directory: Path) -> dict[str, object]:
        # The plan says what every root variable was: -var, TF_VAR_*, tfvars files and defaults alike.
        if self._root_dir is not None and directory.resolve() == self._root_dir:
            return dict(self.plan.variables)
        return super().tfvars(directory)

    def build_plan_model(self, source_dir: Path) -> Model:
        self._root_dir = source_dir.resolve()
        return self.build_model(source_dir)


def has_configuration(directory: Path) -> bool:
    return directory.is_dir() and any(p.suffix == ".tf" and p.is_file() for p in directory.iterdir())


def synthesize_configuration(plan: Plan, scratch: Path) -> Path:
    """Write a stand-in root module for a plan whose source directory is not at hand; return its directory.

    Placeholder until the configuration synthesis lands: an empty module, so only plan-wide notes apply.
    """
    module_dir = scratch / "plan-configuration"
    module_dir.mkdir(parents=True, exist_ok=True)
    (module_dir / "main.tf").write_text("# synthesized from the plan\n", encoding="utf-8")
    return module_dir

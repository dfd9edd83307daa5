"""What the scanned code passes to module calls ddblint cannot load (registry modules not downloaded, ...).

Such a module may create routes, endpoints, egress rules, alarms or log groups for what it is given, so the
rules that report something *missing* stay silent about resources passed to one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ddblint.model import MODULE_META_ARGUMENTS, Model, instances_of
from ddblint.model.evaluate import evaluate
from ddblint.model.values import UNKNOWN, JsonText, RefValue, Symbolic, TracedStr


@dataclass
class OpaqueInputs:
    """The resource addresses and strings given to module calls that could not be loaded."""

    addresses: set[str] = field(default_factory=set)
    strings: set[str] = field(default_factory=set)

    def mention(self, *addresses: str) -> bool:
        return any(a in self.addresses for a in addresses)


def opaque_inputs(model: Model) -> OpaqueInputs:
    """Collect them over every module instance of the model (`Facts.opaque_inputs` keeps the answer)."""
    found = OpaqueInputs()
    for instance in list(model.instances):
        for call in instance.source.module_calls:
            if all(i is not UNKNOWN for i in instances_of(instance.entry(f"module.{call.labels[0]}"))):
                continue  # loaded, or no instance at all (count = 0)
            for name, attribute in call.body.attributes.items():
                if name not in MODULE_META_ARGUMENTS:
                    _collect(evaluate(attribute.expr, instance), found, 0)
    return found


def _collect(value: object, found: OpaqueInputs, depth: int) -> None:
    if depth > 20:
        return
    if isinstance(value, TracedStr):
        found.addresses.add(value.origin.address)
        found.strings.add(str(value))
    elif isinstance(value, RefValue):
        found.addresses.add(value.address)
    elif isinstance(value, Symbolic):
        found.addresses.update(r.address for r in value.refs)
    elif isinstance(value, JsonText):
        _collect(value.value, found, depth + 1)
    elif isinstance(value, str):
        found.strings.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found, depth + 1)

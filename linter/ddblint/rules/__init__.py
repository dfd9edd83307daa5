"""The rule registry: every rule of every family, by ID.

A family module (`iam.py`, `str.py`, ...) defines its rules with `Rule(...)` and registers each check with
the `@RULE.check` decorator. `all_rules()` imports the families and returns the rules sorted by ID (the DDB rules last).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from ddblint.findings import Finding, Location, Severity

if TYPE_CHECKING:
    from ddblint.model import Model

# One module per family. STR lives in `stream.py`: a submodule named `str` would shadow the builtin in this
# package. DDB (`ddb.py`) holds the rules about ddblint's own input, listed after the others.
FAMILIES = ("iam", "stream", "lam", "rty", "net", "ops", "ddb")
INPUT_FAMILY = "DDB"
DOCS_URL = "https://github.com/ddblint/ddblint/blob/main/linter/ddblint/rules/docs/{id}.md"

Options = Mapping[str, Any]
CheckFunction = Callable[["Model", Options], Iterator[Finding]]

_REGISTRY: dict[str, Rule] = {}


@dataclass
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    source_urls: tuple[str, ...]
    tags: tuple[str, ...] = ()
    # Option name -> default value; users override them in the config file.
    options: dict[str, Any] = field(default_factory=dict)
    _check: CheckFunction | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.id in _REGISTRY:
            raise ValueError(f"rule {self.id} registered twice")
        _REGISTRY[self.id] = self

    @property
    def family(self) -> str:
        return self.id[:3]

    @property
    def help_uri(self) -> str:
        return DOCS_URL.format(id=self.id)

    @property
    def checks_model(self) -> bool:
        """False for the DDB rules about ddblint's input: the pipeline reports them, not a check on a model."""
        return self._check is not None

    def check(self, function: CheckFunction) -> CheckFunction:
        """Decorator: register `function` as this rule's check."""
        self._check = function
        return function

    def run(self, model: Model, options: Options | None = None) -> Iterator[Finding]:
        if self._check is None:
            raise RuntimeError(f"rule {self.id} has no check")
        merged = {**self.options, **(options or {})}
        return self._check(model, merged)

    def finding(
        self,
        resource: Any,
        *,
        message: str,
        fix: str,
        at: Location | None = None,
        severity: Severity | None = None,
        address: str | None = None,
        related: tuple[Location, ...] = (),
        shared_message: str = "",
        shared_fix: str = "",
    ) -> Finding:
        """A finding of this rule on `resource` (anything with `.address` and `.location`). `shared_message`
        and `shared_fix` say it for every instance of the source location when `message`/`fix` name something
        of this instance alone (see `Finding.shared_message`)."""
        return Finding(
            rule_id=self.id,
            rule_name=self.name,
            severity=severity or self.severity,
            address=address or resource.address,
            location=at or resource.location,
            message=_bounded(message),
            fix=_bounded(fix),
            related=related,
            shared_message=_bounded(shared_message),
            shared_fix=_bounded(shared_fix),
        )

    @property
    def doc(self) -> str:
        """The rule's Markdown doc (`ddblint explain ID`)."""
        return resources.files("ddblint.rules").joinpath("docs", f"{self.id}.md").read_text(encoding="utf-8")


# A safety net behind the per-value excerpts (`values.excerpt`): no message or fix outgrows a PR comment line.
MAX_MESSAGE = 1000


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "\u2026"


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by ID, the DDB rules about ddblint's own input last."""
    for family in FAMILIES:
        importlib.import_module(f"ddblint.rules.{family}")
    return sorted(_REGISTRY.values(), key=lambda r: (r.family == INPUT_FAMILY, r.id))


def get_rule(rule_id: str) -> Rule | None:
    all_rules()
    return _REGISTRY.get(rule_id.upper())

"""Findings and rules built by hand for the configuration, suppression and baseline tests.

The rules are stand-ins with the attributes these steps read (`id`, `name`, `severity`, `options`), not
`ddblint.rules.Rule` objects, so the tests can use catalogue IDs without touching the rule registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from ddblint.findings import Finding, Location, Severity


@dataclass
class StubRule:
    id: str
    name: str
    severity: Severity
    options: dict[str, Any] = field(default_factory=dict)


STUB_RULES = [
    StubRule("IAM101", "wildcard-action", Severity.ERROR),
    StubRule("IAM102", "wildcard-resource", Severity.ERROR),
    StubRule("IAM106", "trust-too-broad", Severity.WARNING),
    StubRule("STR201", "stream-read-permission-missing", Severity.ERROR),
    StubRule("LAM302", "timeout-too-short", Severity.WARNING, {"min_timeout_seconds": 10}),
    StubRule("RTY406", "client-retry-budget-exceeds-timeout", Severity.WARNING, {"retry_mode": "standard"}),
    StubRule("OPS605", "log-retention-missing", Severity.INFO, {"accept_ratio": 0.5, "strict": False}),
]


@pytest.fixture
def rules() -> list[StubRule]:
    return list(STUB_RULES)


@pytest.fixture
def rules_by_id() -> dict[str, StubRule]:
    return {rule.id: rule for rule in STUB_RULES}


MakeFinding = Callable[..., Finding]


@pytest.fixture
def make_finding() -> MakeFinding:
    """`make_finding("IAM102", "aws_iam_policy.app", "main.tf", 12)`: a finding with a made-up message."""
    names = {rule.id: rule for rule in STUB_RULES}

    def make(
        rule_id: str,
        address: str,
        file: str = "main.tf",
        line: int = 1,
        message: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        rule = names[rule_id]
        return Finding(
            rule_id=rule_id,
            rule_name=rule.name,
            severity=severity or rule.severity,
            address=address,
            location=Location(file, line, 1),
            message=message or f"{rule.name} on {address}",
            fix="fix it",
        )

    return make

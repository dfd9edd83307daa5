"""The JSON contract that scripts and other tools read.

`{"tool", "version", "findings": [Finding.to_dict()], "errors": [InputError.to_dict()], "summary"}`, keys in
that order, indented by 2, with a trailing newline. Named `json_report` so it never shadows the stdlib `json`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ddblint.findings import Finding, Report
from ddblint.rules import Rule


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """The report as JSON; `rules` and `color` are not used."""
    document = {
        "tool": "ddblint",
        "version": report.version,
        "findings": [f.to_dict() for f in sorted(report.findings, key=Finding.sort_key)],
        "errors": [e.to_dict() for e in sorted(report.errors)],
        "summary": {**report.counts(), "suppressed": report.suppressed, "baselined": report.baselined},
    }
    # `ddblint plan` only, so a check's JSON keeps its keys.
    if report.plan_changes:
        document["plan_changes"] = [c.to_dict() for c in sorted(report.plan_changes)]
    if report.notes:
        document["notes"] = list(report.notes)
    return json.dumps(document, indent=2) + "\n"

"""A GitLab Code Quality report: the Code Climate JSON subset GitLab reads for merge request widgets.

GitLab reads `description`, `check_name`, `fingerprint`, `severity` and `location.path` with
`location.lines.begin` of each issue (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
The fingerprint is the same stable identity the baseline and SARIF use (`Finding.fingerprint()`, which
leaves out the line and the message; `distinct_fingerprints` keeps it unique in the report), so GitLab
tracks an issue across commits that move or reword it, and compares the issues of the merge request with
those of its target branch. A line of a module called several times is one issue that names the instances.
Input errors are not code quality issues: they go to stderr and the exit code, as in every format.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from ddblint.findings import Finding, Report, Severity, distinct_fingerprints
from ddblint.instance_groups import message_with_instances
from ddblint.rules import Rule

# GitLab's levels are info, minor, major, critical and blocker. ddblint's error is a defect that breaks the
# stack in production (major); nothing ddblint finds blocks a merge on its own the way a leaked secret would.
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """The report as a Code Quality JSON array, one issue per finding; `color` is not used."""
    findings = sorted(report.findings, key=Finding.sort_key)
    identities = distinct_fingerprints(findings)
    issues = [issue(finding, identity) for finding, identity in zip(findings, identities, strict=True)]
    return json.dumps(issues, indent=2) + "\n"


def issue(finding: Finding, identity: str) -> dict:
    description = message_with_instances(finding)
    if finding.fix:
        description += ("" if description.endswith((".", ":", "!", "?")) else ".") + f" Fix: {finding.fix}"
    return {
        "type": "issue",
        "check_name": f"{finding.rule_id} {finding.rule_name}",
        "description": description,
        "categories": ["Bug Risk"],
        "fingerprint": fingerprint(identity),
        "severity": SEVERITIES[finding.severity],
        "location": {"path": finding.location.file, "lines": {"begin": max(finding.location.line, 1)}},
    }


def fingerprint(identity: str) -> str:
    """An MD5-sized hex digest of a finding's identity (GitLab compares fingerprints as opaque strings)."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]

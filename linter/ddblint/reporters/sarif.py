"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

`tool.driver.rules` lists only the rules that have results, sorted by ID: it keeps the log small, and a log
only changes when its results do, not whenever a rule is added to ddblint. Each result carries a
`partialFingerprints` entry (sha256 of `Finding.fingerprint()`, which leaves out the line and holds the root
module) so code scanning keeps tracking an alert when the lines above it move, and tells apart the findings
of a shared module in two root modules; the root module is also the result property `root`. A `region` has
the start and, where known, end line and column. Input errors become tool execution notifications.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from urllib.parse import quote

from ddblint.findings import Finding, InputError, Location, Report, Severity
from ddblint.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ddblint/ddblint"
FINGERPRINT_KEY = "ddblintFingerprint/v2"  # v2: with the root module
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """The report as a SARIF 2.1.0 log with one run; `color` is not used."""
    findings = sorted(report.findings, key=Finding.sort_key)
    rule_ids = sorted({f.rule_id for f in findings})
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    first_finding_of = {}
    for finding in findings:
        first_finding_of.setdefault(finding.rule_id, finding)

    invocation: dict = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [notification(e) for e in sorted(report.errors)]

    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ddblint",
                        "version": report.version,
                        "informationUri": INFORMATION_URI,
                        "rules": [
                            rule_descriptor(rules.get(rule_id), first_finding_of[rule_id]) for rule_id in rule_ids
                        ],
                    }
                },
                "invocations": [invocation],
                "results": [result(f, rule_index[f.rule_id]) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def rule_descriptor(rule: Rule | None, finding: Finding) -> dict:
    """A `reportingDescriptor`; a rule missing from `rules` is described from its finding alone."""
    if rule is None:
        return {"id": finding.rule_id, "name": finding.rule_name}
    # A rule object without a doc page or tags (a test's stand-in) is described with what it has.
    help_uri = getattr(rule, "help_uri", "")
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        **({"helpUri": help_uri} if help_uri else {}),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": list(getattr(rule, "tags", ()))},
    }
    return descriptor


def result(finding: Finding, rule_index: int) -> dict:
    text = f"{finding.message} Fix: {finding.fix}" if finding.fix else finding.message
    entry: dict = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical_location(finding.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(finding.fingerprint().encode("utf-8")).hexdigest()},
    }
    if finding.root:
        entry["properties"] = {"root": finding.root}
    if finding.address:
        entry["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    related = list(dict.fromkeys(finding.related))
    if related:
        entry["relatedLocations"] = [
            {"id": index, "physicalLocation": physical_location(location)}
            for index, location in enumerate(related, start=1)
        ]
    return entry


def notification(error: InputError) -> dict:
    return {
        "level": "error",
        "message": {"text": error.message},
        "locations": [{"physicalLocation": physical_location(Location(error.file, error.line))}],
    }


def physical_location(location: Location) -> dict:
    """Relative to the checkout root; no region when the line is unknown (SARIF lines start at 1)."""
    physical: dict = {"artifactLocation": {"uri": quote(location.file), "uriBaseId": "%SRCROOT%"}}
    if location.line >= 1:
        physical["region"] = {"startLine": location.line}
        if location.column >= 1:
            physical["region"]["startColumn"] = location.column
        if location.end_line >= location.line:
            physical["region"]["endLine"] = location.end_line
            if location.end_column >= 1:
                physical["region"]["endColumn"] = location.end_column
    return physical

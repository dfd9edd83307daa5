"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

`tool.driver.rules` lists only the rules that have results, sorted by ID: it keeps the log small, and a log
only changes when its results do, not whenever a rule is added to ddblint. Each result carries a
`partialFingerprints` entry (sha256 of `Finding.fingerprint()`, which leaves out the line and the message and
holds the root module, made unique in the run by `distinct_fingerprints`) so code scanning keeps tracking an
alert when the lines above it move or an upgrade rewords it, and tells apart the findings of a shared module
in two root modules; the root module is also the result property `root`. A line of a module called several
times is one result: its message names the instances, the property `instances` and one logical location per
instance list their addresses. A `region` has
the start and, where known, end line and column. Input errors become tool execution notifications.
Each rule descriptor carries what GitHub shows and ranks by: `fullDescription`, `help` (the rule doc),
`helpUri`, tags and `security-severity`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from urllib.parse import quote

from ddblint.findings import Finding, InputError, Location, Report, Severity, distinct_fingerprints
from ddblint.instance_groups import message_with_instances
from ddblint.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ddblint/ddblint"
FINGERPRINT_KEY = "ddblintFingerprint/v3"  # v2: with the root module; v3: without the message
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub maps security-severity to a label: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low
# (https://docs.github.com/en/code-security/code-scanning/managing-code-scanning-alerts/about-code-scanning-alerts).
# An error is a defect that fails the stack in production (high); no finding is critical on its own.
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """The report as a SARIF 2.1.0 log with one run; `color` is not used."""
    findings = sorted(report.findings, key=Finding.sort_key)
    rule_ids = sorted({f.rule_id for f in findings})
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    # Each rule is described from its most severe finding (IAM101 is an error on "*", a warning on "Get*").
    first_finding_of: dict[str, Finding] = {}
    for finding in findings:
        known = first_finding_of.get(finding.rule_id)
        if known is None or finding.severity.rank > known.severity.rank:
            first_finding_of[finding.rule_id] = finding

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
                "results": [
                    result(f, rule_index[f.rule_id], identity)
                    for f, identity in zip(findings, distinct_fingerprints(findings), strict=True)
                ],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def rule_descriptor(rule: Rule | None, finding: Finding) -> dict:
    """A `reportingDescriptor`; a rule missing from `rules` is described from its finding alone.

    GitHub code scanning shows `fullDescription` under the alert title and `help` (the rule's whole doc, as
    `ddblint explain` prints it) in the alert's "Show more" panel, and ranks alerts by
    `properties.security-severity`: a score from the severity the run gave the rule (after `[severity]`
    overrides in the configuration), see SECURITY_SEVERITY.
    """
    properties = {"security-severity": SECURITY_SEVERITY[finding.severity]}
    if rule is None:
        return {"id": finding.rule_id, "name": finding.rule_name, "properties": properties}
    doc = rule_doc(rule)
    descriptor: dict = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc_section(doc, "What it does") or rule.summary},
    }
    help_uri = getattr(rule, "help_uri", "")
    if help_uri:
        descriptor["helpUri"] = help_uri
    if doc:
        descriptor["help"] = {"text": doc, "markdown": doc}
    descriptor["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    descriptor["properties"] = {"tags": list(getattr(rule, "tags", ())), **properties}
    return descriptor


def rule_doc(rule: Rule) -> str:
    """The rule's Markdown doc, or "" for a rule without one (a plugin's or a test's)."""
    try:
        return rule.doc
    except (AttributeError, FileNotFoundError):
        return ""


def doc_section(doc: str, heading: str) -> str:
    """The first paragraph under `## heading` in a rule doc, as one line of text ("" when there is none)."""
    lines = doc.splitlines()
    try:
        start = lines.index(f"## {heading}") + 1
    except ValueError:
        return ""
    paragraph: list[str] = []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        if not line.strip() and paragraph:
            # A paragraph that introduces a list ("... how much the wildcard covers:") takes the list along.
            if not paragraph[-1].endswith(":") and not paragraph[-1].startswith("- "):
                break
            continue
        if line.strip():
            paragraph.append(line.strip())
    return " ".join(paragraph)


def result(finding: Finding, rule_index: int, identity: str) -> dict:
    """A result; `identity`: the finding's fingerprint, unique in the run (`distinct_fingerprints`)."""
    message = message_with_instances(finding)
    text = f"{message} Fix: {finding.fix}" if finding.fix else message
    entry: dict = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": physical_location(finding.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(identity.encode("utf-8")).hexdigest()},
    }
    properties: dict = {}
    if finding.root:
        properties["root"] = finding.root
    if finding.instances:
        properties["instances"] = list(finding.instances)
    if properties:
        entry["properties"] = properties
    if finding.address:
        entry["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": address, "kind": "resource"} for address in finding.instance_addresses()
        ]
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

"""SARIF output: valid against the official 2.1.0 schema, and shaped the way GitHub code scanning reads it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from ddblint.findings import Finding, InputError, Location, Report, Severity
from ddblint.reporters import render

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif(report, rules) -> dict:
    log = json.loads(render("sarif", report, rules))
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    return log


def test_sample_report_is_valid_sarif(sample_report, rules):
    log = sarif(sample_report, rules)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_clean_report_is_valid_sarif(clean_report, rules):
    run = sarif(clean_report, rules)["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_schema_rejects_a_broken_log(sample_report, rules):
    """Guards the guard: the vendored schema does catch a result without a message."""
    log = json.loads(render("sarif", sample_report, rules))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_driver_lists_the_rules_that_have_results(sample_report, rules):
    driver = sarif(sample_report, rules)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "ddblint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["TST901", "TST902", "TST903", "TST904"]
    wildcard = driver["rules"][3]
    assert wildcard == {
        "id": "TST904",
        "name": "wildcard-action",
        "shortDescription": {"text": rules["TST904"].summary},
        # A rule without a doc file (a test's or a plugin's) is described by its summary alone.
        "fullDescription": {"text": rules["TST904"].summary},
        "helpUri": rules["TST904"].help_uri,
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["iam"], "security-severity": "7.5"},
    }


def test_rule_index_points_at_the_result_rule(sample_report, rules):
    run = sarif(sample_report, rules)["runs"][0]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_result_carries_level_message_location_and_address(sample_report, rules):
    results = sarif(sample_report, rules)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    stream = by_rule["TST901"]
    assert stream["level"] == "error"
    assert stream["message"]["text"].endswith(
        " Fix: attach arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole to the role"
    )
    location = stream["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "modules/stream-consumer/main.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 31, "startColumn": 1},
    }
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "module.orders.aws_lambda_event_source_mapping.this", "kind": "resource"}
    ]
    assert stream["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 12}
    assert by_rule["TST903"]["level"] == "note"


def test_line_zero_has_no_region(sample_report, rules):
    results = sarif(sample_report, rules)["runs"][0]["results"]
    nat = next(r for r in results if r["ruleId"] == "TST903")
    assert "region" not in nat["locations"][0]["physicalLocation"]
    # The others keep their line (and column when known), as given in the report.
    regions = [(r["ruleId"], r["locations"][0]["physicalLocation"].get("region")) for r in results]
    assert regions == [
        ("TST904", {"startLine": 14, "startColumn": 5, "endLine": 14, "endColumn": 26}),
        ("TST902", {"startLine": 8}),
        ("TST903", None),
        ("TST901", {"startLine": 31, "startColumn": 1}),
        ("TST902", {"startLine": 5}),
    ]


def test_paths_are_relative_uris(sample_report, rules):
    results = sarif(sample_report, rules)["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert "stacks/prod%2C%20eu/main.tf" in uris
    assert not any(uri.startswith("/") or "://" in uri for uri in uris)


def test_fingerprint_is_the_hashed_finding_fingerprint_and_survives_line_moves(sample_report, rules):
    before = sarif(sample_report, rules)["runs"][0]["results"]
    moved = dataclasses.replace(
        sample_report,
        findings=[
            dataclasses.replace(f, location=dataclasses.replace(f.location, line=f.location.line + 40))
            for f in sample_report.findings
        ],
    )
    after = sarif(moved, rules)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    first = sorted(sample_report.findings, key=Finding.sort_key)[0]
    expected = hashlib.sha256(first.fingerprint().encode("utf-8")).hexdigest()
    assert list(before[0]["partialFingerprints"].values()) == [expected]


def test_input_errors_become_failed_invocation_notifications(sample_report, rules):
    invocation = sarif(sample_report, rules)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notifications] == [e.message for e in sorted(sample_report.errors)]
    assert all(n["level"] == "error" for n in notifications)
    assert notifications[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}


def test_rule_missing_from_the_mapping_is_described_from_its_finding(rules):
    report = Report(
        findings=[Finding("TST999", "made-up-rule", Severity.WARNING, "aws_sqs_queue.q", Location("q.tf", 3), "m")],
        errors=[InputError("q.tf", 0, "odd")],
        version="0.1.0",
    )
    run = sarif(report, rules)["runs"][0]
    assert run["tool"]["driver"]["rules"] == [
        {"id": "TST999", "name": "made-up-rule", "properties": {"security-severity": "5.0"}}
    ]
    assert run["results"][0]["message"]["text"] == "m"


@dataclasses.dataclass(frozen=True)
class InputRule:
    """A rule object with no doc page and no tags (reporters describe it with what it has)."""

    id: str
    name: str
    severity: Severity
    summary: str


def test_rule_without_doc_page_or_tags(rules):
    meta = InputRule("DDB001", "suppression-without-reason", Severity.INFO, "a ddblint:ignore gives no reason")
    finding = Finding(meta.id, meta.name, meta.severity, "", Location("main.tf", 4), "no reason given")
    report = Report([finding], [], "0.1.0")
    descriptor = sarif(report, {meta.id: meta})["runs"][0]["tool"]["driver"]["rules"][0]
    assert "helpUri" not in descriptor
    assert descriptor["properties"] == {"tags": [], "security-severity": "2.0"}
    for format_name in ("markdown", "text", "github", "json"):
        assert "no reason given" in render(format_name, report, {meta.id: meta})

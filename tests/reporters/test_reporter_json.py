"""The JSON contract: key names and order, indentation and trailing newline."""

from __future__ import annotations

import json

from ddblint.findings import Finding
from ddblint.reporters import render

FINDING_KEYS = [
    "rule_id",
    "rule_name",
    "severity",
    "address",
    "instances",
    "root",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "fix",
]


def test_top_level_keys_in_contract_order(sample_report, rules):
    document = json.loads(render("json", sample_report, rules))
    assert list(document) == ["tool", "version", "findings", "errors", "summary"]
    assert document["tool"] == "ddblint"
    assert document["version"] == "0.1.0"


def test_findings_and_errors_are_their_to_dict(sample_report, rules):
    document = json.loads(render("json", sample_report, rules))
    assert all(list(f) == FINDING_KEYS for f in document["findings"])
    assert document["findings"] == [f.to_dict() for f in sorted(sample_report.findings, key=Finding.sort_key)]
    assert document["errors"] == [e.to_dict() for e in sorted(sample_report.errors)]
    assert all(list(e) == ["file", "line", "message"] for e in document["errors"])


def test_summary_counts(sample_report, rules):
    summary = json.loads(render("json", sample_report, rules))["summary"]
    assert summary == {"error": 2, "warning": 2, "info": 1, "suppressed": 1, "baselined": 2}


def test_pretty_printed_with_trailing_newline(sample_report, rules):
    output = render("json", sample_report, rules)
    assert output.endswith("}\n")
    assert output.splitlines()[1] == '  "tool": "ddblint",'

"""SARIF for GitHub code scanning and the GitLab Code Quality report, from CLI runs on the examples (in-process:
the subject is the formats; tests/cli/test_formats.py and the golden tests run the real CLI)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from ddblint.rules import get_rule

from tests.support.cli_in_process import run_ddblint

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "tests" / "reporters" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
EXAMPLES = ("examples/insecure-stream-consumer", "examples/insecure-vpc-consumer")
GITLAB_SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def ddblint(*args: str) -> subprocess.CompletedProcess[str]:
    return run_ddblint(REPO, *args)


def report(example: str, format_name: str) -> tuple[dict | list, list[dict]]:
    """The report in `format_name` and the same run's JSON findings, to compare against."""
    run = ddblint("check", example, "--format", format_name, "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    findings = json.loads(ddblint("check", example, "--format", "json", "--fail-on", "never").stdout)["findings"]
    assert findings, f"{example} is meant to have findings"
    return json.loads(run.stdout), findings


@pytest.mark.parametrize("example", EXAMPLES)
def test_sarif_describes_each_rule_for_code_scanning(example):
    log, findings = report(example, "sarif")
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f["rule_id"] for f in findings})
    worst = {}
    for finding in findings:
        rank = {"error": 3, "warning": 2, "info": 1}[finding["severity"]]
        worst[finding["rule_id"]] = max(worst.get(finding["rule_id"], 0), rank)
    for rule in rules:
        # help is the rule's whole doc (what `ddblint explain` prints, tests/cli/test_commands.py); fullDescription
        # its first paragraph.
        doc = get_rule(rule["id"]).doc
        assert rule["help"]["markdown"] == doc
        assert rule["help"]["text"] == rule["help"]["markdown"]
        what_it_does = doc.split("## What it does", 1)[1].strip().split("\n\n", 1)[0]
        assert rule["fullDescription"]["text"].startswith(" ".join(what_it_does.split()))
        assert rule["shortDescription"]["text"] and rule["shortDescription"]["text"] != rule["fullDescription"]["text"]
        assert (
            rule["helpUri"] == f"https://github.com/ddblint/ddblint/blob/main/linter/ddblint/rules/docs/{rule['id']}.md"
        )
        assert rule["properties"]["tags"]
        expected = {3: "7.5", 2: "5.0", 1: "2.0"}[worst[rule["id"]]]
        assert rule["properties"]["security-severity"] == expected, rule["id"]


def test_sarif_security_severity_follows_a_configured_severity(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "pk"\n  billing_mode = "PAY_PER_REQUEST"\n'
        '  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n'
    )
    (tmp_path / ".ddblint.toml").write_text('[severity]\nOPS601 = "error"\n')
    run = ddblint("check", str(tmp_path), "--format", "sarif", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    (rule,) = json.loads(run.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "OPS601"
    assert rule["properties"]["security-severity"] == "7.5"
    assert rule["defaultConfiguration"] == {"level": "warning"}  # the catalogue's default, not this run's


@pytest.mark.parametrize("example", EXAMPLES)
def test_gitlab_code_quality_report(example):
    issues, findings = report(example, "gitlab")
    assert isinstance(issues, list) and len(issues) == len(findings)
    by_key = {(f["file"], f["line"], f["rule_id"], f["address"], f["message"]): f for f in findings}
    fingerprints = set()
    for issue in issues:
        assert set(issue) == {"type", "check_name", "description", "categories", "fingerprint", "severity", "location"}
        assert issue["type"] == "issue"
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
        fingerprints.add(issue["fingerprint"])
        rule_id, rule_name = issue["check_name"].split(" ")
        path, line = issue["location"]["path"], issue["location"]["lines"]["begin"]
        assert path.startswith(example + "/") and not Path(path).is_absolute()
        matches = [f for key, f in by_key.items() if key[:3] == (path, line, rule_id)]
        assert matches, issue
        finding = next(f for f in matches if issue["description"].startswith(f["message"]))
        assert rule_name == finding["rule_name"]
        assert issue["severity"] == GITLAB_SEVERITIES[finding["severity"]]
        assert issue["description"].endswith("Fix: " + finding["fix"])
    assert len(fingerprints) == len(issues)


def test_gitlab_fingerprint_survives_a_line_move(tmp_path):
    policy = (
        'resource "aws_iam_policy" "wild" {\n  name = "wild"\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]\n  })\n}\n'
    )
    (tmp_path / "main.tf").write_text(policy)
    before = json.loads(ddblint("check", str(tmp_path), "--format", "gitlab", "--fail-on", "never").stdout)
    (tmp_path / "main.tf").write_text("# a comment\n\n" + policy)
    after = json.loads(ddblint("check", str(tmp_path), "--format", "gitlab", "--fail-on", "never").stdout)
    assert [i["location"]["lines"]["begin"] + 2 for i in before] == [i["location"]["lines"]["begin"] for i in after]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert {i["check_name"] for i in after} == {"IAM101 wildcard-action", "IAM102 wildcard-resource"}


def test_empty_report_is_an_empty_list(tmp_path):
    (tmp_path / "main.tf").write_text('variable "x" {\n  type = string\n}\n')
    run = ddblint("check", str(tmp_path), "--format", "gitlab")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []

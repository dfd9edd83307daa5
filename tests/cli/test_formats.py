"""Every output format, from a real run over a small stack."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from .conftest import CLEAN_POLICY, WILDCARD_LINE, WILDCARD_POLICY, ddblint, write_tree

SARIF_SCHEMA = Path(__file__).parent.parent / "reporters" / "sarif-schema-2.1.0.json"

# Two files with findings, one clean, in a subdirectory too, so ordering and relative paths show.
SECOND = """\
resource "aws_iam_role_policy" "inline" {
  role = "r"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    }]
  })
}
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(
        tmp_path_factory.mktemp("stack"),
        {"iam.tf": WILDCARD_POLICY, "clean.tf": CLEAN_POLICY, "app/policies.tf": SECOND},
    )


@pytest.fixture(scope="module")
def json_run(stack: Path):
    return ddblint(stack, "check", "--format", "json")


def test_json_contract(json_run) -> None:
    assert json_run.returncode == 1
    document = json.loads(json_run.stdout)
    assert list(document) == ["tool", "version", "findings", "errors", "summary"]
    assert document["tool"] == "ddblint"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", document["version"])
    assert document["errors"] == []
    keys = ["rule_id", "rule_name", "severity", "address", "instances", "root", "file", "line"]
    keys += ["column", "end_line", "end_column", "message", "fix"]
    for finding in document["findings"]:
        assert list(finding) == keys
        assert isinstance(finding["line"], int)
        assert finding["instances"][0] == finding["address"]
        assert not Path(finding["file"]).is_absolute()
    wild = [f for f in document["findings"] if f["file"] == "iam.tf"]
    assert [(f["rule_id"], f["rule_name"], f["severity"], f["address"], f["line"]) for f in wild] == [
        ("IAM101", "wildcard-action", "error", "aws_iam_policy.wild", WILDCARD_LINE),
        ("IAM102", "wildcard-resource", "error", "aws_iam_policy.wild", WILDCARD_LINE),
    ]
    assert "app/policies.tf" in {f["file"] for f in document["findings"]}
    order = [(f["file"], f["line"], f["rule_id"]) for f in document["findings"]]
    assert order == sorted(order)


def test_json_summary_counts(json_run) -> None:
    document = json.loads(json_run.stdout)
    summary = document["summary"]
    assert summary["error"] == sum(f["severity"] == "error" for f in document["findings"])
    assert summary["suppressed"] == 0 and summary["baselined"] == 0


def test_paths_stay_relative_to_cwd_when_a_subdirectory_is_given(stack: Path) -> None:
    result = ddblint(stack, "check", "app", "--format", "json")
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {"app/policies.tf"}


def test_sarif_validates_and_uses_relative_uris(stack: Path) -> None:
    result = ddblint(stack, "check", "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for run in log["runs"]
        for item in run["results"]
        for location in item["locations"]
    }
    assert uris == {"iam.tf", "app/policies.tf"}
    rule_ids = {item["ruleId"] for run in log["runs"] for item in run["results"]}
    assert rule_ids == {"IAM101", "IAM102"}


def test_github_annotations(stack: Path) -> None:
    result = ddblint(stack, "check", "--format", "github")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations
    assert all(line.startswith("::error file=") for line in annotations)
    assert any(line.startswith(f"::error file=iam.tf,line={WILDCARD_LINE},") for line in annotations)


def test_markdown_headline(stack: Path) -> None:
    result = ddblint(stack, "check", "--format", "markdown")
    assert result.returncode == 1
    assert re.match(r"#+ ddblint: \d+ errors?, \d+ warnings?, \d+ info", result.stdout)


def test_text_summary_and_no_colour_off_a_terminal(stack: Path) -> None:
    result = ddblint(stack, "check")
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    assert re.search(r"^\d+ errors?, \d+ warnings?, \d+ info in 3 files", result.stdout, re.MULTILINE)
    assert "iam.tf" in result.stdout and "IAM101" in result.stdout


def test_color_flag_forces_ansi(stack: Path) -> None:
    assert "\x1b[" in ddblint(stack, "check", "--color").stdout


def test_output_file(stack: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = ddblint(stack, "check", "--format", "json", "--output", target)
    assert result.returncode == 1
    assert result.stdout == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert {f["rule_id"] for f in document["findings"]} == {"IAM101", "IAM102"}

"""DDB001-DDB004 are rules like the others on the command line: listed, explained, selected and ignored (CLI runs
in-process: the subject is the rules, not the process)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_in_process import run_ddblint

STACK = """\
module "remote" {
  source = "terraform-aws-modules/sqs/aws"
}

resource "aws_sqs_queue" "jobs" {
  # ddblint:ignore[OPS601]
  name = "jobs"
}
"""


def rule_ids(cwd: Path, *args: str) -> list[str]:
    result = run_ddblint(cwd, "check", ".", "--no-cache", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return [finding["rule_id"] for finding in json.loads(result.stdout)["findings"]]


def test_listed_and_explained(tmp_path: Path) -> None:
    listed = json.loads(run_ddblint(tmp_path, "rules", "--format", "json").stdout)
    assert [rule["id"] for rule in listed][-4:] == ["DDB001", "DDB002", "DDB003", "DDB004"]
    explained = run_ddblint(tmp_path, "explain", "ddb004")
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("# DDB004 read-outside-root (info)\n")
    assert "## Use instead" in explained.stdout


def test_selected_and_ignored_like_other_rules(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(STACK, encoding="utf-8")
    assert rule_ids(tmp_path) == ["DDB003", "DDB001"]
    assert rule_ids(tmp_path, "--ignore", "DDB") == []
    # DDB001/DDB002 are about the suppression comments: a select leaves them on, only an ignore turns them off.
    assert rule_ids(tmp_path, "--select", "DDB003") == ["DDB003", "DDB001"]
    assert rule_ids(tmp_path, "--select", "DDB003", "--ignore", "DDB001") == ["DDB003"]
    (tmp_path / ".ddblint.toml").write_text('ignore = ["DDB003"]\n[severity]\nDDB001 = "error"\n', encoding="utf-8")
    document = json.loads(run_ddblint(tmp_path, "check", ".", "--no-cache", "--format", "json").stdout)
    assert [(f["rule_id"], f["severity"]) for f in document["findings"]] == [("DDB001", "error")]

"""Inline suppressions and baselines, through the CLI (run in-process: the subject is what is suppressed or
baselined, not the process; tests/cli/test_exit_codes.py runs the real one)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.cli_in_process import run_ddblint

from .conftest import CLEAN_POLICY, WILDCARD_POLICY, write_tree


def findings(result) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["address"]) for f in json.loads(result.stdout)["findings"]]


def test_suppression_with_reason(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": "# ddblint:ignore[IAM101] the table admin tool needs it\n" + WILDCARD_POLICY})
    result = run_ddblint(tmp_path, "check", "--format", "json")
    assert findings(result) == [("IAM102", "aws_iam_policy.wild")]
    assert json.loads(result.stdout)["summary"]["suppressed"] == 1


def test_suppression_without_reason_suppresses_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": "# ddblint:ignore[IAM101]\n" + WILDCARD_POLICY})
    result = run_ddblint(tmp_path, "check", "--format", "json")
    ids = [rule for rule, _ in findings(result)]
    assert sorted(ids) == ["DDB001", "IAM101", "IAM102"]
    ddb001 = next(f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "DDB001")
    assert (ddb001["file"], ddb001["line"], ddb001["severity"]) == ("main.tf", 1, "info")


def test_unused_suppression(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": "# ddblint:ignore[IAM101] kept from before\n" + CLEAN_POLICY})
    result = run_ddblint(tmp_path, "check", "--format", "json")
    assert result.returncode == 0
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["line"]) == ("DDB002", 1)


def test_baseline_round_trip_then_a_new_defect(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": WILDCARD_POLICY})
    written = run_ddblint(tmp_path, "check", "--write-baseline", "b.json")
    assert written.returncode == 1  # writing a baseline still reports
    assert "b.json" in written.stderr
    assert (tmp_path / "b.json").is_file()

    again = run_ddblint(tmp_path, "check", "--baseline", "b.json", "--format", "json")
    assert again.returncode == 0, again.stdout + again.stderr
    document = json.loads(again.stdout)
    assert document["findings"] == []
    assert document["summary"]["baselined"] == 2

    (tmp_path / "new.tf").write_text(WILDCARD_POLICY.replace('"wild"', '"fresh"'), encoding="utf-8")
    later = run_ddblint(tmp_path, "check", "--baseline", "b.json", "--format", "json")
    assert later.returncode == 1
    assert findings(later) == [("IAM101", "aws_iam_policy.fresh"), ("IAM102", "aws_iam_policy.fresh")]


def test_unreadable_baseline_exits_2(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": CLEAN_POLICY, "b.json": "not json"})
    result = run_ddblint(tmp_path, "check", "--baseline", "b.json")
    assert result.returncode == 2
    assert "b.json" in result.stderr


def _baseline_then_check_from_inside(project: Path) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """`ddblint check cfg --write-baseline b.json`, then `cd cfg && ddblint check . --baseline ../b.json`."""
    write_tree(project, {"cfg/main.tf": WILDCARD_POLICY, "cfg/app/main.tf": WILDCARD_POLICY})
    written = run_ddblint(project, "check", "cfg", "--no-cache", "--write-baseline", "b.json")
    assert "wrote 4 findings" in written.stderr, written.stderr
    again = run_ddblint(project / "cfg", "check", ".", "--no-cache", "--baseline", "../b.json", "--format", "json")
    return json.loads((project / "b.json").read_text(encoding="utf-8")), again


def test_baseline_from_another_directory_outside_git(tmp_path: Path) -> None:
    assert subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode != 0
    document, again = _baseline_then_check_from_inside(tmp_path)
    assert document["boundary"] == "."  # outside git: the directory ddblint ran in
    assert {entry["file"] for entry in document["findings"]} == {"cfg/main.tf", "cfg/app/main.tf"}
    assert again.returncode == 0, again.stdout + again.stderr
    assert json.loads(again.stdout)["summary"]["baselined"] == 4
    assert json.loads(again.stdout)["findings"] == []


def test_baseline_from_another_directory_inside_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    document, again = _baseline_then_check_from_inside(tmp_path)
    assert document["boundary"] == "."  # the work tree
    assert again.returncode == 0, again.stdout + again.stderr
    assert json.loads(again.stdout)["summary"]["baselined"] == 4


def test_reworded_messages_reopen_nothing(tmp_path: Path) -> None:
    """An upgrade that rewords messages: simulated by editing every message in the baseline."""
    write_tree(tmp_path, {"main.tf": WILDCARD_POLICY})
    run_ddblint(tmp_path, "check", "--no-cache", "--write-baseline", "b.json")
    document = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    for entry in document["findings"]:
        entry["message"] = "worded differently by an older ddblint"
    (tmp_path / "b.json").write_text(json.dumps(document), encoding="utf-8")
    again = run_ddblint(tmp_path, "check", "--no-cache", "--baseline", "b.json", "--format", "json")
    assert again.returncode == 0, again.stdout
    assert json.loads(again.stdout)["summary"]["baselined"] == 2


def test_version_2_baseline_with_old_messages_still_matches(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": WILDCARD_POLICY})
    entries = [
        {
            "fingerprint": f"{rule}|.|main.tf|aws_iam_policy.wild|an old message",
            "rule_id": rule,
            "root": ".",
            "file": "main.tf",
            "address": "aws_iam_policy.wild",
            "message": "an old message",
        }
        for rule in ("IAM101", "IAM102")
    ]
    (tmp_path / "b.json").write_text(json.dumps({"tool": "ddblint", "version": 2, "findings": entries}), "utf-8")
    again = run_ddblint(tmp_path, "check", "--no-cache", "--baseline", "b.json", "--format", "json")
    assert again.returncode == 0, again.stdout
    assert json.loads(again.stdout)["summary"]["baselined"] == 2

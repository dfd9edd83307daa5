"""--select/--ignore, .ddblint.toml and [tool.ddblint] in pyproject.toml, through the CLI (run in-process:
the subject is what is selected, not the process; tests/cli/test_exit_codes.py runs the real one)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_in_process import run_ddblint

from .conftest import CLEAN_POLICY, WILDCARD_POLICY, write_tree


def rule_ids(result) -> list[str]:
    return [f["rule_id"] for f in json.loads(result.stdout)["findings"]]


def test_select_one_rule(wildcard_dir: Path) -> None:
    result = run_ddblint(wildcard_dir, "check", "--select", "IAM101", "--format", "json")
    assert result.returncode == 1
    assert rule_ids(result) == ["IAM101"]


def test_ignore_one_rule(wildcard_dir: Path) -> None:
    assert rule_ids(run_ddblint(wildcard_dir, "check", "--ignore", "IAM102", "--format", "json")) == ["IAM101"]


def test_select_prefix_and_comma_separated_ignore(wildcard_dir: Path) -> None:
    assert rule_ids(run_ddblint(wildcard_dir, "check", "--select", "IAM1", "--format", "json")) == [
        "IAM101",
        "IAM102",
    ]
    result = run_ddblint(wildcard_dir, "check", "--ignore", "IAM101,IAM102", "--format", "json")
    assert result.returncode == 0
    assert rule_ids(result) == []


def test_ddblint_toml_ignore_severity_and_exclude(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "main.tf": WILDCARD_POLICY,
            "legacy/old.tf": WILDCARD_POLICY,
            ".ddblint.toml": 'ignore = ["IAM102"]\nexclude = ["legacy"]\n\n[severity]\nIAM101 = "warning"\n',
        },
    )
    result = run_ddblint(tmp_path, "check", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr  # only a warning left; fail_on is error
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule_id"], f["severity"], f["file"]) for f in findings] == [("IAM101", "warning", "main.tf")]
    assert run_ddblint(tmp_path, "check", "--fail-on", "warning").returncode == 1


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "main.tf": WILDCARD_POLICY,
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.ddblint]\nselect = ["IAM102"]\n',
        },
    )
    assert rule_ids(run_ddblint(tmp_path, "check", "--format", "json")) == ["IAM102"]


def test_ddblint_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "main.tf": WILDCARD_POLICY,
            "pyproject.toml": '[tool.ddblint]\nselect = ["IAM102"]\n',
            ".ddblint.toml": 'select = ["IAM101"]\n',
        },
    )
    assert rule_ids(run_ddblint(tmp_path, "check", "--format", "json")) == ["IAM101"]


def test_cli_select_overrides_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": WILDCARD_POLICY, "clean.tf": CLEAN_POLICY, ".ddblint.toml": 'fail_on = "never"\n'})
    assert run_ddblint(tmp_path, "check").returncode == 0
    assert run_ddblint(tmp_path, "check", "--fail-on", "error").returncode == 1


def test_meta_rules_can_be_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": "# ddblint:ignore[IAM101] kept from before\n" + CLEAN_POLICY})
    assert rule_ids(run_ddblint(tmp_path, "check", "--format", "json")) == ["DDB002"]
    assert rule_ids(run_ddblint(tmp_path, "check", "--format", "json", "--ignore", "DDB002")) == []


def test_a_select_without_ddb001_and_ddb002_still_reports_suppression_problems(tmp_path: Path) -> None:
    """DDB001 (no reason) and DDB002 (unknown rule, nothing suppressed) stay on under any select."""
    comments = "# ddblint:ignore[IAM101]\n# ddblint:ignore[IAM999] a typo\n"
    write_tree(tmp_path, {"main.tf": comments + WILDCARD_POLICY})
    for args in (["--select", "IAM101"], ["--select", "LAM"]):
        result = run_ddblint(tmp_path, "check", "--no-cache", "--format", "json", *args)
        problems = [
            (f["rule_id"], f["line"]) for f in json.loads(result.stdout)["findings"] if f["rule_id"].startswith("DDB")
        ]
        assert problems == [("DDB001", 1), ("DDB002", 2)], args
    (tmp_path / ".ddblint.toml").write_text('select = ["IAM1"]\n', encoding="utf-8")
    assert "DDB001" in rule_ids(run_ddblint(tmp_path, "check", "--no-cache", "--format", "json"))
    ignored = run_ddblint(tmp_path, "check", "--no-cache", "--format", "json", "--ignore", "DDB001,DDB002")
    assert "DDB001" not in rule_ids(ignored) and "DDB002" not in rule_ids(ignored)

"""`ddblint rules`, `ddblint explain`, `ddblint --version`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ddblint import __version__
from ddblint.rules import all_rules

from .conftest import ddblint

DOCS = Path(__file__).parents[2] / "linter" / "ddblint" / "rules" / "docs"
# The registered rules and the meta findings DDB001-DDB004 (a union: still right once those are registered too).
EVERY_RULE_ID = {rule.id for rule in all_rules()} | {"DDB001", "DDB002", "DDB003", "DDB004"}


def test_rules_lists_the_iam_rules(tmp_path: Path) -> None:
    result = ddblint(tmp_path, "rules")
    assert result.returncode == 0
    ids = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert sorted(ids) == sorted(EVERY_RULE_ID)


def test_rules_json(tmp_path: Path) -> None:
    result = ddblint(tmp_path, "rules", "--format", "json")
    data = json.loads(result.stdout)
    # Only the registered rules: unlike the text listing, the JSON one leaves out the meta findings DDB00x.
    assert sorted(r["id"] for r in data) == sorted(rule.id for rule in all_rules())
    assert all(r["severity"] in ("error", "warning", "info") for r in data)


def test_explain_prints_the_doc(tmp_path: Path) -> None:
    doc = DOCS / "IAM101.md"
    result = ddblint(tmp_path, "explain", "IAM101")
    assert result.returncode == 0
    assert result.stdout.strip() == doc.read_text(encoding="utf-8").strip()


def test_explain_meta_rule(tmp_path: Path) -> None:
    result = ddblint(tmp_path, "explain", "DDB001")
    assert result.returncode == 0
    assert "DDB001" in result.stdout


def test_explain_unknown_rule_exits_2(tmp_path: Path) -> None:
    result = ddblint(tmp_path, "explain", "NOPE")
    assert result.returncode == 2
    assert "NOPE" in result.stderr


def test_version(tmp_path: Path) -> None:
    result = ddblint(tmp_path, "--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["export", "--help"]])
@pytest.mark.parametrize("columns", ["80", "60"])
def test_help_lists_commands_in_whole_sentences(args: list[str], columns: str) -> None:
    env = {**os.environ, "COLUMNS": columns}
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", *args], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    commands = result.stdout.split("Commands:\n", 1)[1]
    assert "..." not in commands
    expected = (
        ["checkov"] if args[0] == "export" else ["check", "explain", "export", "plan", "policy", "pre-commit", "rules"]
    )
    names = [line.split()[0] for line in commands.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert names == expected
    sentences = " ".join(commands.split()).split(". ")
    assert sentences[-1].endswith("."), commands

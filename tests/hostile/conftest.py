"""Helpers for the hostile-input suite: build trees at test time, run the check in-process or as the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ddblint.check import run_check
from ddblint.config import Config
from ddblint.findings import Report

# One real defect (IAM101 + IAM102 at line 5) that must still be reported whatever else is broken.
REAL_DEFECT = """\
resource "aws_iam_policy" "wild" {
  name = "wild"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:*"
      Resource = "*"
    }]
  })
}
"""
REAL_DEFECT_LINE = 5


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def check(root: Path, *paths: Path, jobs: int = 1) -> Report:
    """run_check over `paths` (default: the root), without the parse cache; never raises."""
    return run_check(list(paths) or [root], root=root, config=Config(), jobs=jobs).report


def ids_at(report: Report, file: str) -> set[str]:
    return {f.rule_id for f in report.findings if f.location.file == file}


def cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m ddblint ...` as a user runs it; never a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env if env is not None else {**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def json_report(result: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(result.stdout)

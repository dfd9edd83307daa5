"""Helpers for running `python -m ddblint` in a subprocess over small Terraform directories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WILDCARD_POLICY = """\
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
# IAM101 and IAM102 report at the statement, line 5 of WILDCARD_POLICY.
WILDCARD_LINE = 5

CLEAN_POLICY = """\
resource "aws_iam_policy" "clean" {
  name = "clean"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem"]
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    }]
  })
}
"""

# Only a warning (IAM103): Allow with NotAction on one table.
WARNING_POLICY = """\
resource "aws_iam_policy" "not_action" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = "dynamodb:DeleteTable"
      Resource  = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    }]
  })
}
"""


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


def ddblint(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI the way a user does; never a traceback, whatever the outcome."""
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    return env


@pytest.fixture(scope="module")
def wildcard_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("wildcard"), {"main.tf": WILDCARD_POLICY})


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("clean"), {"main.tf": CLEAN_POLICY})


@pytest.fixture(scope="module")
def warning_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("warning"), {"main.tf": WARNING_POLICY})

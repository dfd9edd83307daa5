"""Snapshots of the real CLI on two examples: `ddblint check examples/<name> --format text|markdown|sarif`.

The goldens are golden/example-<name>.<format>.<ext>, compared byte for byte by the `golden` fixture (regenerate
with DDBLINT_UPDATE_GOLDEN=1, see conftest.py, then review the diff). The CLI runs from the repository root,
as a user would, so every path in the output is relative to it; no output may hold an absolute path or a time.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("insecure-stream-consumer", "insecure-vpc-consumer")
EXTENSIONS = {"text": "txt", "markdown": "md", "sarif": "sarif"}
# A run's time, not a DynamoDB stream label (".../stream/2026-01-01T00:00:00.000" in a rule doc's example ARN).
TIMESTAMP = re.compile(r"(?<!/stream/)\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@pytest.mark.parametrize("format_name", sorted(EXTENSIONS))
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_report_matches_golden(example: str, format_name: str, golden) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", "check", f"examples/{example}", "--format", format_name, "--no-color"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # both examples have errors
    assert result.stderr == ""
    assert str(REPO_ROOT) not in result.stdout
    assert not TIMESTAMP.search(result.stdout), TIMESTAMP.search(result.stdout)
    golden(f"example-{example}.{format_name}.{EXTENSIONS[format_name]}", result.stdout)

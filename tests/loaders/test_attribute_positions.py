"""Attributes keep their start and end position from the HCL parse tree; findings and SARIF regions use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ddblint.loaders.hcl import parse_hcl

FUNCTION = """\
resource "aws_lambda_function" "f" {
  function_name                  = "f"
  role                           = "arn:aws:iam::123456789012:role/f"
  reserved_concurrent_executions = 0
  environment {
    variables = {
      A = "1"
    }
  }
}
"""


def test_attribute_start_and_end():
    body = parse_hcl(FUNCTION, "main.tf")
    function = body.blocks[0].body
    concurrency = function.attributes["reserved_concurrent_executions"]
    assert (concurrency.line, concurrency.column, concurrency.end_line, concurrency.end_column) == (4, 3, 4, 37)
    variables = function.blocks[0].body.attributes["variables"]
    assert (variables.line, variables.column, variables.end_line, variables.end_column) == (6, 5, 8, 6)


def test_finding_and_sarif_region_span_the_attribute(tmp_path: Path):
    (tmp_path / "main.tf").write_text(FUNCTION, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", "check", ".", "--no-cache", "--select", "LAM307", "--format", "sarif"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 3,
        "endLine": 4,
        "endColumn": 37,
    }
    assert finding["properties"] == {"root": "."}

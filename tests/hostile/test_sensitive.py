"""No leaks: values of `sensitive = true` variables and outputs never appear in any output format.

Design: a sensitive value evaluates to UNKNOWN (a plain reference to a resource is kept), so rules stay
silent on it and no part of it can reach a message. The control case (the same tree without `sensitive`)
shows the secret would otherwise be quoted, so the test cannot pass vacuously. The CLI runs in-process: the
subject is what the reports contain, not the process.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ddblint.reporters import FORMATS

from tests.support.cli_in_process import run_ddblint

from .conftest import write_tree

SECRET = "hunter2-s3cr3t-token"

MAIN = """\
variable "sid" {
  type      = string
  default   = "SID-%(secret)s"
  %(sensitive)s
}

variable "action" {
  type      = string
  %(sensitive)s
}

module "inner" {
  source = "./inner"
}

resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = var.sid
      Effect   = "Allow"
      Action   = [var.action, module.inner.action]
      Resource = "*"
    }]
  })
}
"""

INNER = """\
output "action" {
  value     = "dynamodb:*%(secret)s*"
  %(sensitive)s
}
"""

TFVARS = 'action = "dynamodb:*%(secret)s"\n'


def _tree(root: Path, sensitive: bool) -> Path:
    values = {"secret": SECRET, "sensitive": "sensitive = true" if sensitive else ""}
    return write_tree(
        root,
        {"main.tf": MAIN % values, "inner/main.tf": INNER % values, "terraform.tfvars": TFVARS % values},
    )


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_sensitive_values_never_appear(tmp_path: Path, format_name: str) -> None:
    root = _tree(tmp_path, sensitive=True)
    result = run_ddblint(root, "check", "--no-cache", "--format", format_name, "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stdout
    assert SECRET not in result.stderr


def test_control_without_sensitive_the_value_is_quoted(tmp_path: Path) -> None:
    root = _tree(tmp_path, sensitive=False)
    result = run_ddblint(root, "check", "--no-cache", "--format", "text", "--fail-on", "never")
    assert SECRET in result.stdout  # so the test above would catch a leak


def test_sensitive_reference_is_still_followed(tmp_path: Path) -> None:
    """A sensitive variable holding a resource reference keeps the reference (it names a thing, no secret)."""
    from ddblint.check import run_check
    from ddblint.config import Config

    write_tree(
        tmp_path,
        {
            "main.tf": 'resource "aws_iam_role" "r" {\n  name = "r"\n}\n'
            'module "m" {\n  source = "./m"\n  role = aws_iam_role.r.arn\n}\n',
            "m/main.tf": 'variable "role" {\n  sensitive = true\n}\n'
            'resource "aws_lambda_function" "f" {\n  role = var.role\n}\n',
        },
    )
    report = run_check([tmp_path], root=tmp_path, config=Config(), jobs=1)
    assert not report.report.errors
    from ddblint.loaders.terraform import TerraformLoader

    model = TerraformLoader(tmp_path).load([tmp_path]).models[0]
    function = model.resource("module.m.aws_lambda_function.f")
    assert model.referenced(function.value("role"), "aws_iam_role") is model.resource("aws_iam_role.r")

"""`plan --changed-only` groups the IAM107/IAM108 findings of the changed functions for the PR comment."""

from __future__ import annotations

import subprocess
import sys

from ddblint.findings import Finding, Location, Severity
from ddblint.plan_check import permission_reviews

from .conftest import plans_with_terraform


def finding(rule_id: str, address: str, line: int, message: str) -> Finding:
    name = {"IAM107": "code-permission-missing", "IAM108": "unused-permission", "LAM303": "timeout-absent"}[rule_id]
    return Finding(rule_id, name, Severity.ERROR, address, Location("main.tf", line), message, "fix")


def test_each_function_with_its_missing_and_unused_permissions():
    reviews = permission_reviews(
        [
            finding("IAM108", "aws_lambda_function.b", 30, "grants sqs:SendMessage"),
            finding("IAM107", "aws_lambda_function.a", 10, "needs dynamodb:UpdateItem"),
            finding("LAM303", "aws_lambda_function.a", 11, "no timeout"),
            finding("IAM107", "aws_lambda_function.a", 10, "needs dynamodb:Query"),
            finding("IAM108", "aws_lambda_function.a", 12, "grants dynamodb:DeleteItem"),
        ]
    )
    assert [(r.address, r.location.line, r.missing, r.unused) for r in reviews] == [
        (
            "aws_lambda_function.a",
            10,
            ("needs dynamodb:Query", "needs dynamodb:UpdateItem"),
            ("grants dynamodb:DeleteItem",),
        ),
        ("aws_lambda_function.b", 30, (), ("grants sqs:SendMessage",)),
    ]


def test_no_review_without_permission_findings():
    assert permission_reviews([finding("LAM303", "aws_lambda_function.a", 11, "no timeout")]) == []


@plans_with_terraform
def test_the_pr_comment_of_a_plan_lists_the_new_function_s_permissions(planner):
    """examples/code-permissions planned from nothing: every resource is created, so the function is changed."""
    planned = planner.example("code-permissions")
    command = ["plan", str(planned.plan_json), "--source", ".", "--changed-only", "--format", "markdown"]
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", *command], cwd=planned.workdir, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    section = result.stdout.split("#### Permissions of changed functions\n\n", 1)[1].split("\n\n", 1)[0]
    lines = section.splitlines()
    assert lines[0].startswith("- `aws_lambda_function.api` (`")
    needs = [line for line in lines if line.startswith("  - needs, not allowed by its role: ")]
    unused = [line for line in lines if line.startswith("  - granted, no longer used: ")]
    assert len(needs) == 1 and len(unused) == 1, section  # IAM107 and IAM108 give one entry per function
    assert "needs dynamodb:UpdateItem on aws\\_dynamodb\\_table.orders.arn" in needs[0]
    assert "needs sqs:SendMessage on aws\\_sqs\\_queue.order\\_events.arn" in needs[0]
    assert "needs dynamodb:Query on" in needs[0]
    assert '"dynamodb:DeleteItem"' in unused[0]

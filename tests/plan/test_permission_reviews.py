"""`plan --changed-only` groups the IAM107/IAM108 findings of the changed functions for the PR comment."""

from __future__ import annotations

from ddblint.findings import Finding, Location, Severity
from ddblint.plan_check import permission_reviews


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

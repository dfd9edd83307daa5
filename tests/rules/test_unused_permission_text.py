"""IAM108's text: one entry per function and statement, naming each resource where the grant goes unused, and a
fix that fits the statement: trim its actions, drop a resource whose actions are used on the others only, or move
resources to a statement of their own. Found on aws-samples/serverless-patterns (tests/realworld/verdicts.md)."""

from __future__ import annotations

from pathlib import Path

from ddblint.check import run_check
from ddblint.config import Config
from ddblint.findings import Finding

STACK = """\
resource "aws_s3_bucket" "events" {
  bucket = "events-store"
}
resource "aws_iam_role" "fn" {
  name = "store-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "fn" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ACTIONS
        Resource = [aws_s3_bucket.events.arn, "${aws_s3_bucket.events.arn}/*"]
      },
    ]
  })
}
resource "aws_lambda_function" "fn" {
  function_name = "store-fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  environment {
    variables = {
      BUCKET = aws_s3_bucket.events.bucket
    }
  }
}
"""

PUTS = """\
import os

import boto3

S3 = boto3.client("s3")


def handler(event, context):
    S3.put_object(Bucket=os.environ["BUCKET"], Key=event["id"], Body=b"x")
"""

IDLE = "def handler(event, context):\n    return event\n"


def unused(root: Path, actions: str, code: str) -> list[Finding]:
    (root / "main.tf").write_text(STACK.replace("ACTIONS", actions), encoding="utf-8")
    (root / "app.py").write_text(code, encoding="utf-8")
    result = run_check([root], root=root, config=Config(select=("IAM108",)))
    assert result.report.errors == []
    return result.report.findings


def test_a_statement_unused_on_all_its_resources_is_one_entry(tmp_path: Path) -> None:
    (finding,) = unused(tmp_path, '["s3:GetObject"]', IDLE)
    assert finding.location.line == 26  # the function's role
    assert finding.message.startswith(
        'aws_iam_role.fn grants "s3:GetObject" on aws_s3_bucket.events.arn and ${aws_s3_bucket.events.arn}/* '
        "(Statement[0] of aws_iam_role_policy.fn, main.tf:16)"
    )
    assert finding.message.endswith("used there: nothing")
    assert finding.fix == (
        'in that statement, remove "s3:GetObject" (`ddblint policy aws_lambda_function.fn` prints the whole '
        "least-privilege policy)"
    )


def test_a_resource_whose_actions_are_used_on_the_others_only_is_dropped(tmp_path: Path) -> None:
    (finding,) = unused(tmp_path, '["s3:PutObject"]', PUTS)
    assert finding.message.startswith('aws_iam_role.fn grants "s3:PutObject" on aws_s3_bucket.events.arn (')
    assert finding.fix == (
        "remove aws_s3_bucket.events.arn from the Resource of that statement: its actions are used on the others only "
        "(`ddblint policy aws_lambda_function.fn` prints the whole least-privilege policy)"
    )


def test_resources_with_other_unused_actions_move_to_a_statement_of_their_own(tmp_path: Path) -> None:
    (finding,) = unused(tmp_path, '["s3:PutObject", "s3:GetObject"]', PUTS)
    assert finding.message.startswith(
        'aws_iam_role.fn grants "s3:GetObject", "s3:PutObject" on aws_s3_bucket.events.arn; "s3:GetObject" on '
        "${aws_s3_bucket.events.arn}/* ("
    )
    assert finding.fix == (
        "remove aws_s3_bucket.events.arn from the Resource of that statement: its actions are used on the others only; "
        'then in that statement, remove "s3:GetObject" (`ddblint policy aws_lambda_function.fn` prints the whole '
        "least-privilege policy)"
    )


def test_every_statement_of_the_role_is_in_one_entry_per_function(tmp_path: Path) -> None:
    stack = STACK.replace("ACTIONS", '["s3:GetObject"]') + (
        'resource "aws_iam_role_policy" "extra" {\n'
        "  role = aws_iam_role.fn.id\n"
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Deletes", Effect = "Allow", '
        'Action = ["s3:DeleteObject"], Resource = "${aws_s3_bucket.events.arn}/*" }] })\n'
        "}\n"
    )
    (tmp_path / "main.tf").write_text(stack, encoding="utf-8")
    (tmp_path / "app.py").write_text(IDLE, encoding="utf-8")
    result = run_check([tmp_path], root=tmp_path, config=Config(select=("IAM108",)))
    (finding,) = result.report.findings
    assert finding.message.startswith(
        'aws_iam_role.fn grants "s3:GetObject" on aws_s3_bucket.events.arn and ${aws_s3_bucket.events.arn}/* '
        '(Statement[0] of aws_iam_role_policy.fn, main.tf:16); "s3:DeleteObject" on ${aws_s3_bucket.events.arn}/* '
        "(statement 'Deletes' of aws_iam_role_policy.extra, main.tf:"
    )
    assert finding.fix == (
        'in Statement[0] of aws_iam_role_policy.fn, remove "s3:GetObject"; in statement \'Deletes\' of '
        'aws_iam_role_policy.extra, remove "s3:DeleteObject" (`ddblint policy aws_lambda_function.fn` prints the '
        "whole least-privilege policy)"
    )

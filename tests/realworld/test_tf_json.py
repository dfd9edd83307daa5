"""Known gap: Terraform's JSON syntax (`*.tf.json`) is not loaded.

A role's grants written in a `.tf.json` file next to `.tf` files (CDKTF output, generated configuration)
count like grants in `.tf` files (they were once invisible, and missing-permission rules fired).
"""

from __future__ import annotations

from ddblint.check import run_check
from ddblint.config import Config

MAIN = """
resource "aws_dynamodb_table" "t" {
  name             = "t"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn  = aws_dynamodb_table.t.stream_arn
  function_name     = aws_lambda_function.fn.arn
  starting_position = "LATEST"
}
"""

ATTACHMENT_JSON = """{
  "resource": {
    "aws_iam_role_policy_attachment": {
      "stream": {
        "role": "${aws_iam_role.fn.name}",
        "policy_arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"
      }
    }
  }
}
"""


def test_grant_in_tf_json_counts(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN)
    (tmp_path / "iam.tf.json").write_text(ATTACHMENT_JSON)
    report = run_check([tmp_path], root=tmp_path, config=Config(select=("STR201",))).report
    assert [f.rule_id for f in report.findings] == []

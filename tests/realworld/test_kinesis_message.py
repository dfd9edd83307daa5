"""RTY401 on a Kinesis mapping (found on terraform-aws-modules/lambda examples/event-source-mapping).

The message said a poison record is retried "up to 24 hours on a DynamoDB stream" about a Kinesis stream,
whose records live for its retention period (24 hours by default, up to 365 days).
"""

from __future__ import annotations

from ddblint.check import run_check
from ddblint.config import Config

MAIN = """
resource "aws_kinesis_stream" "clicks" {
  name             = "clicks"
  shard_count      = 1
  retention_period = 168
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_lambda_event_source_mapping" "clicks" {
  event_source_arn  = aws_kinesis_stream.clicks.arn
  function_name     = "clicks-consumer"
  starting_position = "LATEST"
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = "orders-consumer"
  starting_position = "LATEST"
}
"""


def test_rty401_names_the_expiry_of_the_stream_it_reads(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN)
    report = run_check([tmp_path], root=tmp_path, config=Config(select=("RTY401",))).report
    assert not report.errors
    messages = {f.address: f.message for f in report.findings}
    assert set(messages) == {"aws_lambda_event_source_mapping.clicks", "aws_lambda_event_source_mapping.orders"}
    assert "DynamoDB" not in messages["aws_lambda_event_source_mapping.clicks"]
    assert "Kinesis stream's retention period" in messages["aws_lambda_event_source_mapping.clicks"]
    assert "up to 24 hours on a DynamoDB stream" in messages["aws_lambda_event_source_mapping.orders"]

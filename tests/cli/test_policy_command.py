"""`ddblint policy ADDRESS [PATH]` as users run it: the least-privilege policy of one function, from what the
scanned code shows (README "Least-privilege policy"; the writer is ddblint/least_privilege.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = "examples/code-permissions"

# An image function (no handler source in the repository): its own calls are unknown, but what Lambda does with
# its role is known: the stream mapping's reads, the on-failure destination, the ENIs of its VPC, X-Ray, logs.
IMAGE_STACK = """
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

resource "aws_sqs_queue" "failed" {
  name = "failed"
}

resource "aws_iam_role" "consumer" {
  name               = "consumer"
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = aws_iam_role.consumer.arn
  package_type  = "Image"
  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/consumer:1"
  timeout       = 30

  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }

  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "LATEST"

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failed.arn
    }
  }
}
"""


def ddblint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def image_stack(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(IMAGE_STACK, encoding="utf-8")
    return tmp_path


def test_an_unknown_address_exits_2_with_the_functions_that_exist(tmp_path):
    result = ddblint("policy", "aws_lambda_function.nope", str(image_stack(tmp_path)))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no aws_lambda_function 'aws_lambda_function.nope'" in result.stderr
    assert "the functions there: aws_lambda_function.consumer" in result.stderr


def test_without_handler_source_the_service_and_baseline_permissions_only(tmp_path):
    result = ddblint("policy", "aws_lambda_function.consumer", str(image_stack(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "# Least-privilege policy for aws_lambda_function.consumer (ddblint policy):\n"
        "# what the scanned code shows it calls, nothing more.\n"
        "# Not resolved, so not granted here (add them by hand once you know the resource):\n"
        "#   the handler source is not in the scanned code: its own AWS calls are not included\n"
        "\n"
        'data "aws_partition" "current" {}\n'
        "\n"
        'data "aws_region" "current" {}\n'
        "\n"
        'data "aws_caller_identity" "current" {}\n'
        "\n"
        'data "aws_iam_policy_document" "consumer_least_privilege" {\n'
        "  # aws_lambda_event_source_mapping.orders reads its event source\n"
        "  statement {\n"
        '    actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", '
        '"dynamodb:ListStreams"]\n'
        "    resources = [aws_dynamodb_table.orders.stream_arn]\n"
        "  }\n"
        "\n"
        "  # on-failure destination of aws_lambda_event_source_mapping.orders\n"
        "  statement {\n"
        '    actions   = ["sqs:SendMessage"]\n'
        "    resources = [aws_sqs_queue.failed.arn]\n"
        "  }\n"
        "\n"
        "  # logs to the function's log group, which Lambda creates (no aws_cloudwatch_log_group defines it)\n"
        "  statement {\n"
        '    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]\n'
        '    resources = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.id}:'
        '${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/consumer:*"]\n'
        "  }\n"
        "\n"
        "  # network interfaces in the function's VPC (vpc_config)\n"
        "  # X-Ray traces (tracing_config mode = Active)\n"
        "  statement {\n"
        '    actions   = ["ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", '
        '"ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", '
        '"ec2:UnassignPrivateIpAddresses", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]\n'
        '    resources = ["*"]\n'
        "  }\n"
        "}\n"
    )


def test_json_format_gives_the_policy_and_lists_what_is_not_resolved_on_stderr(tmp_path):
    result = ddblint("policy", "aws_lambda_function.consumer", str(image_stack(tmp_path)), "--format", "json")
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    assert policy["Version"] == "2012-10-17"
    assert [(s["Action"], s["Resource"]) for s in policy["Statement"]][:3] == [
        (
            ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
            "arn:*:dynamodb:*:*:table/orders/stream/*",
        ),
        (["sqs:SendMessage"], "arn:*:sqs:*:*:failed"),
        (
            ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "arn:*:logs:*:*:log-group:/aws/lambda/consumer:*",
        ),
    ]
    assert all(s["Effect"] == "Allow" for s in policy["Statement"])
    assert "the handler source is not in the scanned code" in result.stderr


def test_a_function_in_a_module_gets_references_of_its_module():
    result = ddblint("policy", "module.consumer_function.aws_lambda_function.this[0]", "examples/complete")
    assert result.returncode == 0, result.stderr
    policy = result.stdout
    assert "# Resources are written as references inside module.consumer_function.\n" in policy
    # The module declares the partition, region and caller identity data sources: not written again.
    assert 'data "aws_partition"' not in policy
    assert 'resources = ["${aws_cloudwatch_log_group.this[0].arn}:*"]' in policy
    account = (
        "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.id}:"
        "${data.aws_caller_identity.current.account_id}"
    )
    # Tables of other modules, by their known names: the audit table the handler writes, the orders stream.
    assert f'resources = ["{account}:table/ddblint-complete-audit"]' in policy
    assert f'resources = ["{account}:table/ddblint-complete-orders/stream/*"]' in policy
    assert "Not resolved" not in policy

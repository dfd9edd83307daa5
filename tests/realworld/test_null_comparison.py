"""`x != null` on a list whose elements are computed (found on terraform-aws-modules/lambda with a VPC).

The community Lambda module writes `dynamic "vpc_config" { for_each = var.vpc_subnet_ids != null && ... }`
and callers pass `aws_subnet.x[*].id`. The list is known and non-null although its elements are not, so
Terraform creates the block; ddblint read the comparison as unknown, dropped the block and every VPC rule
stayed silent about such functions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.loaders.hcl import parse_hcl
from ddblint.model.evaluate import evaluate
from ddblint.model.values import UNKNOWN, RefValue


class _Scope:
    def lookup(self, name):
        if name == "var":
            return {
                "ids": [RefValue("aws_subnet.a[0]", "id"), RefValue("aws_subnet.a[1]", "id")],
                "tags": {"team": RefValue("aws_iam_role.r", "name")},
                "arn": RefValue("aws_sqs_queue.q", "arn"),
                "nothing": None,
            }
        return UNKNOWN

    def read_file(self, path):
        return UNKNOWN


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("var.ids != null", True),
        ("var.ids == null", False),
        ("null != var.ids", True),
        ("var.tags != null", True),
        ("[var.arn] == null", False),
        ("var.ids != null ? [true] : []", [True]),
        # a computed attribute itself may be null: Terraform does not know, nor does ddblint
        ("var.arn != null", UNKNOWN),
        ("var.nothing == null", True),
        # comparing contents still needs the contents
        ('var.ids == ["subnet-1", "subnet-2"]', UNKNOWN),
    ],
)
def test_null_comparison_of_collections(source, expected):
    body = parse_hcl(f"x = {source}\n", "t.tf")
    assert evaluate(body.attributes["x"].expr, _Scope()) == expected


MODULE = """
variable "subnet_ids" {
  type    = list(string)
  default = null
}

variable "security_group_ids" {
  type    = list(string)
  default = null
}

resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "table" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = "*" }]
  })
}

resource "aws_lambda_function" "this" {
  function_name = "reader"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  timeout       = 30

  dynamic "vpc_config" {
    for_each = var.subnet_ids != null && var.security_group_ids != null ? [true] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }
}
"""

ROOT = """
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.${count.index}.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "fn" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "fn" {
  source             = "./modules/fn"
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.fn.id]
}
"""

ENDPOINT = """
resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
"""


def _check(tmp_path: Path, root_text: str) -> list[str]:
    (tmp_path / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "modules" / "fn" / "main.tf").write_text(MODULE)
    (tmp_path / "main.tf").write_text(root_text)
    report = run_check([tmp_path], root=tmp_path, config=Config(select=("NET501",))).report
    assert not report.errors
    return [f"{f.rule_id} {f.address}" for f in report.findings]


def test_vpc_rule_sees_dynamic_vpc_config_fed_by_a_splat(tmp_path):
    assert _check(tmp_path, ROOT) == ["NET501 module.fn.aws_lambda_function.this"]


def test_vpc_rule_stays_silent_with_a_gateway_endpoint(tmp_path):
    assert _check(tmp_path, ROOT + ENDPOINT) == []

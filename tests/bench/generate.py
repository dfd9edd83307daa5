"""Generate realistic Terraform repositories for the benchmark (`make bench`), reproducibly.

A repository is a set of stacks (`stacks/<name>/`), each a root module of several files: provider and
variables, a VPC with subnets, routes, a DynamoDB gateway endpoint and security groups, DynamoDB tables (some
with streams), IAM roles with inline, separate and managed policies (`aws_iam_policy_document`, `jsonencode`),
Lambda functions (some through a local module `./modules/function`, some directly), event source mappings
from table streams and SQS queues, dead-letter queues, log groups and alarms. A seeded random generator
decides sizes and which resources carry a defect (a wildcard grant, a stream grant on the table ARN, a
missing timeout, unbounded retries, no PITR, ...), so about a third of the stacks have findings.

    python tests/bench/generate.py OUT --files 2000 [--seed 7]

The same arguments always write the same bytes. Not a test module: pytest collects only test_*.py.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

FILES_PER_STACK = 13  # 10 stack files + 3 files of the local function module
SIZES = {"small": 50, "medium": 500, "large": 2000}


def q(text: str) -> str:
    return f'"{text}"'


class Stack:
    def __init__(self, name: str, rng: random.Random):
        self.name = name
        self.rng = rng
        self.defective = rng.random() < 0.35
        self.tables = [f"{word}" for word in rng.sample(TABLE_WORDS, rng.randint(2, 4))]
        self.stream_tables = self.tables[: rng.randint(1, len(self.tables))]
        self.functions = [f"{word}" for word in rng.sample(FUNCTION_WORDS, rng.randint(2, 5))]
        self.queues = [f"{word}" for word in rng.sample(QUEUE_WORDS, rng.randint(1, 2))]

    def defect(self, probability: float = 0.5) -> bool:
        return self.defective and self.rng.random() < probability

    # -- files -------------------------------------------------------------------------------------------
    def files(self) -> dict[str, str]:
        return {
            "versions.tf": self.versions(),
            "variables.tf": self.variables(),
            "locals.tf": self.locals(),
            "network.tf": self.network(),
            "tables.tf": self.tables_tf(),
            "iam.tf": self.iam(),
            "functions.tf": self.functions_tf(),
            "mappings.tf": self.mappings(),
            "monitoring.tf": self.monitoring(),
            "outputs.tf": self.outputs(),
            "modules/function/main.tf": MODULE_MAIN,
            "modules/function/variables.tf": MODULE_VARIABLES,
            "modules/function/outputs.tf": MODULE_OUTPUTS,
        }

    def versions(self) -> str:
        return f"""terraform {{
  required_version = ">= 1.5"
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }}
  }}
}}

provider "aws" {{
  region = var.region

  default_tags {{
    tags = {{
      Stack       = "{self.name}"
      Environment = var.environment
      ManagedBy   = "terraform"
    }}
  }}
}}
"""

    def variables(self) -> str:
        cidr = f"10.{self.rng.randint(0, 250)}.0.0/16"
        return f"""variable "region" {{
  type        = string
  default     = "eu-west-1"
  description = "AWS region of the {self.name} stack."
}}

variable "environment" {{
  type    = string
  default = "prod"
}}

variable "vpc_cidr" {{
  type    = string
  default = "{cidr}"
}}

variable "azs" {{
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}}

variable "log_retention_days" {{
  type    = number
  default = {self.rng.choice([14, 30, 90])}
}}

variable "batch_size" {{
  type    = number
  default = {self.rng.choice([10, 25, 100])}
}}
"""

    def locals(self) -> str:
        return f"""locals {{
  prefix = "${{var.environment}}-{self.name}"
  common_tags = {{
    Owner   = "team-{self.rng.choice(["orders", "billing", "search", "identity"])}"
    Service = "{self.name}"
  }}
  private_subnet_cidrs = [for index, az in var.azs : cidrsubnet(var.vpc_cidr, 4, index)]
  public_subnet_cidrs  = [for index, az in var.azs : cidrsubnet(var.vpc_cidr, 4, index + 8)]
  function_timeouts = {{
{chr(10).join(f"    {f} = {self.rng.choice([15, 30, 60])}" for f in self.functions)}
  }}
}}
"""

    def network(self) -> str:
        dns = "false" if self.defect(0.2) else "true"
        egress_port = 80 if self.defect(0.2) else 443
        endpoint = not self.defect(0.3)
        text = f"""resource "aws_vpc" "main" {{
  cidr_block           = var.vpc_cidr
  enable_dns_support   = {dns}
  enable_dns_hostnames = true
  tags                 = merge(local.common_tags, {{ Name = local.prefix }})
}}

resource "aws_subnet" "private" {{
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = local.private_subnet_cidrs[count.index]
  availability_zone = var.azs[count.index]
  tags              = {{ Name = "${{local.prefix}}-private-${{count.index}}" }}
}}

resource "aws_subnet" "public" {{
  count                   = length(var.azs)
  vpc_id                  = aws_vpc.main.id
  cidr_block              = local.public_subnet_cidrs[count.index]
  availability_zone       = var.azs[count.index]
  map_public_ip_on_launch = true
}}

resource "aws_internet_gateway" "main" {{
  vpc_id = aws_vpc.main.id
}}

resource "aws_eip" "nat" {{
  domain = "vpc"
}}

resource "aws_nat_gateway" "main" {{
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
}}

resource "aws_route_table" "private" {{
  vpc_id = aws_vpc.main.id

  route {{
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }}
}}

resource "aws_route_table_association" "private" {{
  count          = length(var.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}}

resource "aws_security_group" "functions" {{
  name        = "${{local.prefix}}-functions"
  description = "Lambda functions of {self.name}"
  vpc_id      = aws_vpc.main.id

  egress {{
    description = "HTTPS to AWS APIs"
    from_port   = {egress_port}
    to_port     = {egress_port}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"""
        if endpoint:
            text += """
resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${var.region}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
"""
        return text

    def tables_tf(self) -> str:
        parts = []
        for table in self.tables:
            streamed = table in self.stream_tables
            provisioned = self.rng.random() < 0.25
            billing = (
                'billing_mode   = "PROVISIONED"\n  read_capacity  = 5\n  write_capacity = 5'
                if provisioned
                else 'billing_mode   = "PAY_PER_REQUEST"'
            )
            stream = ""
            if streamed:
                view = "" if self.defect(0.2) else '\n  stream_view_type = "NEW_AND_OLD_IMAGES"'
                stream = f"\n  stream_enabled   = true{view}"
            pitr = "" if self.defect() else "\n\n  point_in_time_recovery {\n    enabled = true\n  }"
            gsi = ""
            if self.rng.random() < 0.5:
                gsi = """

  attribute {
    name = "gsi_pk"
    type = "S"
  }

  global_secondary_index {
    name            = "by-gsi-pk"
    hash_key        = "gsi_pk"
    projection_type = "ALL"
  }"""
            parts.append(f"""resource "aws_dynamodb_table" "{table}" {{
  name           = "${{local.prefix}}-{table}"
  {billing}
  hash_key       = "pk"
  range_key      = "sk"{stream}

  attribute {{
    name = "pk"
    type = "S"
  }}

  attribute {{
    name = "sk"
    type = "S"
  }}{gsi}{pitr}

  server_side_encryption {{
    enabled = true
  }}

  tags = local.common_tags
}}
""")
            if provisioned and not self.defect():
                for dimension in ("read", "write"):
                    parts.append(f"""resource "aws_appautoscaling_target" "{table}_{dimension}" {{
  max_capacity       = 100
  min_capacity       = 5
  resource_id        = "table/${{aws_dynamodb_table.{table}.name}}"
  scalable_dimension = "dynamodb:table:{dimension.capitalize()}CapacityUnits"
  service_namespace  = "dynamodb"
}}
""")
        for queue in self.queues:
            parts.append(f"""resource "aws_sqs_queue" "{queue}_dlq" {{
  name                      = "${{local.prefix}}-{queue}-dlq"
  message_retention_seconds = 1209600
}}

resource "aws_sqs_queue" "{queue}" {{
  name                       = "${{local.prefix}}-{queue}"
  visibility_timeout_seconds = {self.rng.choice([30, 120, 360])}
  redrive_policy = jsonencode({{
    deadLetterTargetArn = aws_sqs_queue.{queue}_dlq.arn
    maxReceiveCount     = 5
  }})
}}
""")
        return "\n".join(parts)

    def iam(self) -> str:
        parts = [
            """data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
"""
        ]
        for function in self.functions:
            table = self.rng.choice(self.tables)
            streamed = self.stream_tables[self.functions.index(function) % len(self.stream_tables)]
            stream_attribute = "arn" if self.defect(0.3) else "stream_arn"
            stream_resource = f"aws_dynamodb_table.{streamed}.{stream_attribute}"
            data_actions = (
                '["dynamodb:*"]' if self.defect(0.3) else '["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]'
            )
            data_resources = (
                '["*"]'
                if self.defect(0.2)
                else f'[aws_dynamodb_table.{table}.arn, "${{aws_dynamodb_table.{table}.arn}}/index/*"]'
            )
            trust = "data.aws_iam_policy_document.lambda_assume.json"
            if self.defect(0.1):
                trust = (
                    'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", '
                    'Action = "sts:AssumeRole", Principal = { AWS = "*" } }] })'
                )
            parts.append(f"""resource "aws_iam_role" "{function}" {{
  name               = "${{local.prefix}}-{function}"
  assume_role_policy = {trust}
  tags               = local.common_tags
}}

data "aws_iam_policy_document" "{function}" {{
  statement {{
    sid       = "Data"
    actions   = {data_actions}
    resources = {data_resources}
  }}

  statement {{
    sid = "Stream"
    actions = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
    ]
    resources = [{stream_resource}]
  }}

  statement {{
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.{self.queues[0]}_dlq.arn]
  }}
}}

resource "aws_iam_role_policy" "{function}" {{
  name   = "data"
  role   = aws_iam_role.{function}.id
  policy = data.aws_iam_policy_document.{function}.json
}}

resource "aws_iam_role_policy_attachment" "{function}_vpc" {{
  role       = aws_iam_role.{function}.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}}
""")
            if self.defect(0.15):
                parts.append(f"""resource "aws_iam_role_policy_attachment" "{function}_full" {{
  role       = aws_iam_role.{function}.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}}
""")
        return "\n".join(parts)

    def functions_tf(self) -> str:
        parts = []
        for index, function in enumerate(self.functions):
            timeout = "" if self.defect(0.3) else f"\n  timeout       = local.function_timeouts.{function}"
            if index % 2 == 0:
                parts.append(f"""module "{function}" {{
  source             = "./modules/function"
  name               = "${{local.prefix}}-{function}"
  role_arn           = aws_iam_role.{function}.arn
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.functions.id]
  timeout            = {"2" if self.defect(0.2) else f"local.function_timeouts.{function}"}
  log_retention_days = var.log_retention_days
  environment = {{
    TABLE_NAME = aws_dynamodb_table.{self.rng.choice(self.tables)}.name
  }}
}}
""")
            else:
                parts.append(f"""resource "aws_lambda_function" "{function}" {{
  function_name = "${{local.prefix}}-{function}"
  role          = aws_iam_role.{function}.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "${{path.module}}/build/{function}.zip"
  memory_size   = {self.rng.choice([128, 256, 512, 1024])}{timeout}

  vpc_config {{
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.functions.id]
  }}

  environment {{
    variables = {{
      TABLE_NAME = aws_dynamodb_table.{self.rng.choice(self.tables)}.name
      LOG_LEVEL  = "INFO"
    }}
  }}

  tracing_config {{
    mode = "Active"
  }}
}}

resource "aws_cloudwatch_log_group" "{function}" {{
  name              = "/aws/lambda/${{aws_lambda_function.{function}.function_name}}"
  retention_in_days = var.log_retention_days
}}
""")
        return "\n".join(parts)

    def function_ref(self, function: str) -> str:
        index = self.functions.index(function)
        return f"module.{function}.arn" if index % 2 == 0 else f"aws_lambda_function.{function}.arn"

    def mappings(self) -> str:
        parts = []
        for index, function in enumerate(self.functions):
            table = self.stream_tables[index % len(self.stream_tables)]
            if self.defect(0.4):
                parts.append(f"""resource "aws_lambda_event_source_mapping" "{function}_{table}" {{
  event_source_arn  = aws_dynamodb_table.{table}.stream_arn
  function_name     = {self.function_ref(function)}
  starting_position = "LATEST"
}}
""")
            else:
                parts.append(f"""resource "aws_lambda_event_source_mapping" "{function}_{table}" {{
  event_source_arn                   = aws_dynamodb_table.{table}.stream_arn
  function_name                      = {self.function_ref(function)}
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = 5
  maximum_retry_attempts             = 3
  maximum_record_age_in_seconds      = 3600
  bisect_batch_on_function_error     = true
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {{
    on_failure {{
      destination_arn = aws_sqs_queue.{self.queues[0]}_dlq.arn
    }}
  }}

  depends_on = [aws_iam_role_policy.{function}]
}}
""")
        for queue in self.queues:
            function = self.rng.choice(self.functions)
            parts.append(f"""resource "aws_lambda_event_source_mapping" "{queue}_{function}" {{
  event_source_arn        = aws_sqs_queue.{queue}.arn
  function_name           = {self.function_ref(function)}
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}}
""")
        return "\n".join(parts)

    def monitoring(self) -> str:
        parts = []
        for function in self.functions:
            if self.defect(0.3):
                continue
            name = (
                f"module.{function}.function_name"
                if self.functions.index(function) % 2 == 0
                else f"aws_lambda_function.{function}.function_name"
            )
            parts.append(f"""resource "aws_cloudwatch_metric_alarm" "{function}_iterator_age" {{
  alarm_name          = "${{local.prefix}}-{function}-iterator-age"
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 60000
  comparison_operator = "GreaterThanThreshold"
  dimensions = {{
    FunctionName = {name}
  }}
}}

resource "aws_cloudwatch_metric_alarm" "{function}_errors" {{
  alarm_name          = "${{local.prefix}}-{function}-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {{
    FunctionName = {name}
  }}
}}
""")
        return "\n".join(parts) or "# No alarms in this stack yet.\n"

    def outputs(self) -> str:
        parts = ['output "vpc_id" {\n  value = aws_vpc.main.id\n}\n']
        parts += [f'output "{t}_table_arn" {{\n  value = aws_dynamodb_table.{t}.arn\n}}\n' for t in self.tables]
        parts += [f'output "{f}_function_arn" {{\n  value = {self.function_ref(f)}\n}}\n' for f in self.functions]
        return "\n".join(parts)


MODULE_MAIN = """resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "${path.module}/build/${var.name}.zip"
  timeout       = var.timeout
  memory_size   = var.memory_size

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  environment {
    variables = var.environment
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${aws_lambda_function.this.function_name}"
  retention_in_days = var.log_retention_days
}
"""

MODULE_VARIABLES = """variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_ids" {
  type = list(string)
}

variable "timeout" {
  type    = number
  default = 30
}

variable "memory_size" {
  type    = number
  default = 256
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "environment" {
  type    = map(string)
  default = {}
}
"""

MODULE_OUTPUTS = """output "arn" {
  value = aws_lambda_function.this.arn
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
"""

TABLE_WORDS = ["orders", "customers", "invoices", "sessions", "carts", "events", "ledger", "profiles", "tokens"]
FUNCTION_WORDS = ["ingest", "enrich", "notify", "archive", "index", "audit", "billing", "export", "sync"]
QUEUE_WORDS = ["jobs", "webhooks", "emails", "imports"]


def generate(out: Path, files: int, seed: int = 7) -> int:
    """Write a repository of about `files` .tf files to `out` (replacing it). Returns the number written."""
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(seed)
    count = 0
    stacks = max(1, round(files / FILES_PER_STACK))
    for index in range(stacks):
        stack = Stack(f"svc{index:04d}", rng)
        for rel, text in stack.files().items():
            path = out / "stacks" / stack.name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    count = generate(args.out, args.files, args.seed)
    print(f"wrote {count} .tf files to {args.out}")


if __name__ == "__main__":
    main()

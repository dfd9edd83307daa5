"""Fixes for resources inside modules are written where the user edits (issue 16, item 2): the input of the `module`
block that sets the attribute, the output the root reads, the `module` block a `depends_on` goes on; and when the
module has no such input or output, the text says so. Each case is a small tree: a root calling a local module,
or a registry module as `terraform init` downloads it (`.terraform/modules/modules.json`)."""

from __future__ import annotations

import json
from pathlib import Path

from ddblint.check import run_check
from ddblint.config import Config
from ddblint.findings import Finding

ROLE = """\
resource "aws_iam_role" "this" {
  name               = "consumer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [local.lambda_trust] })
}

locals {
  lambda_trust = { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }
}
"""

FUNCTION_WITH_INPUTS = (
    ROLE
    + """
resource "aws_lambda_function" "this" {
  function_name = var.function_name
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/f.zip"
  timeout       = var.timeout
}
"""
)

FUNCTION_VARIABLES = """\
variable "function_name" {
  description = "Name of the function."
  type        = string
}

variable "timeout" {
  description = "Seconds the function may run; null leaves Lambda's default."
  type        = number
  default     = null
}
"""

FUNCTION_WITHOUT_INPUT = (
    ROLE
    + """
resource "aws_lambda_function" "this" {
  function_name = var.function_name
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/f.zip"
}
"""
)

NAME_OUTPUT = """\
output "function_name" {
  description = "Name of the function."
  value       = try(aws_lambda_function.this.function_name, "")
}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def registry_module(root: Path, name: str, files: dict[str, str]) -> None:
    """A registry module as `terraform init` leaves it: its files under .terraform/modules/<name>, found
    through modules.json."""
    write(root, {f".terraform/modules/{name}/{file}": text for file, text in files.items()})
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": name, "Dir": f".terraform/modules/{name}"}]}
    write(root, {".terraform/modules/modules.json": json.dumps(manifest)})


def findings(root: Path, rule_id: str) -> list[Finding]:
    result = run_check([root], root=root, config=Config(select=(rule_id,)))
    assert result.report.errors == []
    return [f for f in result.report.findings if f.rule_id == rule_id]


def only_fix(root: Path, rule_id: str) -> str:
    (finding,) = findings(root, rule_id)
    return finding.fix


# -- inputs -----------------------------------------------------------------------------------------------------
def test_registry_module_input_that_exists(tmp_path: Path) -> None:
    registry_module(tmp_path, "orders", {"main.tf": FUNCTION_WITH_INPUTS, "variables.tf": FUNCTION_VARIABLES})
    write(
        tmp_path,
        {
            "main.tf": 'module "orders" {\n'
            '  source        = "terraform-aws-modules/lambda/aws"\n'
            '  version       = "8.0.0"\n'
            '  function_name = "orders"\n'
            "}\n"
        },
    )
    assert only_fix(tmp_path, "LAM301") == (
        'set timeout = 30 in module "orders" (main.tf:1), the module input for timeout of aws_lambda_function.this'
    )


def test_local_module_input_the_call_sets(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "modules/function/main.tf": FUNCTION_WITH_INPUTS,
            "modules/function/variables.tf": FUNCTION_VARIABLES,
            "main.tf": 'module "orders" {\n'
            '  source        = "./modules/function"\n'
            '  function_name = "orders"\n'
            "  timeout       = 1000\n"
            "}\n",
        },
    )
    assert only_fix(tmp_path, "LAM303") == (
        'set timeout = 900 in module "orders" (main.tf:4), the module input for timeout of aws_lambda_function.this'
    )


def test_registry_module_input_missing(tmp_path: Path) -> None:
    registry_module(tmp_path, "orders", {"main.tf": FUNCTION_WITHOUT_INPUT, "variables.tf": FUNCTION_VARIABLES})
    write(
        tmp_path,
        {"main.tf": 'module "orders" {\n  source        = "acme/lambda/aws"\n  function_name = "orders"\n}\n'},
    )
    assert only_fix(tmp_path, "LAM301") == (
        "the module exposes no timeout input; change .terraform/modules/orders/main.tf:10 or ask its maintainer: "
        "set timeout explicitly, e.g. timeout = 30 (seconds; at most 900), sized to the slowest call"
    )


def test_local_module_input_missing_names_the_line_in_the_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "modules/function/main.tf": FUNCTION_WITHOUT_INPUT,
            "modules/function/variables.tf": FUNCTION_VARIABLES,
            "main.tf": 'module "a" {\n  source        = "./modules/function"\n  function_name = "a"\n}\n\n'
            'module "b" {\n  source        = "./modules/function"\n  function_name = "b"\n}\n',
        },
    )
    (entry,) = findings(tmp_path, "LAM301")
    assert entry.instances == ("module.a.aws_lambda_function.this", "module.b.aws_lambda_function.this")
    assert entry.fix == (
        "the module exposes no timeout input; in modules/function/main.tf:10, set timeout explicitly, "
        "e.g. timeout = 30 (seconds; at most 900), sized to the slowest call"
    )


def test_a_module_called_twice_through_its_input_is_one_entry_with_each_call(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "modules/function/main.tf": FUNCTION_WITH_INPUTS,
            "modules/function/variables.tf": FUNCTION_VARIABLES,
            "main.tf": 'module "a" {\n  source        = "./modules/function"\n  function_name = "a"\n}\n\n'
            'module "b" {\n  source        = "./modules/function"\n  function_name = "b"\n}\n',
        },
    )
    (entry,) = findings(tmp_path, "LAM301")
    assert entry.fix == (
        "set timeout = 30 in the module block of each instance, the module input for timeout of "
        "aws_lambda_function.this"
    )
    assert [(address, fix) for address, _, fix in entry.instance_texts] == [
        (
            "module.a.aws_lambda_function.this",
            'set timeout = 30 in module "a" (main.tf:1), the module input for timeout of aws_lambda_function.this',
        ),
        (
            "module.b.aws_lambda_function.this",
            'set timeout = 30 in module "b" (main.tf:6), the module input for timeout of aws_lambda_function.this',
        ),
    ]
    assert [f.fix for f in entry.each_instance()] == [fix for _, _, fix in entry.instance_texts]
    assert [item["address"] for item in entry.to_dict()["instance_findings"]] == list(entry.instances)


# -- outputs ----------------------------------------------------------------------------------------------------
STREAM_ROOT = """\
variable "prefix" {
  type = string
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  hash_key         = "pk"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }
}

module "consumer" {
  source        = "acme/lambda/aws"
  function_name = "${var.prefix}-consumer"
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn              = aws_dynamodb_table.orders.stream_arn
  function_name                 = "${var.prefix}-consumer"
  starting_position             = "LATEST"
  maximum_retry_attempts        = 3
  maximum_record_age_in_seconds = 3600
}
"""


def test_output_that_exists_is_the_reference_to_write(tmp_path: Path) -> None:
    registry_module(
        tmp_path,
        "consumer",
        {"main.tf": FUNCTION_WITH_INPUTS, "variables.tf": FUNCTION_VARIABLES, "outputs.tf": NAME_OUTPUT},
    )
    write(
        tmp_path,
        {
            "main.tf": STREAM_ROOT.replace(
                '"${var.prefix}-consumer"\n  starting', "module.consumer.function_name\n  starting"
            )
        },
    )
    assert only_fix(tmp_path, "OPS603") == (
        'add an aws_cloudwatch_metric_alarm with namespace = "AWS/Lambda", metric_name = "IteratorAge", '
        'statistic = "Maximum", dimensions = { FunctionName = module.consumer.function_name } and a threshold such '
        "as 60000 ms"
    )


CONSUMER_MAPPING = """
variable "event_source_arn" {
  description = "Stream the function reads."
  type        = string
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn              = var.event_source_arn
  function_name                 = aws_lambda_function.this.arn
  starting_position             = "LATEST"
  maximum_retry_attempts        = 3
  maximum_record_age_in_seconds = 3600
}
"""


def test_no_output_says_so(tmp_path: Path) -> None:
    registry_module(
        tmp_path,
        "consumer",
        {"main.tf": FUNCTION_WITH_INPUTS + CONSUMER_MAPPING, "variables.tf": FUNCTION_VARIABLES},
    )
    root = STREAM_ROOT[: STREAM_ROOT.index('resource "aws_lambda_event_source_mapping"')]
    root = root.replace('-consumer"\n', '-consumer"\n  event_source_arn = aws_dynamodb_table.orders.stream_arn\n')
    write(tmp_path, {"main.tf": root})
    assert only_fix(tmp_path, "OPS603") == (
        'add an aws_cloudwatch_metric_alarm with namespace = "AWS/Lambda", metric_name = "IteratorAge", '
        'statistic = "Maximum", dimensions = { FunctionName = <function name> } and a threshold such as 60000 ms; '
        'module "consumer" (main.tf:18) exposes no output with the function name: ask its maintainer for one'
    )


# -- depends_on -------------------------------------------------------------------------------------------------
POLICY_MODULE = """\
variable "role" {
  type = string
}

variable "stream_arn" {
  type = string
}

resource "aws_iam_role_policy" "this" {
  role = var.role
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
      Resource = var.stream_arn
    }]
  })
}
"""

DEPENDS_ROOT = """\
resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  hash_key         = "pk"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_iam_role" "consumer" {
  name               = "consumer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [local.lambda_trust] })
}

locals {
  lambda_trust = { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
  timeout       = 30
}

module "notify_function" {
  source     = "./modules/policy"
  role       = aws_iam_role.consumer.id
  stream_arn = aws_dynamodb_table.orders.stream_arn
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "LATEST"
}
"""


def test_depends_on_names_the_module_block_holding_the_policy(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": DEPENDS_ROOT, "modules/policy/main.tf": POLICY_MODULE})
    assert only_fix(tmp_path, "STR204") == (
        "add depends_on = [module.notify_function] to the mapping (or move the statements into an inline_policy "
        "block of aws_iam_role.consumer)"
    )


def test_depends_on_goes_on_the_module_block_holding_the_mapping() -> None:
    case = Path(__file__).parent / "STR204" / "fires" / "module_call_depends_on_other_resource"
    assert only_fix(case, "STR204") == (
        'add depends_on = [aws_iam_role_policy.stream] to module "mapping" (main.tf:50) (or move the statements '
        "into an inline_policy block of aws_iam_role.consumer)"
    )


# -- one entry per source location ------------------------------------------------------------------------------
def test_log_group_names_of_each_instance_stay_in_their_json_entries(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "modules/function/main.tf": FUNCTION_WITH_INPUTS,
            "modules/function/variables.tf": FUNCTION_VARIABLES,
            "main.tf": 'module "a" {\n  source        = "./modules/function"\n  function_name = "a"\n'
            "  timeout       = 30\n}\n\n"
            'module "b" {\n  source        = "./modules/function"\n  function_name = "b"\n'
            "  timeout       = 30\n}\n",
        },
    )
    (entry,) = findings(tmp_path, "OPS605")
    assert entry.message == (
        "no aws_cloudwatch_log_group named /aws/lambda/<function name> of each instance is defined: Lambda creates "
        "it on the first invocation with retention 'Never expire', so aws_lambda_function.this's logs are stored "
        "(and billed) forever"
    )
    assert [item["fix"] for item in entry.to_dict()["instance_findings"]] == [
        'add resource "aws_cloudwatch_log_group" with name = "/aws/lambda/a" and retention_in_days = 30 '
        "(or what your retention policy requires)",
        'add resource "aws_cloudwatch_log_group" with name = "/aws/lambda/b" and retention_in_days = 30 '
        "(or what your retention policy requires)",
    ]


def test_vendored_module_input_the_root_sets() -> None:
    case = Path(__file__).parent / "RTY401" / "fires" / "vendored_module_input_set_by_root"
    assert only_fix(case, "RTY401") == (
        'set maximum_retry_attempts = 3 in module "orders" (main.tf:10), the module input for '
        "maximum_retry_attempts of aws_lambda_event_source_mapping.this; give the mapping an on_failure "
        "destination too"
    )


def test_role_to_attach_to_is_named_through_the_module_output(tmp_path: Path) -> None:
    role_output = 'output "role_name" {\n  description = "Name of the role."\n  value = aws_iam_role.this.name\n}\n'
    registry_module(
        tmp_path,
        "orders",
        {"main.tf": FUNCTION_WITH_INPUTS, "variables.tf": FUNCTION_VARIABLES, "outputs.tf": role_output},
    )
    write(
        tmp_path, {"main.tf": 'module "orders" {\n  source        = "acme/lambda/aws"\n  function_name = "orders"\n}\n'}
    )
    assert only_fix(tmp_path, "LAM306").startswith(
        "attach arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole to the iam role named by "
        "module.orders.role_name, or "
    )
    (tmp_path / ".terraform/modules/orders/outputs.tf").unlink()
    assert only_fix(tmp_path, "LAM306").startswith(
        "attach arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole to aws_iam_role.this "
        "(.terraform/modules/orders/main.tf:1), or "
    )


def test_input_the_module_computes_the_attribute_from(tmp_path: Path) -> None:
    computed = FUNCTION_WITH_INPUTS.replace("timeout       = var.timeout", "timeout       = var.timeout * 2")
    registry_module(tmp_path, "orders", {"main.tf": computed, "variables.tf": FUNCTION_VARIABLES})
    root = 'module "orders" {\n  source        = "acme/lambda/aws"\n  function_name = "orders"\n  timeout = 600\n}\n'
    write(tmp_path, {"main.tf": root})
    assert only_fix(tmp_path, "LAM303") == (
        "the module computes timeout of aws_lambda_function.this from its input timeout "
        '(.terraform/modules/orders/main.tf:16): set it in module "orders" (main.tf:1) so that timeout = 900'
    )


def test_fix_in_the_module_names_its_resources_as_the_module_does(tmp_path: Path) -> None:
    table = (
        'resource "aws_dynamodb_table" "this" {\n  name         = "orders"\n  hash_key     = "pk"\n'
        '  billing_mode = "PAY_PER_REQUEST"\n\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n\n'
        'output "stream_arn" {\n  value = aws_dynamodb_table.this.stream_arn\n}\n'
    )
    root = (
        'module "orders" {\n  source = "./modules/table"\n}\n\n'
        'resource "aws_lambda_event_source_mapping" "orders" {\n'
        "  event_source_arn  = module.orders.stream_arn\n"
        '  function_name     = "arn:aws:lambda:eu-west-1:123456789012:function:orders"\n'
        '  starting_position = "LATEST"\n}\n'
    )
    write(tmp_path, {"modules/table/main.tf": table, "main.tf": root})
    assert only_fix(tmp_path, "STR202") == (
        "the module exposes no stream_enabled input; in modules/table/main.tf:1, in aws_dynamodb_table.this set "
        'stream_enabled = true and stream_view_type = "NEW_AND_OLD_IMAGES" (or "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY")'
    )


def test_attribute_from_the_map_a_module_iterates_over_names_that_input(tmp_path: Path) -> None:
    module = (
        'variable "event_source_mappings" {\n  type    = any\n  default = {}\n}\n\n'
        'resource "aws_lambda_event_source_mapping" "this" {\n'
        "  for_each                      = var.event_source_mappings\n"
        '  event_source_arn              = each.value["event_source_arn"]\n'
        '  function_name                 = "arn:aws:lambda:eu-west-1:123456789012:function:orders"\n'
        '  starting_position             = "LATEST"\n'
        '  maximum_retry_attempts        = lookup(each.value, "maximum_retry_attempts", null)\n'
        "  maximum_record_age_in_seconds = 3600\n"
        "}\n"
    )
    root = (
        'resource "aws_kinesis_stream" "orders" {\n  name        = "orders"\n  shard_count = 1\n}\n\n'
        'module "consumer" {\n  source = "acme/consumer/aws"\n'
        "  event_source_mappings = { orders = { event_source_arn = aws_kinesis_stream.orders.arn } }\n}\n"
    )
    registry_module(tmp_path, "consumer", {"main.tf": module})
    write(tmp_path, {"main.tf": root})
    assert only_fix(tmp_path, "RTY401") == (
        "the module computes maximum_retry_attempts of aws_lambda_event_source_mapping.this from its input "
        'event_source_mappings (.terraform/modules/consumer/main.tf:11): set it in module "consumer" (main.tf:6) '
        "so that maximum_retry_attempts = 3"
    )


def test_timeout_the_sdk_retries_need_is_set_through_the_module_input(tmp_path: Path) -> None:
    function = FUNCTION_WITH_INPUTS.replace('"build/f.zip"', '"${path.module}/build/orders.zip"').replace(
        '"handler.handle"', '"app.handler"'
    )
    handler = (
        "import boto3\nfrom botocore.config import Config\n\n"
        'dynamodb = boto3.client("dynamodb", config=Config(retries={"max_attempts": 4, "mode": "standard"}))\n\n\n'
        "def handler(event, context):\n"
        '    return dynamodb.get_item(TableName="orders", Key={"id": {"S": event["id"]}})\n'
    )
    root = 'module "orders" {\n  source        = "./modules/fn"\n  function_name = "orders"\n  timeout       = 10\n}\n'
    write(
        tmp_path,
        {
            "modules/fn/main.tf": function,
            "modules/fn/variables.tf": FUNCTION_VARIABLES,
            "modules/fn/build/orders/app.py": handler,
            "main.tf": root,
        },
    )
    assert only_fix(tmp_path, "RTY406") == (
        'lower retries max_attempts to 3, or set timeout = 15 in module "orders" (main.tf:4), the module input for '
        "timeout of aws_lambda_function.this so the worst case fits in the function timeout"
    )

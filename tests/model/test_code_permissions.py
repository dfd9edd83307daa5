"""Resolving handler calls through Terraform into the ARNs a role must allow (model/code_permissions.py), with
HandlerCalls written by hand: the language readers have their own tests."""

from __future__ import annotations

from pathlib import Path

from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import Model
from ddblint.model.code_calls import CallSite, CallTarget, HandlerCalls, SdkCall, TargetName
from ddblint.model.code_permissions import CodePermissions
from ddblint.model.facts import facts_of
from ddblint.model.policy import Tri, role_allows

STACK = """
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "uploads-bucket"
}

resource "aws_kinesis_stream" "clicks" {
  name        = "clicks"
  shard_count = 1
}

resource "aws_cloudwatch_event_bus" "bus" {
  name = "orders-bus"
}

module "store" {
  source = "./store"
}

locals {
  table_name = aws_dynamodb_table.orders.name
}

resource "aws_iam_role" "r" {
  name = "api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = aws_dynamodb_table.orders.arn },
      { Effect = "Allow", Action = ["sqs:SendMessage"], Resource = aws_sqs_queue.jobs.arn },
    ]
  })
}

resource "aws_lambda_function" "f" {
  function_name = "api"
  role          = aws_iam_role.r.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      TABLE_NAME = aws_dynamodb_table.orders.name
      TABLE_LOCAL = local.table_name
      TABLE_ARN   = aws_dynamodb_table.orders.arn
      QUEUE_URL   = aws_sqs_queue.jobs.url
      TOPIC_ARN   = aws_sns_topic.alerts.arn
      BUCKET      = aws_sqs_queue.jobs.id
      UPLOADS     = aws_s3_bucket.uploads.id
      STREAM      = aws_kinesis_stream.clicks.name
      BUS         = aws_cloudwatch_event_bus.bus.name
      STORE       = module.store.table_name
      FROM_VAR    = var.table
    }
  }
}

variable "table" {
  type = string
}
"""

STORE = """
resource "aws_dynamodb_table" "this" {
  name         = "store"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

output "table_name" {
  value = aws_dynamodb_table.this.name
}
"""


def load(tmp_path: Path) -> Model:
    (tmp_path / "main.tf").write_text(STACK, encoding="utf-8")
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "main.tf").write_text(STORE, encoding="utf-8")
    result = TerraformLoader(tmp_path).load([tmp_path])
    assert result.errors == []
    (model,) = result.models
    return model


def call(service: str, operation: str, action: str, target: CallTarget, line: int = 3) -> SdkCall:
    return SdkCall(service, operation, ((action, target),), CallSite("src/app.py", line, 5, f"{operation}(...)"))


def env(resource_type: str, name: str, qualifier: str | None = None) -> CallTarget:
    return CallTarget(resource_type, TargetName(env=name), qualifier)


def literal(resource_type: str, text: str, qualifier: str | None = None) -> CallTarget:
    return CallTarget(resource_type, TargetName(literal=text), qualifier)


def permissions_for(model: Model, *calls: SdkCall, dynamic: bool = False):
    handler_calls = HandlerCalls("python", ("src/app.py",), list(calls))
    facts = facts_of(model)
    function = model.resource("aws_lambda_function.f")
    assert function is not None
    return CodePermissions(model, facts, lambda fn: handler_calls).of(function)


def test_targets_resolve_through_references_locals_and_module_outputs(tmp_path):
    model = load(tmp_path)
    permissions = permissions_for(
        model,
        call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "TABLE_NAME")),
        call("dynamodb", "PutItem", "dynamodb:PutItem", env("table", "TABLE_LOCAL")),
        call("dynamodb", "Query", "dynamodb:Query", env("index", "TABLE_ARN", "by_customer")),
        call("dynamodb", "Query", "dynamodb:Query", env("index", "TABLE_NAME")),
        call("sqs", "SendMessage", "sqs:SendMessage", env("queue", "QUEUE_URL")),
        call("sns", "Publish", "sns:Publish", env("topic", "TOPIC_ARN")),
        call("s3", "PutObject", "s3:PutObject", env("object", "UPLOADS", "reports/*")),
        call("kinesis", "PutRecord", "kinesis:PutRecord", env("stream", "STREAM")),
        call("events", "PutEvents", "events:PutEvents", env("event-bus", "BUS")),
        call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "STORE")),
    )
    assert [(p.action, p.arn.terraform) for p in permissions.code] == [
        ("dynamodb:GetItem", "aws_dynamodb_table.orders.arn"),
        ("dynamodb:PutItem", "aws_dynamodb_table.orders.arn"),
        ("dynamodb:Query", '"${aws_dynamodb_table.orders.arn}/index/by_customer"'),
        ("dynamodb:Query", '"${aws_dynamodb_table.orders.arn}/index/*"'),
        ("sqs:SendMessage", "aws_sqs_queue.jobs.arn"),
        ("sns:Publish", "aws_sns_topic.alerts.arn"),
        ("s3:PutObject", '"${aws_s3_bucket.uploads.arn}/reports/*"'),
        ("kinesis:PutRecord", "aws_kinesis_stream.clicks.arn"),
        ("events:PutEvents", "aws_cloudwatch_event_bus.bus.arn"),
        (
            "dynamodb:GetItem",
            '"arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.id}:'
            '${data.aws_caller_identity.current.account_id}:table/store"',
        ),
    ]
    assert [p.arn.text for p in permissions.code][:3] == [
        "arn:*:dynamodb:*:*:table/orders",
        "arn:*:dynamodb:*:*:table/orders",
        "arn:*:dynamodb:*:*:table/orders/index/by_customer",
    ]
    assert permissions.code[6].arn.text == "arn:*:s3:::uploads-bucket/reports/*"
    assert permissions.unresolved == []
    assert permissions.code[0].reason == "src/app.py:3"


def test_targets_that_do_not_resolve_are_listed_not_guessed(tmp_path):
    model = load(tmp_path)
    permissions = permissions_for(
        model,
        call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "FROM_VAR")),
        call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "NOT_SET")),
        call("dynamodb", "GetItem", "dynamodb:GetItem", CallTarget("table", None)),
        call("s3", "GetObject", "s3:GetObject", env("object", "BUCKET", "*")),  # a queue's id is no bucket
        call("dynamodb", "GetItem", "dynamodb:GetItem", literal("table", "legacy")),
    )
    assert permissions.code == []
    assert [u.why for u in permissions.unresolved] == [
        "FROM_VAR does not name a table of the scanned code",
        "NOT_SET is not set in the function's environment",
        "the table is computed in the code",
        "BUCKET does not name a bucket of the scanned code",
        "'legacy' is not a table of the scanned code",
    ]


def test_literal_names_urls_and_arns(tmp_path):
    model = load(tmp_path)
    permissions = permissions_for(
        model,
        call("dynamodb", "GetItem", "dynamodb:GetItem", literal("table", "orders")),
        call(
            "sqs",
            "SendMessage",
            "sqs:SendMessage",
            literal("queue", "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"),
        ),
        call(
            "sqs",
            "SendMessage",
            "sqs:SendMessage",
            literal("queue", "https://sqs.eu-west-1.amazonaws.com/123456789012/other"),
        ),
        call("sns", "Publish", "sns:Publish", literal("topic", "arn:aws:sns:eu-west-1:123456789012:external")),
        call("events", "PutEvents", "events:PutEvents", literal("event-bus", "default")),
    )
    assert [p.arn.label for p in permissions.code] == [
        "aws_dynamodb_table.orders.arn",
        "aws_sqs_queue.jobs.arn",
        '"arn:aws:sqs:eu-west-1:123456789012:other"',
        '"arn:aws:sns:eu-west-1:123456789012:external"',
        '"arn:${data.aws_partition.current.partition}:events:${data.aws_region.current.id}:'
        '${data.aws_caller_identity.current.account_id}:event-bus/default"',
    ]
    assert permissions.code[4].arn.text == "arn:*:events:*:*:event-bus/default"


def test_resolved_arns_are_what_role_allows_compares(tmp_path):
    model = load(tmp_path)
    permissions = permissions_for(
        model,
        call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "TABLE_NAME")),
        call("dynamodb", "UpdateItem", "dynamodb:UpdateItem", env("table", "TABLE_NAME")),
        call("dynamodb", "Query", "dynamodb:Query", env("index", "TABLE_NAME", "by_customer")),
        call("sqs", "SendMessage", "sqs:SendMessage", env("queue", "QUEUE_URL")),
        call("sns", "Publish", "sns:Publish", env("topic", "TOPIC_ARN")),
    )
    facts = facts_of(model)
    role = facts.function_role(model.resource("aws_lambda_function.f"))
    assert role is not None
    policies = facts.role_policies(role)
    answers = [role_allows(model, policies, p.action, list(p.arn.tokens)) for p in permissions.code]
    assert answers == [Tri.YES, Tri.NO, Tri.NO, Tri.YES, Tri.NO]


def test_the_baseline_logs_and_no_service_reads_without_mappings(tmp_path):
    model = load(tmp_path)
    permissions = permissions_for(model)
    assert permissions.service == []
    assert [p.action for p in permissions.baseline] == [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ]
    assert permissions.baseline[0].arn.text == "arn:*:logs:*:*:log-group:/aws/lambda/api:*"


def test_facts_compute_permissions_once(tmp_path):
    model = load(tmp_path)
    facts = facts_of(model)
    function = model.resource("aws_lambda_function.f")
    assert facts.code_permissions is facts.code_permissions
    store = CodePermissions(model, facts, lambda fn: None)
    assert store.of(function) is store.of(function)
    assert store.of(function).calls is None and store.of(function).code == []


def test_unused_grants_list_what_no_function_of_the_role_calls(tmp_path):
    model = load(tmp_path)
    facts = facts_of(model)
    calls = HandlerCalls(
        "python",
        ("src/app.py",),
        [call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "TABLE_NAME"))],
    )
    store = CodePermissions(model, facts, lambda fn: calls)
    role = model.resource("aws_iam_role.r")
    grants = store.unused_grants(role)
    assert grants is not None
    assert [(g.unused, g.used, g.patterns) for g in grants] == [
        (("sqs:SendMessage",), (), ("sqs:SendMessage",)),
    ]
    assert grants[0].statement.origin == "aws_iam_role_policy.p"


def test_unused_grants_are_unknown_with_dynamic_calls_or_without_source(tmp_path):
    model = load(tmp_path)
    facts = facts_of(model)
    role = model.resource("aws_iam_role.r")
    dynamic = HandlerCalls("python", ("src/app.py",), [], dynamic=[CallSite("src/app.py", 4, 1, "getattr(...)")])
    assert CodePermissions(model, facts, lambda fn: dynamic).unused_grants(role) is None
    assert CodePermissions(model, facts, lambda fn: None).unused_grants(role) is None
    unfollowed = HandlerCalls("python", ("src/app.py",), [], unfollowed=["helpers"])
    assert CodePermissions(model, facts, lambda fn: unfollowed).unused_grants(role) is None


def test_a_call_on_an_unknown_resource_uses_its_action_everywhere(tmp_path):
    model = load(tmp_path)
    facts = facts_of(model)
    calls = HandlerCalls(
        "python",
        ("src/app.py",),
        [
            call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "TABLE_NAME")),
            call("sqs", "SendMessage", "sqs:SendMessage", CallTarget("queue", None)),
        ],
    )
    assert CodePermissions(model, facts, lambda fn: calls).unused_grants(model.resource("aws_iam_role.r")) == []


def test_a_policy_attached_to_another_role_too_is_not_judged(tmp_path):
    (tmp_path / "shared.tf").write_text(
        """
resource "aws_iam_role" "other" {
  name               = "other"
  assume_role_policy = "{}"
}

resource "aws_iam_policy" "shared" {
  name = "shared"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sns:Publish"], Resource = aws_sns_topic.alerts.arn }]
  })
}

resource "aws_iam_role_policy_attachment" "r" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy_attachment" "other" {
  role       = aws_iam_role.other.name
  policy_arn = aws_iam_policy.shared.arn
}
""",
        encoding="utf-8",
    )
    model = load(tmp_path)
    calls = HandlerCalls(
        "python", ("src/app.py",), [call("dynamodb", "GetItem", "dynamodb:GetItem", env("table", "TABLE_NAME"))]
    )
    grants = CodePermissions(model, facts_of(model), lambda fn: calls).unused_grants(model.resource("aws_iam_role.r"))
    assert [g.statement.origin for g in grants] == ["aws_iam_role_policy.p"]  # not aws_iam_policy.shared

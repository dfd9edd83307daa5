"""ddblint.model.facts: the cross-resource facts rules read, on the examples and on small trees."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import Model
from ddblint.model.facts import facts_of
from ddblint.model.handler_code import HandlerCode, HandlerSource, KeyCall
from ddblint.model.policy import Tri
from ddblint.model.values import UNKNOWN

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> Model:
    root = EXAMPLES / name
    result = TerraformLoader(root).load([root])
    assert result.errors == []
    (model,) = result.models
    return model


def load_tree(root: Path, files: dict[str, str]) -> Model:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (model,) = TerraformLoader(root).load([root]).models
    return model


# -- network -------------------------------------------------------------------------------------------------
def test_the_reachability_path_of_a_function_through_gateway_endpoints():
    model = example("vpc-consumer")
    network = facts_of(model).network
    consumer = network.vpc_function(model.resource("aws_lambda_function.consumer"))
    assert consumer is not None
    assert [route.proof for route in consumer.subnets] == [
        "aws_subnet.orders_private[0] -> aws_route_table.orders_private[0] -> aws_vpc_endpoint.orders_dynamodb",
        "aws_subnet.orders_private[1] -> aws_route_table.orders_private[1] -> aws_vpc_endpoint.orders_dynamodb",
    ]
    assert [(r.path.endpoint, r.path.nat, r.path.egress) for r in consumer.subnets] == [(Tri.YES, Tri.NO, Tri.NO)] * 2
    assert [vpc.address for vpc in consumer.vpcs] == ["aws_vpc.orders"]
    assert [group.address for group in consumer.security_groups] == ["aws_security_group.consumer"]
    assert consumer.https_egress is Tri.YES
    assert consumer.explicit_endpoint is Tri.NO
    assert consumer.interface_endpoint_in_vpc is False


def test_the_reachability_path_through_a_nat_route_and_a_subnet_without_one():
    model = example("insecure-vpc-consumer")
    network = facts_of(model).network
    (consumer, api) = network.vpc_functions
    assert consumer.function.address == "aws_lambda_function.consumer"
    nat, blocked = consumer.subnets
    assert (
        nat.proof
        == "aws_subnet.orders_private[0] -> aws_route_table.orders_private[0] -> aws_route.orders_nat (NAT gateway)"
    )
    assert (nat.path.nat, nat.path.endpoint, nat.path.nat_routes) == (Tri.YES, Tri.NO, ["aws_route.orders_nat"])
    assert blocked.proof is None
    assert blocked.path.any is Tri.NO
    assert network.gateway_endpoint_in(model.resource("aws_vpc.orders")) is Tri.NO
    assert consumer.https_egress is Tri.NO  # the group allows no egress at all
    assert api.subnets[0].proof == (
        "aws_subnet.carts_private -> aws_route_table.carts_private -> aws_vpc_endpoint.carts_dynamodb"
    )


def test_network_facts_are_computed_once():
    model = example("vpc-consumer")
    facts = facts_of(model)
    assert facts_of(model) is facts
    assert facts.network.vpc_functions is facts.network.vpc_functions
    (consumer, _) = facts.network.vpc_functions
    assert consumer.subnets is consumer.subnets


def test_an_unresolvable_subnet_has_no_route_fact(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": 'variable "subnet" {}\nresource "aws_lambda_function" "f" {\n  function_name = "f"\n'
            '  role = "arn:aws:iam::1:role/r"\n  vpc_config {\n    subnet_ids = [var.subnet]\n'
            "    security_group_ids = []\n  }\n}\n"
        },
    )
    (function,) = facts_of(model).network.vpc_functions
    assert function.subnets == [None]
    assert function.vpcs == []


# -- wiring --------------------------------------------------------------------------------------------------
def test_the_wiring_of_a_mapping():
    model = example("vpc-consumer")
    facts = facts_of(model)
    wiring = facts.wiring(model.resource("aws_lambda_event_source_mapping.orders"))
    assert wiring.source.kind == "dynamodb"
    assert wiring.source.resource is model.resource("aws_dynamodb_table.orders")
    assert wiring.function is model.resource("aws_lambda_function.consumer")
    assert wiring.role is model.resource("aws_iam_role.consumer")
    assert wiring.policies is facts.role_policies(wiring.role)
    assert [a.via.address for a in wiring.policies.attachments] == ["aws_iam_role.consumer"]
    assert facts.mappings_of(wiring.function) == [wiring.mapping]
    assert facts.calls_dynamodb(wiring.function) is True


def test_a_mapping_to_a_function_outside_the_scan_has_no_function_nor_role(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": 'resource "aws_lambda_event_source_mapping" "m" {\n'
            '  event_source_arn = "arn:aws:sqs:eu-west-1:123456789012:jobs"\n  function_name = "elsewhere"\n}\n'
        },
    )
    wiring = facts_of(model).wiring(model.resource("aws_lambda_event_source_mapping.m"))
    assert (wiring.source.kind, wiring.function, wiring.role, wiring.policies) == ("sqs", None, None, None)


def test_inputs_of_a_module_that_cannot_be_loaded(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": 'resource "aws_route_table" "private" {\n  vpc_id = "vpc-1"\n}\n'
            'module "routes" {\n  source = "terraform-aws-modules/vpc/aws"\n'
            '  route_table_ids = [aws_route_table.private.id]\n  name = "orders"\n}\n'
        },
    )
    opaque = facts_of(model).opaque_inputs
    assert opaque.addresses == {"aws_route_table.private"}
    assert opaque.strings == {"orders"}
    assert opaque.mention("aws_route_table.private")


ROLE = """
resource "aws_iam_role" "fn" {
  name               = "${var.stage}-fn"
  assume_role_policy = "{}"
}
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
}
variable "stage" {
  type = string
}
"""


def test_a_policy_belongs_to_the_role_its_argument_refers_to_whatever_the_name(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": ROLE
            + """
resource "aws_iam_role_policy" "by_name" {
  role   = aws_iam_role.fn.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_iam_role_policy_attachment" "by_id" {
  role       = aws_iam_role.fn.id
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
"""
        },
    )
    facts = facts_of(model)
    role = facts.function_role(model.resource("aws_lambda_function.fn"))
    assert role is model.resource("aws_iam_role.fn")
    policies = facts.role_policies(role)
    assert [a.via.address for a in policies.attachments] == [
        "aws_iam_role_policy.by_name",
        "aws_iam_role_policy_attachment.by_id",
    ]
    assert policies.complete is True


def test_a_managed_policy_looked_up_by_name_or_arn_is_that_policy(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": ROLE
            + """
data "aws_iam_policy" "by_name" {
  name = "AWSLambdaDynamoDBExecutionRole"
}
data "aws_iam_policy" "by_arn" {
  arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
data "aws_iam_policy" "customer" {
  name = "orders-readers"
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.fn.name
  policy_arn = data.aws_iam_policy.by_name.arn
}
resource "aws_iam_role_policy_attachment" "b" {
  role       = aws_iam_role.fn.name
  policy_arn = data.aws_iam_policy.by_arn.arn
}
resource "aws_iam_role_policy_attachment" "c" {
  role       = aws_iam_role.fn.name
  policy_arn = data.aws_iam_policy.customer.arn
}
"""
        },
    )
    facts = facts_of(model)
    policies = facts.role_policies(model.resource("aws_iam_role.fn"))
    assert [(a.managed_name, a.document is not None) for a in policies.attachments] == [
        ("AWSLambdaDynamoDBExecutionRole", True),
        ("AWSLambdaBasicExecutionRole", True),
        (None, False),  # a customer policy: its document is not known
    ]
    assert policies.complete is False


@pytest.mark.parametrize(
    ("source", "settings", "kind"),
    [
        ("aws_kinesis_stream.s.arn", 'starting_position = "LATEST"', "kinesis"),
        ("aws_sqs_queue.q.arn", "", "sqs"),
        ('"arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"', "", "dynamodb"),
        ('"arn:aws:kinesis:${var.region}:123456789012:stream/${var.name}"', "", "kinesis"),
        ('"arn:aws:sqs:eu-west-1:123456789012:jobs"', "", "sqs"),
        # unknown or malformed: a starting_position without Kafka/MQ settings is a stream of unknown kind
        ("var.arn", 'starting_position = "LATEST"', "stream"),
        ("var.arn", "", None),
        ("var.arn", 'starting_position = "LATEST"\n  topics = ["t"]', None),
        ('"arn:aws:dynamodb:eu-west-1:123456789012:table/t"', "", None),
        ('"arn:aws:dynamodb:eu-west-1:123456789012:table/t"', 'starting_position = "LATEST"', "stream"),
    ],
)
def test_the_source_kind_of_a_mapping(tmp_path, source, settings, kind):
    model = load_tree(
        tmp_path,
        {
            "main.tf": f"""
variable "arn" {{}}
variable "region" {{}}
variable "name" {{}}
resource "aws_kinesis_stream" "s" {{
  name        = "s"
  shard_count = 1
}}
resource "aws_sqs_queue" "q" {{
  name = "q"
}}
resource "aws_lambda_event_source_mapping" "m" {{
  event_source_arn = {source}
  function_name    = "fn"
  {settings}
}}
"""
        },
    )
    source_fact = facts_of(model).event_source(model.resource("aws_lambda_event_source_mapping.m"))
    assert source_fact.kind == kind
    assert source_fact.is_stream is (kind in ("dynamodb", "kinesis", "stream"))


@pytest.mark.parametrize("name", ["var.name", "random_pet.fn.id"])
def test_a_mapping_through_an_alias_reaches_a_function_whose_name_is_not_known(tmp_path, name):
    model = load_tree(
        tmp_path,
        {
            "main.tf": f"""
variable "name" {{}}
resource "random_pet" "fn" {{}}
resource "aws_lambda_function" "fn" {{
  function_name = {name}
}}
resource "aws_lambda_function" "other" {{
  function_name = "other"
}}
resource "aws_lambda_alias" "live" {{
  name          = "live"
  function_name = aws_lambda_function.fn.function_name
}}
resource "aws_lambda_event_source_mapping" "m" {{
  event_source_arn = "arn:aws:sqs:eu-west-1:123456789012:jobs"
  function_name    = aws_lambda_alias.live.arn
}}
"""
        },
    )
    facts = facts_of(model)
    mapping = model.resource("aws_lambda_event_source_mapping.m")
    assert facts.mapping_function(mapping) is model.resource("aws_lambda_function.fn")


# -- a function's use of DynamoDB ----------------------------------------------------------------------------
STREAM_READS = """
resource "aws_iam_role_policy" "stream" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["dynamodb:GetRecords", "dynamodb:ListStreams"], Resource = "*" }]
  })
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"
  function_name     = aws_lambda_function.fn.arn
  starting_position = "LATEST"
}
"""


def test_a_stream_consumer_does_not_call_dynamodb_itself(tmp_path):
    model = load_tree(tmp_path, {"main.tf": ROLE + STREAM_READS})
    assert facts_of(model).calls_dynamodb(model.resource("aws_lambda_function.fn")) is False


def test_a_stream_consumer_that_writes_items_calls_dynamodb(tmp_path):
    items = """
resource "aws_iam_role_policy" "items" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}
"""
    model = load_tree(tmp_path, {"main.tf": ROLE + STREAM_READS + items})
    assert facts_of(model).calls_dynamodb(model.resource("aws_lambda_function.fn")) is True


# -- identity policies -----------------------------------------------------------------------------------------
def test_a_document_only_resource_policies_use_is_not_an_identity_policy(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "both" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "unused" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}
resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.key.json
}
resource "aws_kms_key" "k2" {
  policy = data.aws_iam_policy_document.both.json
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.both.json
}
"""
        },
    )
    origins = [document.origin for document in facts_of(model).identity_documents]
    assert origins == ["aws_iam_policy.p", "data.aws_iam_policy_document.both", "data.aws_iam_policy_document.unused"]


# -- handler code --------------------------------------------------------------------------------------------
def test_the_handler_code_of_a_function_in_an_example():
    model = example("vpc-consumer")
    facts = facts_of(model)
    api = model.resource("aws_lambda_function.api")
    code = facts.handler_code(api)
    assert code is not None and code.path == "api/app.py"
    assert code.key_calls == [
        KeyCall(14, "put_item", "CARTS_TABLE", None, frozenset({"customer_id", "items"})),
        KeyCall(16, "get_item", "CARTS_TABLE", None, frozenset({"customer_id"})),
    ]
    assert facts.environment_tables(api) == {"CARTS_TABLE": model.resource("aws_dynamodb_table.carts")}
    assert facts.handler_code(api) is code


def code_of(text: str) -> HandlerCode:
    return HandlerCode(HandlerSource("app.py", ast.parse(text), "handler", text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "import os, boto3\nclient = boto3.client('dynamodb')\n"
            "client.query(TableName=os.environ['T'], IndexName='by_day', KeyConditionExpression='#d = :d',"
            " ExpressionAttributeNames={'#d': 'day'})\n",
            [KeyCall(3, "query", "T", "by_day", frozenset({"day"}))],
        ),
        (
            "import os, boto3\nname = os.getenv('T')\ntable = boto3.resource('dynamodb').Table(name)\n"
            "table.query(IndexName=INDEX, KeyConditionExpression=Key('pk').eq(1))\n"
            "table.delete_item(Key=dict(pk=1))\n",
            [KeyCall(4, "query", "T", UNKNOWN, frozenset({"pk"})), KeyCall(5, "delete_item", "T", None, None)],
        ),
        ("import boto3\nboto3.resource('dynamodb').Table('literal').get_item(Key={'pk': 1})\n", []),
    ],
)
def test_key_calls_name_the_table_variable_the_index_and_the_key_names(text, expected):
    assert code_of(text).key_calls == expected


def test_a_function_without_a_handler_file_has_no_handler_code(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n'
            '  role = "arn:aws:iam::1:role/r"\n  runtime = "python3.12"\n  handler = "app.handler"\n}\n'
        },
    )
    assert facts_of(model).handler_code(model.resource("aws_lambda_function.f")) is None

"""Instances of blocks with `count`/`for_each`, and the dependency paths between resources ("Reading real code")."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import Model, UnexpandedInstances, instance_count
from ddblint.model.facts import facts_of
from ddblint.model.values import UNKNOWN, RefValue


def load_tree(root: Path, files: dict[str, str]) -> Model:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = TerraformLoader(root).load([root])
    assert result.errors == []
    (model,) = result.models
    return model


def addresses(model: Model) -> list[str]:
    return sorted(r.address for r in model.resources())


QUEUE_MODULE = """
resource "aws_sqs_queue" "this" {}
output "arn" {
  value = aws_sqs_queue.this.arn
}
"""


# -- count ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (2, 2),
        (2.0, 2),
        ("3", 3),  # Terraform converts a numeric string
        (" 1 ", 1),
        (True, 1),  # Terraform 0.11: `count = "${var.enabled}"` with a boolean variable
        (False, 0),
        (-1, None),
        (1.5, None),
        ("two", None),
        (math.inf, None),
        (math.nan, None),
        (None, None),
        (UNKNOWN, None),
        (RefValue("aws_sqs_queue.q", "arn"), None),
    ],
)
def test_instance_count_reads_count_as_terraform_does(value, expected):
    assert instance_count(value) == expected


def test_blocks_whose_count_or_for_each_is_empty_do_not_exist(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
variable "create" {
  default = false
}
variable "queues" {
  type    = map(string)
  default = {}
}
resource "aws_sqs_queue" "zero" {
  count = 0
}
resource "aws_sqs_queue" "off" {
  count = var.create ? 1 : 0
}
resource "aws_sqs_queue" "legacy_off" {
  count = "${var.create}"
}
resource "aws_sqs_queue" "quoted_zero" {
  count = "0"
}
resource "aws_sqs_queue" "none" {
  for_each = var.queues
}
resource "aws_sqs_queue" "empty_set" {
  for_each = toset([])
}
module "off" {
  source = "./queue"
  count  = 0
}
module "none" {
  source   = "./queue"
  for_each = var.queues
}
resource "aws_sqs_queue" "kept" {}
""",
            "queue/main.tf": QUEUE_MODULE,
        },
    )
    assert addresses(model) == ["aws_sqs_queue.kept"]


def test_blocks_whose_count_or_for_each_is_unknown_are_checked_once_without_a_key(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
variable "names" {
  type = list(string)
}
variable "enabled" {
  type = bool
}
resource "aws_sqs_queue" "by_count" {
  count = length(var.names)
  name  = var.names[count.index]
}
resource "aws_sqs_queue" "by_key" {
  for_each = toset(var.names)
  name     = each.key
}
resource "aws_sns_topic" "chained" {
  for_each = aws_sqs_queue.by_key
  name     = each.value.name
}
resource "aws_sns_topic" "counted_from_splat" {
  count = length(aws_sqs_queue.by_count[*].arn)
}
resource "aws_sns_topic" "from_for_expression" {
  for_each = { for name, queue in aws_sqs_queue.by_key : name => queue.arn }
}
module "maybe" {
  source = "./queue"
  count  = var.enabled ? 1 : 0
}
""",
            "queue/main.tf": QUEUE_MODULE,
        },
    )
    assert addresses(model) == [
        "aws_sns_topic.chained",
        "aws_sns_topic.counted_from_splat",
        "aws_sns_topic.from_for_expression",
        "aws_sqs_queue.by_count",
        "aws_sqs_queue.by_key",
        "module.maybe.aws_sqs_queue.this",
    ]
    assert all(r.key is UNKNOWN for r in model.resources() if not r.module_address)
    root = model.instances[0]
    queues = root.entry("aws_sqs_queue.by_count")
    assert isinstance(queues, UnexpandedInstances)
    # An index reaches the one checked instance, so references are still followed; iterating is unknown.
    assert queues.index(0) is model.resource("aws_sqs_queue.by_count")
    assert queues.members() is UNKNOWN
    module = root.entry("module.maybe")
    assert isinstance(module, UnexpandedInstances)
    assert module.index(0).get("arn") == RefValue("module.maybe.aws_sqs_queue.this", "arn")


def test_a_reference_by_index_to_unknown_instances_still_links_a_function_to_its_role(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
variable "create_role" {
  type = bool
}
resource "aws_iam_role" "this" {
  count = var.create_role ? 1 : 0
  name  = "consumer"
}
resource "aws_lambda_function" "this" {
  function_name = "consumer"
  role          = aws_iam_role.this[0].arn
}
"""
        },
    )
    function = model.resource("aws_lambda_function.this")
    assert model.referenced(function.value("role"), "aws_iam_role") is model.resource("aws_iam_role.this")


def test_terraform_011_references_the_one_instance_of_a_count_1_resource_without_an_index(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
variable "create" {
  default = true
}
resource "aws_iam_role" "this" {
  count = "${var.create}"
  name  = "consumer"
}
resource "aws_sqs_queue" "two" {
  count = 2
}
resource "aws_lambda_function" "this" {
  count         = "${var.create}"
  function_name = "consumer"
  role          = "${aws_iam_role.this.arn}"
  dead_letter_config {
    target_arn = "${aws_sqs_queue.two.arn}"
  }
}
"""
        },
    )
    function = model.resource("aws_lambda_function.this[0]")
    assert model.referenced(function.value("role"), "aws_iam_role") is model.resource("aws_iam_role.this[0]")
    # Without an index, two instances are ambiguous: unknown.
    assert function.blocks("dead_letter_config")[0].value("target_arn") is UNKNOWN


def test_a_splat_over_a_resource_without_count_is_a_list_of_that_resource(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
resource "aws_sqs_queue" "one" {}
resource "aws_sns_topic" "per_queue" {
  count = length(aws_sqs_queue.one[*].arn)
  tags  = { queues = aws_sqs_queue.one.*.arn }
}
"""
        },
    )
    topic = model.resource("aws_sns_topic.per_queue[0]")
    assert topic is not None
    assert topic.value("tags") == {"queues": [RefValue("aws_sqs_queue.one", "arn")]}


def test_inputs_of_an_unloaded_module_with_unknown_count_are_opaque(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": """
variable "enabled" {
  type = bool
}
resource "aws_route_table" "private" {
  vpc_id = "vpc-1"
}
module "routes" {
  source          = "terraform-aws-modules/vpc/aws"
  count           = var.enabled ? 1 : 0
  route_table_ids = [aws_route_table.private.id]
}
module "never" {
  source = "terraform-aws-modules/vpc/aws"
  count  = 0
  name   = "never"
}
"""
        },
    )
    opaque = facts_of(model).opaque_inputs
    assert opaque.addresses == {"aws_route_table.private"}
    assert opaque.strings == set()


# -- dependency paths ----------------------------------------------------------------------------------------
GRANT_AND_QUEUE = """
resource "aws_sqs_queue" "jobs" {}
resource "aws_iam_role_policy" "grant" {
  role   = "consumer"
  policy = "{}"
}
"""


def test_everything_in_a_module_depends_on_what_its_call_depends_on(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": GRANT_AND_QUEUE
            + """
module "outer" {
  source     = "./outer"
  depends_on = [aws_iam_role_policy.grant]
}
module "unrelated" {
  source     = "./inner"
  depends_on = [aws_sqs_queue.jobs]
}
""",
            "outer/main.tf": 'module "inner" {\n  source = "../inner"\n}\n',
            "inner/main.tf": 'resource "aws_lambda_event_source_mapping" "this" {}\n',
        },
    )
    graph = facts_of(model).dependencies
    grant = model.resource("aws_iam_role_policy.grant")
    nested = model.resource("module.outer.module.inner.aws_lambda_event_source_mapping.this")
    unrelated = model.resource("module.unrelated.aws_lambda_event_source_mapping.this")
    assert graph.depends_on(nested, grant)
    assert not graph.depends_on(unrelated, grant)
    assert graph.depends_on(unrelated, model.resource("aws_sqs_queue.jobs"))


def test_quoted_depends_on_of_terraform_011_names_the_same_references(tmp_path):
    model = load_tree(
        tmp_path,
        {
            "main.tf": GRANT_AND_QUEUE
            + """
module "grants" {
  source = "./inner"
}
resource "aws_lambda_event_source_mapping" "resource" {
  depends_on = ["aws_iam_role_policy.grant"]
}
resource "aws_lambda_event_source_mapping" "module" {
  depends_on = ["module.grants"]
}
resource "aws_lambda_event_source_mapping" "other" {
  depends_on = ["aws_sqs_queue.jobs", "not a reference"]
}
""",
            "inner/main.tf": 'resource "aws_iam_role_policy" "this" {\n  role = "consumer"\n}\n',
        },
    )
    graph = facts_of(model).dependencies
    grant = model.resource("aws_iam_role_policy.grant")
    assert graph.depends_on(model.resource("aws_lambda_event_source_mapping.resource"), grant)
    module_grant = model.resource("module.grants.aws_iam_role_policy.this")
    assert graph.depends_on(model.resource("aws_lambda_event_source_mapping.module"), module_grant)
    other = model.resource("aws_lambda_event_source_mapping.other")
    assert not graph.depends_on(other, grant)
    assert graph.depends_on(other, model.resource("aws_sqs_queue.jobs"))

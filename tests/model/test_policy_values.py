"""ddblint.model.policy on values that are only partly known: unknown stays unknown, known parts still count."""

from __future__ import annotations

from pathlib import Path

import pytest
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import Model
from ddblint.model.policy import Tri, arn_stand_in, build_document, documented_resource

TREE = """
variable "table_arn" {
  type = string
}
variable "table_name" {
  type = string
}
data "aws_kms_alias" "k" {
  name = "alias/orders"
}
resource "aws_ssm_parameter" "p" {
  name  = "/orders/endpoint"
  type  = "String"
  value = "x"
}
resource "aws_dynamodb_table" "t" {
  name     = var.table_name
  hash_key = "pk"
}
locals {
  values = {
    variable        = var.table_arn
    index_of_var    = "${var.table_arn}/index/*"
    alias_target    = data.aws_kms_alias.k.target_key_arn
    parameter       = aws_ssm_parameter.p.arn
    table           = aws_dynamodb_table.t.arn
    stream          = aws_dynamodb_table.t.stream_arn
    literal_bucket  = "arn:aws:s3:::${var.table_name}/*"
    literal         = "arn:aws:sqs:eu-west-1:123456789012:jobs"
    not_an_arn      = "orders"
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode(local.values)
}
"""


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, dict]:
    root: Path = tmp_path_factory.mktemp("tree")
    (root / "main.tf").write_text(TREE, encoding="utf-8")
    (model,) = TerraformLoader(root).load([root]).models
    return model, model.resource("aws_iam_policy.p").value("policy").value


@pytest.mark.parametrize("name", ["variable", "index_of_var", "alias_target", "parameter"])
def test_an_arn_of_unknown_shape_has_no_stand_in(values, name: str) -> None:
    model, found = values
    assert arn_stand_in(model, found[name]) is None


@pytest.mark.parametrize(
    ("name", "stand_in"),
    [
        ("table", "arn:aws:dynamodb:us-east-1:123456789012:table/placeholder"),
        ("stream", "arn:aws:dynamodb:us-east-1:123456789012:table/placeholder/stream/2024-01-01T00.00.00.000"),
        ("literal_bucket", "arn:aws:s3:::*/*"),
        ("literal", "arn:aws:sqs:eu-west-1:123456789012:jobs"),
        ("not_an_arn", "orders"),
    ],
)
def test_an_arn_of_known_shape_keeps_its_known_parts(values, name: str, stand_in: str) -> None:
    model, found = values
    assert arn_stand_in(model, found[name]) == stand_in


@pytest.mark.parametrize(
    ("action", "name", "answer"),
    [
        ("dynamodb:ListStreams", "stream", Tri.YES),
        ("dynamodb:ListStreams", "table", Tri.MAYBE),  # the table's name is unknown: it could hold "/stream/"
        ("dynamodb:ListStreams", "literal", Tri.NO),
        ("dynamodb:GetItem", "stream", Tri.NO),
    ],
)
def test_resources_aws_documents_for_an_action(values, action: str, name: str, answer: Tri) -> None:
    model, found = values
    assert documented_resource(model, action, found[name]) is answer


DYNAMIC = """
variable "extra" {
  type = list(object({ actions = list(string), resources = list(string) }))
}
variable "sources" {
  type = list(string)
}
data "aws_iam_policy_document" "partly_dynamic" {
  statement {
    actions   = ["dynamodb:GetItem"]
    resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
data "aws_iam_policy_document" "unknown_sources" {
  source_policy_documents = var.sources
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  }
}
data "aws_iam_policy_document" "static" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  }
}
"""


@pytest.mark.parametrize(
    ("address", "actions", "complete"),
    [
        ("data.aws_iam_policy_document.partly_dynamic", ["dynamodb:GetItem"], False),
        ("data.aws_iam_policy_document.unknown_sources", ["sqs:SendMessage"], False),
        ("data.aws_iam_policy_document.static", ["sqs:SendMessage"], True),
    ],
)
def test_unknown_statements_leave_the_known_ones_and_an_incomplete_document(
    tmp_path: Path, address: str, actions: list[str], complete: bool
) -> None:
    (tmp_path / "main.tf").write_text(DYNAMIC, encoding="utf-8")
    (model,) = TerraformLoader(tmp_path).load([tmp_path]).models
    data = model.resource(address)
    document = build_document(data.get("json"), data.address, data.location)
    assert [s.raw["Action"] for s in document.statements] == [actions]
    assert document.complete is complete

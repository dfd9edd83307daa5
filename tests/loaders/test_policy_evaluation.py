"""Facts.role_policies + role_allows: can a role read a table's stream? YES / NO / MAYBE."""

from __future__ import annotations

from pathlib import Path

import pytest
from ddblint.model.facts import facts_of
from ddblint.model.policy import Tri, role_allows

from .conftest import load_model, write_tree

ACTION = "dynamodb:GetRecords"


def role_with(name: str, statement: str, extra: str = "") -> str:
    return f"""
resource "aws_iam_role" "{name}" {{
  name = "{name}"
}}

resource "aws_iam_role_policy" "{name}" {{
  role   = aws_iam_role.{name}.id
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{statement}] }})
}}
{extra}"""


def attached(name: str, arn: str) -> str:
    return f"""
resource "aws_iam_role" "{name}" {{
  name = "{name}"
}}

resource "aws_iam_role_policy_attachment" "{name}" {{
  role       = aws_iam_role.{name}.name
  policy_arn = {arn}
}}
"""


STACK = "\n".join(
    [
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  stream_enabled = true\n}',
        'resource "aws_dynamodb_table" "other" {\n  name = "other"\n  stream_enabled = true\n}',
        'variable "policy_arn" {\n  type = string\n}',
        role_with(
            "stream",
            f'{{ Effect = "Allow", Action = ["{ACTION}"], Resource = "${{aws_dynamodb_table.t.arn}}/stream/*" }}',
        ),
        role_with("table_only", f'{{ Effect = "Allow", Action = "{ACTION}", Resource = aws_dynamodb_table.t.arn }}'),
        role_with(
            "other_stream",
            f'{{ Effect = "Allow", Action = "{ACTION}", Resource = "${{aws_dynamodb_table.other.arn}}/stream/*" }}',
        ),
        role_with("star", '{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }'),
        role_with("wrong_action", '{ Effect = "Allow", Action = "dynamodb:GetItem", Resource = "*" }'),
        role_with(
            "denied",
            f'{{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }},'
            f' {{ Effect = "Deny", Action = "{ACTION}", Resource = "*" }}',
        ),
        role_with("not_action", '{ Effect = "Allow", NotAction = "dynamodb:DeleteTable", Resource = "*" }'),
        role_with("not_action_excluded", f'{{ Effect = "Allow", NotAction = "{ACTION}", Resource = "*" }}'),
        attached("managed", '"arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"'),
        attached("basic", '"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"'),
        attached("unknown_arn", "var.policy_arn"),
        'resource "aws_iam_role" "nothing" {\n  name = "nothing"\n}',
    ]
)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory):
    return load_model(write_tree(tmp_path_factory.mktemp("policy"), {"main.tf": STACK}))


def allows(model, role_name: str, table: str = "t", action: str = ACTION) -> Tri:
    role = model.resource(f"aws_iam_role.{role_name}")
    assert role is not None
    stream_arn = model.resource(f"aws_dynamodb_table.{table}").get("stream_arn")
    return role_allows(model, facts_of(model).role_policies(role), action, stream_arn)


@pytest.mark.parametrize(
    ("role", "table", "expected"),
    [
        ("stream", "t", Tri.YES),
        ("stream", "other", Tri.NO),
        ("table_only", "t", Tri.NO),
        ("other_stream", "t", Tri.NO),
        ("other_stream", "other", Tri.YES),
        ("star", "t", Tri.YES),
        ("wrong_action", "t", Tri.NO),
        ("denied", "t", Tri.NO),
        ("not_action", "t", Tri.YES),
        ("not_action_excluded", "t", Tri.NO),
        ("managed", "t", Tri.YES),
        ("basic", "t", Tri.NO),
        ("unknown_arn", "t", Tri.MAYBE),
        ("nothing", "t", Tri.NO),
    ],
)
def test_role_can_read_stream(model, role: str, table: str, expected: Tri) -> None:
    assert allows(model, role, table) is expected


def test_attachments_are_found(model) -> None:
    policies = facts_of(model).role_policies(model.resource("aws_iam_role.managed"))
    (attachment,) = policies.attachments
    assert attachment.managed_name == "AWSLambdaDynamoDBExecutionRole"
    assert policies.complete
    unknown = facts_of(model).role_policies(model.resource("aws_iam_role.unknown_arn"))
    assert not unknown.complete


def test_deny_on_other_resource_does_not_override(tmp_path: Path) -> None:
    stack = "\n".join(
        [
            'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}',
            'resource "aws_dynamodb_table" "other" {\n  name = "other"\n}',
            role_with(
                "r",
                f'{{ Effect = "Allow", Action = "{ACTION}", Resource = "*" }},'
                f' {{ Effect = "Deny", Action = "{ACTION}", Resource = "${{aws_dynamodb_table.other.arn}}/stream/*" }}',
            ),
        ]
    )
    model = load_model(write_tree(tmp_path, {"main.tf": stack}))
    assert allows(model, "r", "t") is Tri.YES
    assert allows(model, "r", "other") is Tri.NO


def test_condition_makes_a_grant_maybe(tmp_path: Path) -> None:
    stack = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n' + role_with(
        "r",
        f'{{ Effect = "Allow", Action = "{ACTION}", Resource = "*",'
        ' Condition = { StringEquals = { "aws:SourceAccount" = "1" } } }',
    )
    model = load_model(write_tree(tmp_path, {"main.tf": stack}))
    assert allows(model, "r") is Tri.MAYBE


def test_unknown_condition_makes_a_grant_maybe(tmp_path: Path) -> None:
    stack = 'variable "conditions" {}\nresource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n' + role_with(
        "r", f'{{ Effect = "Allow", Action = "{ACTION}", Resource = "*", Condition = var.conditions }}'
    )
    model = load_model(write_tree(tmp_path, {"main.tf": stack}))
    assert allows(model, "r") is Tri.MAYBE

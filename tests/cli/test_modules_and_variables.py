"""Modules, count/for_each instances and tfvars, seen through the CLI's JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ddblint, write_tree


def policy(name: str, action: str, extra: str = "") -> str:
    return f"""\
resource "aws_iam_policy" "{name}" {{
{extra}  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {action}, Resource = "arn:aws:dynamodb:us-east-1:1:table/t" }}]
  }})
}}
"""


@pytest.fixture(scope="module")
def stack_run(tmp_path_factory: pytest.TempPathFactory):
    root = write_tree(
        tmp_path_factory.mktemp("modules"),
        {
            "main.tf": """\
module "a" {
  source = "./mod"
}

module "b" {
  source = "./mod"
}

module "remote" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "8.1.0"
}

variable "action" {
  type    = string
  default = "dynamodb:GetItem"
}
""",
            "policies.tf": policy("counted", '"dynamodb:*"', "  count = 2\n")
            + policy("each", '"dynamodb:Put*"', '  for_each = toset(["x"])\n')
            + policy("from_var", "var.action"),
            "terraform.tfvars": 'action = "dynamodb:Get*"\n',
            "b.auto.tfvars": 'action = "dynamodb:Query*"\n',
            "a.auto.tfvars": 'action = "dynamodb:Scan*"\n',
            "mod/main.tf": policy("inner", '"dynamodb:*"'),
        },
    )
    result = ddblint(root, "check", "--format", "json", "--select", "IAM101,DDB")
    return result, json.loads(result.stdout)


def test_no_crash_and_no_input_errors(stack_run) -> None:
    result, document = stack_run
    assert result.returncode == 1
    assert document["errors"] == []


def test_local_module_called_twice_gives_qualified_addresses(stack_run) -> None:
    _, document = stack_run
    inner = [(f["instances"], f["file"], f["line"]) for f in document["findings"] if f["file"] == "mod/main.tf"]
    # One entry for the line, listing both calls.
    assert inner == [(["module.a.aws_iam_policy.inner", "module.b.aws_iam_policy.inner"], "mod/main.tf", 4)]


def test_remote_module_not_downloaded_is_an_info_note(stack_run) -> None:
    _, document = stack_run
    (note,) = [f for f in document["findings"] if f["rule_id"] == "DDB003"]
    assert (note["severity"], note["file"], note["line"]) == ("info", "main.tf", 9)
    assert "remote" in note["message"]


def test_count_and_for_each_instance_addresses(stack_run) -> None:
    _, document = stack_run
    addresses = {address for f in document["findings"] if f["file"] == "policies.tf" for address in f["instances"]}
    instances = {"aws_iam_policy.counted[0]", "aws_iam_policy.counted[1]", 'aws_iam_policy.each["x"]'}
    assert addresses == instances | {"aws_iam_policy.from_var"}  # from_var: no count or for_each, a plain address


def test_auto_tfvars_override_terraform_tfvars_and_defaults(stack_run) -> None:
    _, document = stack_run
    (from_var,) = [f for f in document["findings"] if f["address"] == "aws_iam_policy.from_var"]
    # terraform.tfvars, then *.auto.tfvars in lexical order: b.auto.tfvars is read last.
    assert "dynamodb:Query*" in from_var["message"]


def test_default_used_without_tfvars(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "main.tf": 'variable "action" {\n  default = "dynamodb:*"\n}\n' + policy("p", "var.action"),
        },
    )
    document = json.loads(ddblint(tmp_path, "check", "--format", "json", "--select", "IAM101").stdout)
    assert [f["address"] for f in document["findings"]] == ["aws_iam_policy.p"]

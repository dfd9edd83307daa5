"""Evaluation through a loaded model: locals, variables, functions, data sources, modules."""

from __future__ import annotations

import json
from pathlib import Path

from ddblint.model.values import UNKNOWN, JsonText, RefValue, Symbolic, TracedStr

from .conftest import load, load_model, write_tree


def test_locals_and_interpolation(tree) -> None:
    model = tree(
        {
            "main.tf": 'locals {\n  prefix = "app"\n  name = "${local.prefix}-orders"\n}\n'
            'resource "aws_dynamodb_table" "t" {\n  name = local.name\n  hash_key = upper(local.prefix)\n}\n'
        }
    )
    table = model.resource("aws_dynamodb_table.t")
    assert table.value("name") == "app-orders"
    assert table.value("hash_key") == "APP"
    assert table.location_of("hash_key").line == 7


def test_variable_default_then_tfvars_then_auto_tfvars(tmp_path: Path) -> None:
    files = {
        "main.tf": 'variable "a" {\n  default = "default"\n}\nvariable "b" {\n  default = "default"\n}\n'
        'variable "c" {\n  default = "default"\n}\nvariable "d" {}\n'
        'resource "aws_iam_role" "r" {\n  name = var.a\n  path = var.b\n  description = var.c\n'
        "  max_session_duration = var.d\n}\n",
        "terraform.tfvars": 'b = "tfvars"\nc = "tfvars"\n',
        "x.auto.tfvars": 'c = "auto"\n',
    }
    role = load_model(write_tree(tmp_path, files)).resource("aws_iam_role.r")
    assert role.value("name") == "default"
    assert role.value("path") == "tfvars"
    assert role.value("description") == "auto"
    assert role.value("max_session_duration") is UNKNOWN  # no default, no value


def test_jsonencode_is_json_text(tree) -> None:
    model = tree(
        {
            "main.tf": 'resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n'
            '    Version = "2012-10-17"\n'
            '    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]\n'
            "  })\n}\n"
        }
    )
    policy = model.resource("aws_iam_policy.p").value("policy")
    assert isinstance(policy, JsonText)
    assert policy.value["Statement"][0]["Action"] == "s3:GetObject"
    assert json.loads(str(policy))["Version"] == "2012-10-17"


def test_file_inside_root_and_outside_root(tmp_path: Path) -> None:
    write_tree(tmp_path, {"outside/secret.json": '{"Statement": []}'})
    root = write_tree(
        tmp_path / "root",
        {
            "policy.json": '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
            "main.tf": 'resource "aws_iam_policy" "inside" {\n  policy = file("${path.module}/policy.json")\n}\n'
            'resource "aws_iam_policy" "outside" {\n  policy = file("../outside/secret.json")\n}\n'
            'resource "aws_iam_policy" "absolute" {\n'
            f'  policy = file("{(tmp_path / "outside" / "secret.json").as_posix()}")\n}}\n'
            'resource "aws_iam_policy" "missing" {\n  policy = file("nope.json")\n}\n',
        },
    )
    model = load_model(root)
    inside = model.resource("aws_iam_policy.inside").value("policy")
    assert isinstance(inside, str) and json.loads(inside)["Statement"][0]["Action"] == "s3:GetObject"
    assert model.resource("aws_iam_policy.outside").value("policy") is UNKNOWN
    assert model.resource("aws_iam_policy.absolute").value("policy") is UNKNOWN
    assert model.resource("aws_iam_policy.missing").value("policy") is UNKNOWN
    assert "policy.json" in model.files_read


def test_templatefile(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "p.tpl": '{"Resource": "arn:aws:dynamodb:*:*:table/${table}",'
            ' "Items": "%{ for i in items }${i},%{ endfor }"}',
            "main.tf": 'resource "aws_iam_policy" "p" {\n'
            '  policy = templatefile("${path.module}/p.tpl", { table = "orders", items = ["a"] })\n}\n',
        },
    )
    value = load_model(root).resource("aws_iam_policy.p").value("policy")
    assert value is UNKNOWN or (isinstance(value, str) and "table/orders" in value)
    if isinstance(value, str):
        assert "${" not in value


def test_templatefile_simple(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "p.tpl": '{"Resource": "arn:aws:dynamodb:*:*:table/${table}"}',
            "main.tf": 'resource "aws_iam_policy" "p" {\n  policy = templatefile("p.tpl", { table = "orders" })\n}\n',
        },
    )
    value = load_model(root).resource("aws_iam_policy.p").value("policy")
    assert json.loads(str(value)) == {"Resource": "arn:aws:dynamodb:*:*:table/orders"}


def test_policy_document_data_source_with_source_and_override(tree) -> None:
    model = tree(
        {
            "main.tf": """\
resource "aws_dynamodb_table" "t" {
  name = "t"
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "A"
    actions   = ["dynamodb:GetItem"]
    resources = ["*"]
  }
  statement {
    sid       = "Keep"
    actions   = ["dynamodb:Scan"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "d" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({ Statement = [{
    Sid = "A", Effect = "Allow", Action = "dynamodb:Query", Resource = "*"
  }] })]

  statement {
    sid       = "B"
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.t.arn]
  }
}
"""
        }
    )
    document = model.resource("data.aws_iam_policy_document.d").get("json")
    assert isinstance(document, JsonText)
    statements = {s["Sid"]: s for s in document.value["Statement"]}
    assert set(statements) == {"A", "Keep", "B"}
    assert statements["A"]["Action"] in ("dynamodb:Query", ["dynamodb:Query"])
    assert statements["B"]["Resource"] == [RefValue("aws_dynamodb_table.t", "arn")]


def test_interpolated_reference_stays_symbolic(tree) -> None:
    model = tree(
        {
            "main.tf": 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n'
            'resource "aws_iam_policy" "p" {\n  description = "${aws_dynamodb_table.t.arn}/stream/*"\n'
            "  name = aws_dynamodb_table.t.name\n  path = aws_dynamodb_table.t.arn\n}\n"
        }
    )
    policy = model.resource("aws_iam_policy.p")
    value = policy.value("description")
    assert isinstance(value, Symbolic)
    assert value.parts == (RefValue("aws_dynamodb_table.t", "arn"), "/stream/*")
    assert value.refs == [RefValue("aws_dynamodb_table.t", "arn")]
    name = policy.value("name")
    assert name == "t" and isinstance(name, TracedStr)
    assert name.origin == RefValue("aws_dynamodb_table.t", "name")
    assert policy.value("path") == RefValue("aws_dynamodb_table.t", "arn")


def test_module_outputs_and_qualified_addresses(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./mod"\n  in = "hello"\n}\n'
            'resource "aws_iam_role" "r" {\n  name = module.m.out\n  description = module.m.table_arn\n}\n',
            "mod/main.tf": 'variable "in" {}\noutput "out" {\n  value = "${var.in}-world"\n}\n'
            'resource "aws_dynamodb_table" "t" {\n  name = var.in\n}\n'
            'output "table_arn" {\n  value = aws_dynamodb_table.t.arn\n}\n',
        },
    )
    model = load_model(root)
    role = model.resource("aws_iam_role.r")
    assert role.value("name") == "hello-world"
    assert role.value("description") == RefValue("module.m.aws_dynamodb_table.t", "arn")
    inner = model.resource("module.m.aws_dynamodb_table.t")
    assert inner is not None and inner.value("name") == "hello"
    assert inner.file == "mod/main.tf"


def test_module_calling_itself_does_not_hang(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "main.tf": 'module "loop" {\n  source = "./mod"\n}\n',
            "mod/main.tf": 'module "again" {\n  source = "./"\n}\nmodule "up" {\n  source = "../mod"\n}\n'
            'resource "aws_iam_role" "r" {\n  name = "r"\n}\n',
        },
    )
    result = load(root)
    assert result.errors == []
    (model,) = result.models
    assert [r.address for r in model.resources("aws_iam_role")] == ["module.loop.aws_iam_role.r"]
    assert any("itself" in note.message for note in result.notes)


def test_self_referencing_local_is_unknown_not_recursion(tree) -> None:
    model = tree(
        {
            "main.tf": "locals {\n  a = local.b\n  b = local.a\n}\n"
            'resource "aws_iam_role" "r" {\n  name = local.a\n  description = aws_iam_role.r.name\n}\n'
        }
    )
    role = model.resource("aws_iam_role.r")
    assert role.value("name") is UNKNOWN
    role.value("description")  # must return, whatever it is


def test_count_and_for_each_instances(tree) -> None:
    model = tree(
        {
            "main.tf": 'resource "aws_iam_role" "c" {\n  count = 2\n  name = "c-${count.index}"\n}\n'
            'resource "aws_iam_role" "e" {\n  for_each = { x = "one", y = "two" }\n'
            '  name = "${each.key}-${each.value}"\n}\n'
        }
    )
    names = {r.address: r.value("name") for r in model.resources("aws_iam_role")}
    assert names == {
        "aws_iam_role.c[0]": "c-0",
        "aws_iam_role.c[1]": "c-1",
        'aws_iam_role.e["x"]': "x-one",
        'aws_iam_role.e["y"]': "y-two",
    }

"""Evaluation bugs found by dogfooding on modules/ and examples/complete/."""

from pathlib import Path

import pytest
from ddblint.loaders.hcl import parse_hcl
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model.evaluate import evaluate
from ddblint.model.facts import facts_of
from ddblint.model.policy import Tri, role_allows
from ddblint.model.values import UNKNOWN


class _Scope:
    def lookup(self, name):
        return {"var": {"x": None, "n": 3}}.get(name, UNKNOWN)

    def read_file(self, path):
        return UNKNOWN


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('var.x == null ? "sqs" : "sns"', "sqs"),
        ('var.x != null ? "sqs" : "sns"', "sns"),
        ('var.n > 2 && var.n < 5 ? "mid" : "out"', "mid"),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("true ? 1 : 2", 1),
    ],
)
def test_operator_precedence_and_conditionals(source, expected):
    expr = parse_hcl(f"x = {source}", "t.tf").attributes["x"].expr
    assert evaluate(expr, _Scope()) == expected


def test_statement_list_with_unknown_part_is_maybe_not_no(tmp_path: Path):
    (tmp_path / "main.tf").write_text(
        """
variable "extra" {}
resource "aws_iam_role" "r" { name = "r" }
resource "aws_dynamodb_table" "t" {
  name = "t"
  stream_enabled = true
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([], var.extra)
  })
}
""",
        encoding="utf-8",
    )
    model = TerraformLoader(tmp_path).load([tmp_path]).models[0]
    role = model.resource("aws_iam_role.r")
    table = model.resource("aws_dynamodb_table.t")
    policies = facts_of(model).role_policies(role)
    assert not policies.complete
    assert role_allows(model, policies, "dynamodb:GetRecords", table.get("stream_arn")) is Tri.MAYBE


def test_module_not_loaded_finding_names_the_module_call(tmp_path: Path):
    from ddblint.check import run_check
    from ddblint.config import Config

    (tmp_path / "main.tf").write_text(
        'module "orders" {\n  source = "terraform-aws-modules/lambda/aws"\n}\n', encoding="utf-8"
    )
    report = run_check([tmp_path], root=tmp_path, config=Config()).report
    notes = [f for f in report.findings if f.rule_id == "DDB003"]
    assert [(f.address, f.location.file, f.location.line) for f in notes] == [("module.orders", "main.tf", 1)]
    assert "terraform init" in notes[0].message

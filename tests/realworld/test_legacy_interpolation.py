"""Terraform 0.11-style `"${...}"` wrapping (found on cloudposse/terraform-aws-dynamodb).

`policy = "${data.aws_iam_policy_document.d.json}"` is the document itself: HCL returns the value of a
template made of one interpolation unchanged. ddblint turned it into plain JSON text, lost where the
statements were written, and reported every IAM1xx finding twice: at the policy document (right) and again
at the aws_iam_role_policy that only uses it.
"""

from __future__ import annotations

import pytest
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.loaders.hcl import parse_hcl
from ddblint.model.evaluate import evaluate
from ddblint.model.values import UNKNOWN, RefValue, Symbolic


class _Scope:
    def lookup(self, name):
        if name == "var":
            return {"n": 5, "ids": ["a", "b"], "arn": RefValue("aws_sqs_queue.q", "arn")}
        return UNKNOWN

    def read_file(self, path):
        return UNKNOWN


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"${var.n}"', 5),
        ('"${var.ids}"', ["a", "b"]),
        ('"${var.arn}"', RefValue("aws_sqs_queue.q", "arn")),
        ('"${var.n}${var.n}"', "55"),
        ('"n=${var.n}"', "n=5"),
        ('"${var.arn}/*"', Symbolic((RefValue("aws_sqs_queue.q", "arn"), "/*"))),
    ],
)
def test_single_interpolation_is_the_value_itself(source, expected):
    body = parse_hcl(f"x = {source}\n", "t.tf")
    assert evaluate(body.attributes["x"].expr, _Scope()) == expected


MAIN = """
resource "aws_iam_role" "autoscaler" {
  name               = "autoscaler"
  assume_role_policy = "${data.aws_iam_policy_document.assume.json}"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["application-autoscaling.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "alarms" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "alarms" {
  name   = "alarms"
  role   = "${aws_iam_role.autoscaler.id}"
  policy = "${data.aws_iam_policy_document.alarms.json}"
}
"""


def test_iam_finding_is_reported_once_at_the_document(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN)
    report = run_check([tmp_path], root=tmp_path, config=Config(select=("IAM102",))).report
    assert not report.errors
    assert [(f.rule_id, f.address) for f in report.findings] == [("IAM102", "data.aws_iam_policy_document.alarms")]

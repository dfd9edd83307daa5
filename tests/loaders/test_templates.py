"""JSON templates: `templatefile()` renders what is known and keeps the rest unknown; a template file is not a
standalone policy document, and a CloudWatch Logs data protection policy is not an IAM one."""

from __future__ import annotations

import json

import pytest
from ddblint.loaders.iam_json import is_template, load_policy_file, looks_like_policy
from ddblint.model.functions import decode_json_text
from ddblint.model.values import UNKNOWN, RefValue, Symbolic

TEMPLATE = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "${table_arn}/index/*"},
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": ${jsonencode(queue_arns)}},
    {"Effect": "Allow", "Action": "sns:Publish", "Resource": ${topics}}
  ]
}
"""


def test_templatefile_renders_known_parts_and_keeps_unknown_ones(tree) -> None:
    model = tree(
        {
            "policy.json": TEMPLATE,
            "main.tf": 'variable "table_arn" {}\nvariable "topics" {}\n'
            'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'
            'resource "aws_iam_policy" "p" {\n'
            '  policy = templatefile("${path.module}/policy.json", {\n'
            "    table_arn  = var.table_arn\n"
            '    queue_arns = [aws_sqs_queue.q.arn, "arn:aws:sqs:eu-west-1:123456789012:other", var.table_arn]\n'
            "    topics     = var.topics\n"
            "  })\n}\n",
        }
    )
    document = decode_json_text(model.resource("aws_iam_policy.p").value("policy"))
    statements = document["Statement"]
    assert statements[0]["Resource"] == Symbolic((UNKNOWN, "/index/*"))
    assert statements[1]["Resource"] == [
        RefValue("aws_sqs_queue.q", "arn"),
        "arn:aws:sqs:eu-west-1:123456789012:other",
        UNKNOWN,
    ]
    assert statements[2]["Resource"] is UNKNOWN
    assert [s["Action"] for s in statements] == ["dynamodb:Query", "sqs:SendMessage", "sns:Publish"]


def test_an_unknown_inside_a_json_string_stays_in_its_string() -> None:
    text = Symbolic(('{"a": "x\\"', UNKNOWN, '", "b": ', UNKNOWN, "}"))
    assert decode_json_text(text) == {"a": Symbolic(('x"', UNKNOWN)), "b": UNKNOWN}


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ('{"Resource": "${table_arn}"}', True),
        ('{"Resource": ${jsonencode(arns)}}', True),
        ('{"Statement": [%{ for a in arns }"${a}"%{ endfor }]}', True),
        ('{"Resource": "arn:aws:s3:::b/${aws:username}/*"}', False),  # an IAM policy variable
        ('{"Condition": {"StringLike": {"s3:prefix": "${*}"}}}', False),
        ('{"Resource": "$${literal}"}', False),  # Terraform's escape: not an interpolation
    ],
)
def test_template_syntax_is_told_from_iam_policy_variables(text: str, template: bool) -> None:
    assert is_template(text) is template


def test_a_data_protection_policy_is_not_an_iam_policy() -> None:
    statement = {"Sid": "Audit", "DataIdentifier": ["x"], "Operation": {"Audit": {}}}
    assert not looks_like_policy({"Version": "2021-06-01", "Statement": [statement]})
    assert looks_like_policy(json.loads('{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'))


def test_a_policy_file_with_a_byte_order_mark_decodes(tree) -> None:
    model = tree(
        {
            "policy.json": '\ufeff{"Version": "2012-10-17", "Statement": []}\r\n',
            "main.tf": 'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/policy.json")\n}\n'
            'resource "aws_iam_policy" "t" {\n  policy = templatefile("${path.module}/policy.json", {})\n}\n',
        }
    )
    for address in ("aws_iam_policy.p", "aws_iam_policy.t"):
        assert decode_json_text(model.resource(address).value("policy")) == {"Version": "2012-10-17", "Statement": []}


def test_a_template_nothing_reads_is_a_policy_with_unknown_parts(tmp_path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(TEMPLATE, encoding="utf-8")
    value, error = load_policy_file(path, "policy.json", explicit=True)
    assert error is None
    statements = value["Statement"]
    assert [s.line for s in statements] == [4, 5, 6]
    assert statements[0]["Resource"] == Symbolic((UNKNOWN, "/index/*"))
    assert statements[1]["Resource"] is UNKNOWN


@pytest.mark.parametrize(
    "text",
    [
        '{"Statement": [%{ for a in arns }{"Resource": "${a}"},%{ endfor }]}',  # a directive: not rendered
        '{"Statement": [{"Resource": ${arns}}, ${more}]',  # does not decode even with the values unknown
    ],
)
def test_a_template_that_cannot_be_read_alone_is_no_input_error(tmp_path, text: str) -> None:
    path = tmp_path / "policy.json"
    path.write_text(text, encoding="utf-8")
    assert load_policy_file(path, "policy.json", explicit=True) == (None, None)

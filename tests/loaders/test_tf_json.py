"""Terraform's JSON syntax (*.tf.json, *.tfvars.json) loads into the same model as native syntax."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.loaders.hcl import HclSyntaxError
from ddblint.loaders.hcl_json import parse_tf_json
from ddblint.loaders.terraform import TerraformLoader

CONFIG = {
    "variable": {"timeout": {"type": "number", "default": 5}},
    "resource": {
        "aws_iam_role": {"r": {"name": "r"}},
        "aws_iam_role_policy_attachment": {
            "ddb": {
                "role": "${aws_iam_role.r.name}",
                "policy_arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
            }
        },
        "aws_lambda_function": {
            "f": {
                "function_name": "f",
                "role": "${aws_iam_role.r.arn}",
                "timeout": "${var.timeout}",
                "vpc_config": {"subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"]},
                "depends_on": ["aws_iam_role_policy_attachment.ddb"],
            }
        },
    },
}


def _write(tmp_path: Path, files: dict[str, object]) -> Path:
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_blocks_attributes_references_and_lines(tmp_path: Path) -> None:
    root = _write(tmp_path, {"main.tf.json": CONFIG, "terraform.tfvars.json": {"timeout": 30}})
    model = TerraformLoader(root).load([root]).models[0]
    function = model.resource("aws_lambda_function.f")
    assert function is not None and function.file == "main.tf.json"
    assert function.value("timeout") == 30  # terraform.tfvars.json overrides the default
    assert model.referenced(function.value("role"), "aws_iam_role") is model.resource("aws_iam_role.r")
    assert [v.value("subnet_ids") for v in function.blocks("vpc_config")] == [["subnet-1"]]
    text = (root / "main.tf.json").read_text()
    timeout_line = next(i for i, line in enumerate(text.splitlines(), 1) if '"timeout": "${var.timeout}"' in line)
    assert function.location_of("timeout").line == timeout_line


def test_grants_written_in_json_count(tmp_path: Path) -> None:
    """A managed-policy attachment in a .tf.json file is seen: no false LAM305/LAM306 on the native-syntax function."""
    root = _write(tmp_path, {"main.tf.json": CONFIG})
    report = run_check([root], root=root, config=Config()).report
    assert report.errors == []
    rules = {f.rule_id for f in report.findings}
    assert "LAM306" not in rules  # AWSLambdaDynamoDBExecutionRole grants the log actions
    assert "LAM305" in rules  # but not the ENI actions the VPC function needs


def test_invalid_json_is_an_input_error_with_a_line(tmp_path: Path) -> None:
    root = _write(tmp_path, {"main.tf.json": '{\n  "resource": {\n    "aws_iam_role": \n}\n'})
    report = run_check([root], root=root, config=Config()).report
    assert [(e.file, e.line > 0) for e in report.errors] == [("main.tf.json", True)]


def test_tf_json_is_not_taken_for_a_policy_file(tmp_path: Path) -> None:
    root = _write(tmp_path, {"main.tf.json": {"resource": {"aws_iam_policy": {"p": {"policy": "{}"}}}}})
    report = run_check([root], root=root, config=Config()).report
    assert report.errors == []


@pytest.mark.parametrize("text", ["[]", '"x"', '{"resource": "x"}'])
def test_wrong_shapes_raise_syntax_errors(text: str) -> None:
    with pytest.raises(HclSyntaxError):
        parse_tf_json(text, "main.tf.json")

"""The plan loader on small hand-written plans: no Terraform needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ddblint.config import Config
from ddblint.loaders.plan import (
    hcl_literal,
    planned_keys,
    planned_value,
    read_plan,
    value_layer,
)
from ddblint.loaders.terraform import InputErrorException, TerraformLoader
from ddblint.model.values import UNKNOWN, RefValue
from ddblint.plan_check import run_plan

CONFIG = """\
variable "retries" {
  type = number
}

variable "subnets" {
  type = list(string)
}

resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn       = aws_dynamodb_table.t.stream_arn
  function_name          = "f"
  starting_position      = "LATEST"
  maximum_retry_attempts = var.retries
}

resource "aws_dynamodb_table" "t" {
  name             = "t"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
}

resource "aws_subnet" "s" {
  count      = length(var.subnets)
  cidr_block = var.subnets[count.index]
}
"""


def change(address, type_, name, after, *, index=None, actions=("create",), unknown=None, sensitive=None):
    return {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        **({"index": index} if index is not None else {}),
        "change": {
            "actions": list(actions),
            "before": None,
            "after": after,
            "after_unknown": unknown or {},
            "after_sensitive": sensitive or {},
            "before_sensitive": False,
        },
    }


def plan_document(retries=5) -> dict:
    return {
        "format_version": "1.2",
        "variables": {"retries": {"value": retries}, "subnets": {"value": ["10.0.1.0/24", "10.0.2.0/24"]}},
        "planned_values": {"root_module": {}},
        "resource_changes": [
            change(
                "aws_lambda_event_source_mapping.m",
                "aws_lambda_event_source_mapping",
                "m",
                {"function_name": "f", "maximum_retry_attempts": retries, "starting_position": "LATEST"},
                unknown={"event_source_arn": True, "uuid": True},
            ),
            change("aws_dynamodb_table.t", "aws_dynamodb_table", "t", {"name": "t"}, unknown={"stream_arn": True}),
            change("aws_subnet.s[0]", "aws_subnet", "s", {"cidr_block": "10.0.1.0/24"}, index=0),
            change("aws_subnet.s[1]", "aws_subnet", "s", {"cidr_block": "10.0.2.0/24"}, index=1),
        ],
        "configuration": {"root_module": {"variables": {"retries": {}, "subnets": {}}}},
    }


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "main.tf").write_text(CONFIG)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(plan_document()))
    return tmp_path, plan


def test_plan_values_fill_what_the_hcl_cannot_know_and_references_stay(project):
    root, plan_path = project
    plan = read_plan(plan_path, "plan.json")
    model = TerraformLoader(root).build_model(root, value_layer(plan))
    mapping = model.resource("aws_lambda_event_source_mapping.m")
    assert mapping.value("maximum_retry_attempts") == 5  # from the plan's variables
    assert mapping.value("event_source_arn") == RefValue("aws_dynamodb_table.t", "stream_arn")
    assert model.referenced(mapping.value("event_source_arn"), "aws_dynamodb_table").address == "aws_dynamodb_table.t"
    # count = length(var.subnets) is known from the plan's variables: one resource per planned instance.
    assert [r.address for r in model.resources("aws_subnet")] == ["aws_subnet.s[0]", "aws_subnet.s[1]"]
    assert model.resource("aws_subnet.s[1]").value("cidr_block") == "10.0.2.0/24"


def test_planned_value_marks_unknown_and_sensitive_parts():
    value = planned_value({"a": 1, "b": [1, 2], "c": "secret"}, {"b": [False, True]}, {"c": True})
    assert value == {"a": 1, "b": [1, UNKNOWN], "c": UNKNOWN}


def test_planned_keys_of_counted_resources_and_module_instances():
    document = plan_document()
    document["resource_changes"].append(
        {**change('module.m["x"].aws_s3_bucket.b', "aws_s3_bucket", "b", {}), "module_address": 'module.m["x"]'}
    )
    plan_path = Path("/nonexistent")
    keys = planned_keys(type("P", (), {"changes": _changes(document), "data": document, "path": plan_path})())
    assert keys["aws_subnet.s"] == [0, 1]
    assert keys["module.m"] == ["x"]


def _changes(document):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(document, handle)
    return read_plan(Path(handle.name), "plan.json").changes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ('{"values": {}}', "not a Terraform JSON plan"),
        ('{"format_version": "2.0", "planned_values": {}}', "unsupported plan format_version"),
        ('{"format_version": "1.0", "values": {}}', "state, not of a plan"),
    ],
)
def test_unreadable_plans_are_input_errors(tmp_path, text, message):
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(InputErrorException) as error:
        read_plan(path, "plan.json")
    assert message in error.value.error.message


def test_plan_command_exit_codes(project, tmp_path):
    root, plan_path = project
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    for args, code in (
        ([str(plan_path), "--source", str(root), "--fail-on", "never"], 0),
        ([str(plan_path), "--source", str(root)], 1),
        ([str(bad), "--source", str(root)], 2),
        ([str(tmp_path / "missing.json")], 2),
        ([str(plan_path), "--source", str(tmp_path / "nope")], 2),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "ddblint", "plan", *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == code, (args, result.stdout, result.stderr)


def test_a_plan_from_another_directory_is_noted(project, tmp_path):
    _, plan_path = project
    other = tmp_path / "other"
    other.mkdir()
    (other / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')
    report = run_plan(plan_path, source=other, root=tmp_path, config=Config()).report
    assert any("is --source the directory the plan was made in?" in note for note in report.notes)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (3, "3"),
        ('a"b${x}%{y}', '"a\\"b$${x}%%{y}"'),
        ([1, "x"], '[1, "x"]'),
        ({"k": [True]}, '{"k" = [true]}'),
    ],
)
def test_hcl_literal(value, text):
    assert hcl_literal(value) == text

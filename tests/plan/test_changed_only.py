"""`--changed-only` on a plan of an existing state: apply to moto_server, then plan a change to the mapping only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ddblint.config import Config
from ddblint.loaders.plan import ResourceChange
from ddblint.plan_changes import changes_of
from ddblint.plan_check import run_plan

from .conftest import AWS_ENV, plans_with_terraform

FIXTURE = Path(__file__).parent / "fixtures" / "existing-stack"
MAPPING = "aws_lambda_event_source_mapping.orders"


@pytest.fixture(scope="module")
def loosened(planner, tmp_path_factory):
    """The fixture applied with retries = 2, then planned with retries = -1 (given with -var)."""
    root = tmp_path_factory.mktemp("existing")
    workdir = planner.prepare(FIXTURE, root)
    planner.moto.reset()
    planner.terraform.apply(workdir, env=AWS_ENV)
    plan = planner.terraform.show_plan_json(workdir, "-var=retries=-1", env=AWS_ENV)
    plan_json = root / "plan.json"
    plan_json.write_text(json.dumps(plan))
    return root, workdir, plan_json, plan


@plans_with_terraform
def test_the_plan_only_updates_the_mapping(loosened):
    *_, plan = loosened
    changing = [c["address"] for c in plan["resource_changes"] if c["change"]["actions"] != ["no-op"]]
    assert changing == [MAPPING]


@plans_with_terraform
def test_changed_only_reports_the_mapping_and_nothing_else(loosened):
    root, workdir, plan_json, _ = loosened
    everything = run_plan(plan_json, source=workdir, root=root, config=Config()).report
    assert {f.address for f in everything.findings} - {MAPPING}, "the unchanged role policy has findings"

    report = run_plan(plan_json, source=workdir, root=root, config=Config(), changed_only=True).report
    assert report.findings
    assert {f.address for f in report.findings} == {MAPPING}
    # The plan's -var value reached the model: RTY401 sees the -1 that no .tf file says.
    assert "RTY401" in {f.rule_id for f in report.findings}
    assert [(c.address, c.message) for c in report.plan_changes] == [
        (MAPPING, "maximum_retry_attempts changes from 2 to unlimited (-1)")
    ]
    assert report.plan_changes[0].location.file.endswith("existing-stack/main.tf")


@plans_with_terraform
def test_changed_only_markdown_comment(loosened):
    _, workdir, plan_json, _ = loosened
    command = ["plan", str(plan_json), "--source", ".", "--changed-only", "--format", "markdown"]
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", *command],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    comment = result.stdout
    assert comment.startswith("### ddblint:")
    assert "#### Risky changes in this plan" in comment
    assert "maximum\\_retry\\_attempts changes from 2 to unlimited (-1)" in comment
    assert "aws_iam_role_policy.consumer" not in comment
    assert "main.tf:" in comment and "plan.json" not in comment


def _change(type_: str, before: dict, after: dict, actions=("update",)) -> ResourceChange:
    return ResourceChange(type_ + ".x", "", "managed", type_, "x", None, actions, before, after, {}, {}, {})


@pytest.mark.parametrize(
    ("type_", "before", "after", "expected"),
    [
        ("aws_lambda_event_source_mapping", {"maximum_retry_attempts": 2}, {"maximum_retry_attempts": 5}, "raised"),
        ("aws_lambda_function", {"timeout": 30}, {"timeout": 5}, "lowered from 30 s to 5 s"),
        (
            "aws_iam_role_policy",
            {"policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "q"}]})},
            {"policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]})},
            "now allows sqs:* on *",
        ),
        ("aws_dynamodb_table", {"deletion_protection_enabled": True}, {"deletion_protection_enabled": False}, "true"),
    ],
)
def test_risky_changes(type_, before, after, expected):
    messages = changes_of(_change(type_, before, after))
    assert len(messages) == 1 and expected in messages[0], messages


@pytest.mark.parametrize(
    ("type_", "before", "after"),
    [
        ("aws_lambda_event_source_mapping", {"maximum_retry_attempts": 5}, {"maximum_retry_attempts": 2}),
        ("aws_lambda_event_source_mapping", {"maximum_retry_attempts": -1}, {"maximum_retry_attempts": 3}),
        ("aws_lambda_function", {"timeout": 5}, {"timeout": 30}),
        (
            "aws_iam_role_policy",
            {"policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]})},
            {"policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "q"}]})},
        ),
    ],
)
def test_tightening_is_not_risky(type_, before, after):
    assert changes_of(_change(type_, before, after)) == []


def test_sensitive_attributes_are_not_compared():
    change = ResourceChange(
        "aws_lambda_function.x", "", "managed", "aws_lambda_function", "x", None, ("update",),
        {"timeout": 30}, {"timeout": 5}, {}, {"timeout": True}, {"timeout": True},
    )  # fmt: skip
    assert changes_of(change) == []

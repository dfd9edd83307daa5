"""Sensitive values (sensitive variables, after_sensitive) never appear in any output of `ddblint plan`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ddblint.findings import Finding, Location, Report, Severity
from ddblint.loaders.plan import Plan
from ddblint.plan_check import REDACTED, redact

from .conftest import AWS_ENV, plans_with_terraform

FIXTURE = Path(__file__).parent / "fixtures" / "sensitive"
SECRET = "tok-5ecr3t-value-4711"


@pytest.fixture(scope="module")
def sensitive_plan(planner, tmp_path_factory):
    root = tmp_path_factory.mktemp("sensitive")
    workdir = planner.prepare(FIXTURE, root)
    plan = planner.terraform.show_plan_json(workdir, f"-var=api_token={SECRET}", env=AWS_ENV)
    plan_json = root / "plan.json"
    plan_json.write_text(json.dumps(plan))
    assert SECRET in plan_json.read_text()  # terraform show -json keeps it; ddblint must not print it
    return workdir, plan_json


@plans_with_terraform
@pytest.mark.parametrize("format_name", ["text", "json", "sarif", "github", "markdown"])
def test_no_output_shows_a_sensitive_value(sensitive_plan, format_name):
    workdir, plan_json = sensitive_plan
    for extra in ([], ["--changed-only"]):
        result = subprocess.run(
            [sys.executable, "-m", "ddblint", "plan", str(plan_json), "--format", format_name, *extra],
            cwd=workdir,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert "IAM106" in result.stdout  # the run did check the configuration
        assert SECRET not in result.stdout and SECRET not in result.stderr


def test_redact_replaces_every_sensitive_text():
    finding = Finding(
        "IAM102", "wildcard-resource", Severity.ERROR, "aws_iam_role_policy.x", Location("main.tf", 3),
        f"grants dynamodb:* on table/{SECRET}", fix=f"use {SECRET}-other",
    )  # fmt: skip
    plan = Plan(path=Path("plan.json"), data={}, variables={}, changes=[], secrets={SECRET, "1"})
    report = redact(Report([finding], [], "0"), plan)
    assert SECRET not in report.findings[0].message and REDACTED in report.findings[0].message
    assert report.findings[0].fix == f"use {REDACTED}-other"

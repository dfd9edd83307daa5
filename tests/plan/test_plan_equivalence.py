"""The same configuration gives the same findings in `check` (HCL) and `plan` mode, at the same .tf lines.

Runs every registered rule on every example under examples/: as rules land, they are covered here too.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.findings import Finding
from ddblint.plan_check import run_plan

from .conftest import PLAN_MARKS, plannable_examples

pytestmark = list(PLAN_MARKS)


def identity(finding: Finding) -> tuple:
    return (finding.rule_id, finding.address, finding.location.file, finding.location.line, finding.message)


@pytest.mark.parametrize("example", plannable_examples())
def test_check_and_plan_give_the_same_findings(planner, example):
    planned = planner.example(example)
    config = Config()
    hcl = run_check([planned.workdir], root=planned.root, config=config).report
    plan = run_plan(planned.plan_json, source=planned.workdir, root=planned.root, config=config).report
    assert not hcl.errors and not plan.errors, (hcl.errors, plan.errors)
    assert sorted(map(identity, plan.findings)) == sorted(map(identity, hcl.findings))
    # Locations are .tf files of the example or of the modules it calls, never the plan.
    assert all(f.location.file.endswith(".tf") and f.location.line > 0 for f in plan.findings)
    assert not plan.notes, plan.notes


def test_insecure_example_plan_findings_point_at_tf_lines(planner):
    planned = planner.example("insecure-stream-consumer")
    report = run_plan(planned.plan_json, source=planned.workdir, root=planned.root, config=Config()).report
    rules = {f.rule_id for f in report.findings}
    assert {rule for rule in rules if rule.startswith("IAM")} == {f"IAM10{n}" for n in range(1, 9)}
    for finding in report.findings:
        assert finding.location.file.startswith("examples/insecure-stream-consumer/")


def test_plan_command_sarif_points_at_tf_files(planner):
    planned = planner.example("insecure-stream-consumer")
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", "plan", str(planned.plan_json), "--source", ".", "--format", "sarif"],
        cwd=planned.workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    sarif = json.loads(result.stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris and all(uri.endswith(".tf") for uri in uris), uris
    assert all("plan.json" not in uri for uri in uris)


def test_suppression_comments_in_the_source_apply_to_plan_findings(planner, tmp_path):
    planned = planner.example("insecure-stream-consumer")
    main_tf = planned.workdir / "main.tf"
    original = main_tf.read_text()
    marker = 'resource "aws_iam_role" "debug" {'
    assert marker in original
    try:
        main_tf.write_text(
            original.replace(marker, "# ddblint:ignore[IAM106] break-glass role, reviewed in SEC-1\n" + marker)
        )
        report = run_plan(planned.plan_json, source=planned.workdir, root=planned.root, config=Config()).report
    finally:
        main_tf.write_text(original)
    assert "IAM106" not in {f.rule_id for f in report.findings}
    assert report.suppressed == 1


# Rules that read the functions' handler source, which a plan without the .tf files' directory does not have.
HANDLER_CODE_RULES = {"IAM107", "IAM108", "OPS604", "RTY406"}


@pytest.mark.parametrize("example", plannable_examples())
def test_without_the_source_findings_point_at_the_plan(planner, example, tmp_path):
    """No .tf files at hand: the model comes from the plan's configuration; locations are the plan file."""
    planned = planner.example(example)
    with_source = run_plan(planned.plan_json, source=planned.workdir, root=planned.root, config=Config()).report
    empty = planned.root / "no-source"
    empty.mkdir(exist_ok=True)
    report = run_plan(planned.plan_json, source=empty, root=planned.root, config=Config()).report
    assert not report.errors, report.errors
    assert report.notes and "findings point at plan.json" in report.notes[0]
    assert all(f.location.file == "plan.json" and f.location.line == 0 for f in report.findings)
    found = {(f.rule_id, f.address) for f in report.findings}
    expected = {(f.rule_id, f.address) for f in with_source.findings}
    # Templates and function calls are not in a plan's configuration, so fewer facts are known (a policy
    # naming "${aws_dynamodb_table.t.arn}/stream/*" before apply, say): never more findings than with the source.
    assert found <= expected
    # Nor is the handler code: the rules that read it have nothing to go on without the source.
    assert bool(found) == bool({(rule, address) for rule, address in expected if rule not in HANDLER_CODE_RULES})

"""The CI recipes in examples/ci/ parse, and their plan and ddblint commands work when run locally on an example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import AWS_ENV, EXAMPLES, REPO_ROOT, plans_with_terraform

CI = REPO_ROOT / "examples" / "ci"
EXAMPLE = "examples/insecure-stream-consumer"
GITHUB_LOCAL_STEPS = ("plan", "sarif", "comment", "gate")


def run_locally(planner, tmp_path: Path, scripts: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run shell scripts at the root of a copy of the repository layout, with TF_DIR set to the example."""
    planner.prepare(EXAMPLES / "insecure-stream-consumer", tmp_path)
    env = planner.terraform.env(AWS_ENV)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["TF_DIR"] = EXAMPLE
    return [
        subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
        for script in scripts
    ]


def check_outputs(root: Path) -> None:
    sarif = json.loads((root / "ddblint.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert results
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith(EXAMPLE + "/") and uri.endswith(".tf"), uri
    comment = (root / "ddblint.md").read_text()
    assert comment.startswith("### ddblint:") and "| Severity | Count |" in comment
    assert len(comment) <= 65_536


@plans_with_terraform
def test_github_actions_recipe(planner, tmp_path):
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    job = workflow["jobs"]["plan-review"]
    steps = job["steps"]
    by_id = {step["id"]: step for step in steps if "id" in step}
    assert set(GITHUB_LOCAL_STEPS) <= set(by_id)
    assert job["permissions"]["security-events"] == "write"
    uses = [step.get("uses", "") for step in steps]
    assert "github/codeql-action/upload-sarif@v4" in uses

    results = run_locally(planner, tmp_path, [by_id[i]["run"] for i in GITHUB_LOCAL_STEPS])
    *ok, gate = results
    for result in ok:
        assert result.returncode == 0, result.stdout + result.stderr
    assert gate.returncode == 1, gate.stderr  # the insecure example has errors: the gate fails the job
    assert "::error file=examples/insecure-stream-consumer/main.tf" in gate.stdout
    check_outputs(tmp_path)


@plans_with_terraform
def test_gitlab_recipe(planner, tmp_path):
    pipeline = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    job = pipeline["ddblint-plan"]
    assert job["variables"]["TF_DIR"]
    assert {"ddblint.sarif", "ddblint.md"} <= set(job["artifacts"]["paths"])
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"

    results = run_locally(planner, tmp_path, job["script"])
    *ok, gate = results
    for result in ok:
        assert result.returncode == 0, result.stdout + result.stderr
    assert gate.returncode == 1, gate.stderr
    check_outputs(tmp_path)
    issues = json.loads((tmp_path / "gl-code-quality-report.json").read_text())
    assert issues and all(i["location"]["path"].startswith(EXAMPLE + "/") for i in issues)


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_recipes_plan_and_lint_the_same_directory(name):
    text = (CI / name).read_text()
    assert "show -json plan.tfplan > plan.json" in text
    # The SARIF report, the Markdown comment and the gate; GitLab also writes its Code Quality report.
    expected = {"github-actions.yml": 3, "gitlab-ci.yml": 4}[name]
    assert text.count('--source "$TF_DIR"') == expected

"""Static checks, `terraform validate` and the `terraform test` suites of every module and example."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import hcl2
import pytest

from tests.support.terraform import REPO_ROOT, find_terraform

MODULES = ("network", "table", "function", "stream-consumer")

CONFIGS = [f"modules/{m}" for m in MODULES] + ["examples/complete"]
AWS_CONSTRAINT = ">= 5.0, < 7.0"


def load_hcl(path: Path) -> dict:
    with path.open() as handle:
        return hcl2.load(handle)


@pytest.mark.terraform
def test_fmt():
    """Needs only the terraform binary, not the provider mirror."""
    binary = find_terraform()
    if binary is None:
        pytest.skip("terraform not on PATH")
    result = subprocess.run(
        [
            str(binary),
            "fmt",
            "-check",
            "-recursive",
            "-diff",
            "-no-color",
            "modules",
            "examples/complete",
            "tests/modules/fixtures",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"},
    )
    assert result.returncode == 0, f"terraform fmt would change files:\n{result.stdout}{result.stderr}"


@pytest.mark.terraform
@pytest.mark.parametrize("config", CONFIGS)
def test_validate(tf_workspace, config):
    report = tf_workspace.terraform.validate(tf_workspace.initialised(config))
    assert report["valid"], report["diagnostics"]
    assert report["warning_count"] == 0, report["diagnostics"]


@pytest.mark.terraform
@pytest.mark.parametrize("module", MODULES)
def test_terraform_test_suite(tf_workspace, module):
    """Plan-time assertions of defaults, validations and policies (modules/<name>/tests/*.tftest.hcl)."""
    path = tf_workspace.initialised(f"modules/{module}")
    assert list((path / "tests").glob("*.tftest.hcl")), f"modules/{module} has no terraform test suite"
    result = tf_workspace.terraform.run(["test", "-no-color"], path, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout and "Success!" in result.stdout, result.stdout


@pytest.mark.parametrize("config", CONFIGS)
def test_anatomy(config):
    """Standard files; hashicorp/aws only, in the agreed range; documented, typed inputs and outputs."""
    path = REPO_ROOT / config
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (path / name).is_file(), f"{config} lacks {name}"

    versions = load_hcl(path / "versions.tf")["terraform"][0]
    assert versions["required_version"] == ">= 1.7"
    providers = {k: v for block in versions["required_providers"] for k, v in block.items()}
    assert providers == {"aws": {"source": "hashicorp/aws", "version": AWS_CONSTRAINT}}

    for tf_file in path.glob("*.tf"):
        parsed = load_hcl(tf_file)
        for block in parsed.get("resource", []) + parsed.get("data", []):
            for resource_type in block:
                assert resource_type.startswith("aws_"), f"{tf_file}: {resource_type} is not from hashicorp/aws"
                assert resource_type != "aws_iam_policy_document", f"{tf_file}: build policies with jsonencode"

    for block in load_hcl(path / "variables.tf").get("variable", []):
        for name, body in block.items():
            assert body.get("description"), f"{config}: variable {name} has no description"
            assert "type" in body, f"{config}: variable {name} has no type"
            assert "any" not in str(body["type"]), f"{config}: variable {name} uses any"
    for block in load_hcl(path / "outputs.tf").get("output", []):
        for name, body in block.items():
            assert body.get("description"), f"{config}: output {name} has no description"


def test_function_timeout_is_required():
    variables = {k: v for b in load_hcl(REPO_ROOT / "modules/function/variables.tf")["variable"] for k, v in b.items()}
    assert "default" not in variables["timeout"]


def test_mapping_depends_on_its_policy():
    """The mapping must never be created before the stream and destination permissions (STR204)."""
    parsed = load_hcl(REPO_ROOT / "modules/stream-consumer/main.tf")
    mapping = next(
        b["aws_lambda_event_source_mapping"]["this"]
        for b in parsed["resource"]
        if "aws_lambda_event_source_mapping" in b
    )
    assert "${aws_iam_role_policy.this}" in mapping["depends_on"] or "aws_iam_role_policy.this" in str(
        mapping["depends_on"]
    )


def test_table_resources_differ_only_in_count_and_ignored_capacity():
    """modules/table holds a table in "this" (capacity applied) or "autoscaled" (capacity ignored): Terraform
    takes no expression in ignore_changes. Everything else must stay the same in both."""
    tables = {
        name: dict(body)
        for block in load_hcl(REPO_ROOT / "modules/table/main.tf")["resource"]
        for name, body in block.get("aws_dynamodb_table", {}).items()
    }
    assert set(tables) == {"this", "autoscaled"}
    lifecycles = {name: table.pop("lifecycle") for name, table in tables.items()}
    ignored = lifecycles["autoscaled"][0].pop("ignore_changes")
    assert "ignore_changes" not in lifecycles["this"][0]
    assert lifecycles["this"] == lifecycles["autoscaled"]  # the same preconditions
    assert [str(i).strip("${}") for i in ignored] == ["read_capacity", "write_capacity", "global_secondary_index"]
    counts = {name: table.pop("count") for name, table in tables.items()}
    assert counts == {
        "this": "${var.create && !local.autoscaling ? 1 : 0}",
        "autoscaled": "${local.autoscaling ? 1 : 0}",
    }
    assert tables["this"] == tables["autoscaled"]


def test_no_state_or_provider_cache_in_source_tree():
    leftovers = [
        p.relative_to(REPO_ROOT)
        for root in (REPO_ROOT / "modules", REPO_ROOT / "examples" / "complete")
        for pattern in (".terraform", "*.tfstate", "*.tfstate.backup", ".terraform.lock.hcl")
        for p in root.rglob(pattern)
    ]
    assert not leftovers, f"state or provider files in the source tree: {leftovers}"

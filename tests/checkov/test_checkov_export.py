"""`ddblint export checkov`: the exported policies, run by a real checkov, agree with ddblint on the examples.

checkov and python-hcl2 cannot share an environment, so checkov lives in its own venv under build/ (keyed
by its pinned version; see tests/support/checkov.py, which `make test` starts in the background). Never
install it into the project venv. A failed install fails the checkov tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.export_checkov import POLICIES, export_checkov, exportable_rules, policy_id

from tests.support.checkov import CheckovInstallError, installed_checkov

REPO_ROOT = Path(__file__).resolve().parents[2]
# RTY404 also fires on SQS mappings whose queue has no redrive policy: another resource, beyond checkov.
NARROWER = {"RTY404"}


@pytest.fixture(scope="session")
def checkov() -> Path:
    try:
        return installed_checkov()
    except CheckovInstallError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def policies(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("checkov-policies")
    export_checkov(directory)
    return directory


def run_checkov(checkov: Path, policies: Path, example: str) -> dict[str, set[tuple[str, str]]]:
    """checkov on an example with only the exported policies: {"passed"/"failed": {(rule ID, resource)}}."""
    ids = ",".join(policy_id(rule.id) for rule in exportable_rules())
    command = [str(checkov), "-d", example, "--external-checks-dir", str(policies), "--skip-download"]
    command += ["--check", ids, "--output", "json", "--compact"]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    outcome: dict[str, set[tuple[str, str]]] = {"passed": set(), "failed": set()}
    for report in reports:
        for key in outcome:
            for check in report.get("results", {}).get(f"{key}_checks", []):
                outcome[key].add((check["check_id"].removeprefix("CKV2_DDBLINT_"), check["resource"]))
    return outcome


def ddblint_findings(example: str) -> set[tuple[str, str]]:
    config = Config(select=tuple(POLICIES))
    report = run_check([REPO_ROOT / example], root=REPO_ROOT, config=config).report
    return {(f.rule_id, f.address) for f in report.findings}


def test_export_writes_one_policy_per_rule_with_the_ddblint_id(policies):
    files = sorted(policies.glob("*.yaml"))
    assert [f.name for f in files] == sorted(f"ddblint_{rule.id}.yaml" for rule in exportable_rules())
    for path in files:
        document = yaml.safe_load(path.read_text())
        rule_id = path.stem.removeprefix("ddblint_")
        assert document["metadata"]["id"] == f"CKV2_DDBLINT_{rule_id}"
        assert document["metadata"]["name"].startswith(f"ddblint {rule_id} ")
        assert {"id", "name", "category", "severity"} <= set(document["metadata"])
        assert "definition" in document


def test_export_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", "export", "checkov", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.yaml"))) == len(exportable_rules())


@pytest.mark.checkov
def test_checkov_fails_the_insecure_example_where_ddblint_does(checkov, policies):
    example = "examples/insecure-stream-consumer"
    outcome = run_checkov(checkov, policies, example)
    expected = ddblint_findings(example)
    assert outcome["failed"], "checkov ran none of the exported policies"
    exact = {f for f in expected if f[0] not in NARROWER}
    assert {f for f in outcome["failed"] if f[0] not in NARROWER} == exact
    assert {f for f in outcome["failed"] if f[0] in NARROWER} <= expected
    # Every exported rule that ddblint reports on the insecure example fails in checkov too.
    assert {rule for rule, _ in expected} == {rule for rule, _ in outcome["failed"]}


@pytest.mark.checkov
def test_checkov_passes_the_complete_example(checkov, policies):
    example = "examples/complete"
    outcome = run_checkov(checkov, policies, example)
    assert ddblint_findings(example) == set()
    assert outcome["failed"] == set()
    assert {rule for rule, _ in outcome["passed"]} == {rule.id for rule in exportable_rules()}

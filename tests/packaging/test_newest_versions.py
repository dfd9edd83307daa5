"""At the newest versions its ranges allow, ddblint gives the same findings on the examples as the suite's locked
environment; and it resolves beside awscli, whose exact botocore pin is what clashes with exact pins in shared
CI images."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.support import venvs

pytestmark = pytest.mark.packaging


def test_findings_are_the_same_at_the_newest_versions(tmp_path: Path):
    venv = venvs.create(tmp_path / "venv")
    venvs.pip_install(venv, "--upgrade", str(venvs.REPO))
    installed = venvs.installed_versions(venv)
    for requirement in venvs.runtime_requirements():
        assert requirement.specifier.contains(installed[requirement.name.lower()]), requirement
    venvs.assert_same_findings_as_this_environment(venv)


def test_resolves_beside_awscli(tmp_path: Path):
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"),
            *("--report", str(report), str(venvs.REPO), "awscli"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    chosen = {
        i["metadata"]["name"].lower(): i["metadata"]["version"] for i in json.loads(report.read_text())["install"]
    }
    assert "awscli" in chosen and "ddblint" in chosen
    botocore = next(r for r in venvs.runtime_requirements() if r.name == "botocore")
    assert isinstance(botocore, Requirement) and botocore.specifier.contains(chosen["botocore"])

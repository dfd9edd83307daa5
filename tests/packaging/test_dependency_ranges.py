"""ddblint's runtime dependencies are ranges: installed at the lower end of every range, and at the newest
versions the ranges allow, it gives the same findings on the examples as the suite's locked environment; and
it resolves beside awscli, whose botocore pin is what clashes with exact pins in shared CI images.

These tests install from PyPI into fresh virtual environments (about a minute each on a new machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ("examples/insecure-stream-consumer", "examples/insecure-vpc-consumer")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def runtime_requirements() -> list[Requirement]:
    return [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]


def lower_bound(requirement: Requirement) -> str:
    (bound,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    return bound


def test_every_runtime_dependency_is_a_bounded_range():
    for requirement in runtime_requirements():
        operators = sorted(spec.operator for spec in requirement.specifier)
        assert operators == ["<", ">="], f"{requirement}: give a range (>=lowest tested, <next major)"


def findings(ddblint: list[str], example: str) -> list[dict]:
    run = subprocess.run(
        [*ddblint, "check", example, "--format", "json", "--fail-on", "never", "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["findings"]


def pip(venv: Path, *args: str) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def installed_versions(venv: Path) -> dict[str, str]:
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"], capture_output=True, text=True
    )
    return {p["name"].lower(): p["version"] for p in json.loads(run.stdout)}


@pytest.mark.parametrize("end", ["lower", "upper"])
def test_findings_are_the_same_at_both_ends_of_the_ranges(end, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    requirements = runtime_requirements()
    if end == "lower":
        constraints = tmp_path / "lower.txt"
        constraints.write_text("".join(f"{r.name}=={lower_bound(r)}\n" for r in requirements))
        pip(venv, "-c", str(constraints), str(REPO))
    else:
        pip(venv, "--upgrade", str(REPO))
    versions = installed_versions(venv)
    for requirement in requirements:
        installed = versions[requirement.name.lower()]
        assert requirement.specifier.contains(installed), (requirement, installed)
        if end == "lower":
            assert Version(installed) == Version(lower_bound(requirement)), (requirement, installed)
    for example in EXAMPLES:
        expected = findings([sys.executable, "-m", "ddblint"], example)
        assert findings([str(venv / "bin" / "ddblint")], example) == expected, (end, example)


def test_resolves_beside_awscli(tmp_path):
    """What a shared CI image does: ddblint and the newest awscli v1 (which pins botocore exactly) together."""
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(report),
            str(REPO),
            "awscli",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    chosen = {
        item["metadata"]["name"].lower(): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    assert "awscli" in chosen and "ddblint" in chosen
    botocore = Requirement(next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith("botocore")))
    assert botocore.specifier.contains(chosen["botocore"])

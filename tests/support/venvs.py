"""Fresh virtual environments with ddblint installed from this checkout, for the packaging tests.

They install from PyPI (a minute or so each on a new machine), so the tests that use them are marked
`packaging`: `make test` runs them, `make test-fast` does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ("examples/insecure-stream-consumer", "examples/insecure-vpc-consumer")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def runtime_requirements() -> list[Requirement]:
    return [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]


def lower_bound(requirement: Requirement) -> str:
    (bound,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    return bound


def create(venv: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    return venv


def pip_install(venv: Path, *args: str) -> None:
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
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {p["name"].lower(): p["version"] for p in json.loads(run.stdout)}


def findings(ddblint: list[str], example: str) -> list[dict]:
    """`ddblint check example --format json` run with the given command, from the repository root."""
    run = subprocess.run(
        [*ddblint, "check", example, "--format", "json", "--fail-on", "never", "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["findings"]


def assert_same_findings_as_this_environment(venv: Path) -> None:
    for example in EXAMPLES:
        expected = findings([sys.executable, "-m", "ddblint"], example)
        assert findings([str(venv / "bin" / "ddblint")], example) == expected, example

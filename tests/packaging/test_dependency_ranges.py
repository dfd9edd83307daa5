"""ddblint's runtime dependencies are ranges, and at the lower end of every range it gives the same findings on
the examples as the suite's locked environment (tests/requirements-lock.txt). The newest versions the ranges
allow, and the install beside awscli, are in test_newest_versions.py (a file each, so pytest-xdist runs them on
different workers: both wait mostly on PyPI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from tests.support import venvs

pytestmark = pytest.mark.packaging


def test_every_runtime_dependency_is_a_bounded_range():
    for requirement in venvs.runtime_requirements():
        operators = sorted(spec.operator for spec in requirement.specifier)
        assert operators == ["<", ">="], f"{requirement}: give a range (>=lowest tested, <next major)"


def test_findings_are_the_same_at_the_lower_end_of_every_range(tmp_path: Path):
    venv = venvs.create(tmp_path / "venv")
    requirements = venvs.runtime_requirements()
    constraints = tmp_path / "lower.txt"
    constraints.write_text("".join(f"{r.name}=={venvs.lower_bound(r)}\n" for r in requirements))
    venvs.pip_install(venv, "-c", str(constraints), str(venvs.REPO))
    installed = venvs.installed_versions(venv)
    for requirement in requirements:
        assert Version(installed[requirement.name.lower()]) == Version(venvs.lower_bound(requirement)), requirement
    venvs.assert_same_findings_as_this_environment(venv)

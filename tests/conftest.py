"""Suite-wide setup: a private parse cache, the integration fixtures, and a check that they are marked.

- The CLI caches parsed files under the user's cache directory by default; `DDBLINT_CACHE_DIR` (read by
  `ddblint.parse_cache.default_cache_dir`, and inherited by subprocesses) keeps the suite out of the real one.
- `terraform` and `moto_server` are session fixtures (one per pytest-xdist worker): Terraform with the
  project's CLI config and shared plugin cache under build/terraform/, and one moto server for every stack.
- A test that uses an integration fixture must carry its marker, so `make test-fast`
  (`-m "not (terraform or moto or checkov or precommit)"`) never starts one by accident; integration tests are
  collected first (see run_order).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from tests.support.moto_process import MotoServer, MotoServerError
from tests.support.terraform import Terraform, TerraformUnavailable

_cache_dir = tempfile.mkdtemp(prefix="ddblint-test-cache-")
os.environ["DDBLINT_CACHE_DIR"] = _cache_dir
atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)

# Fixture -> the marker every test using it must carry (see [tool.pytest.ini_options] markers in pyproject.toml).
INTEGRATION_FIXTURES = {
    "terraform": "terraform",
    "moto_server": "moto",
    "checkov": "checkov",
    "hook_rev": "precommit",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        f"{item.nodeid} uses the {fixture!r} fixture but is not marked @pytest.mark.{marker}"
        for item in items
        for fixture, marker in INTEGRATION_FIXTURES.items()
        if fixture in getattr(item, "fixturenames", ()) and item.get_closest_marker(marker) is None
    ]
    if unmarked:
        raise pytest.UsageError("integration tests without their marker:\n" + "\n".join(unmarked))
    items.sort(key=run_order)


def run_order(item: pytest.Item) -> int:
    """Longest first, so `make test` (pytest-xdist, --dist loadfile, in collection order) ends with short tests:
    stacks applied to moto and installs from PyPI, other Terraform and pre-commit runs, the rest, and checkov
    last (its venv installs in the background meanwhile). The sort is stable: within each group, files and tests
    keep their order."""
    if item.get_closest_marker("checkov"):
        return 3
    if item.get_closest_marker("moto") or item.get_closest_marker("packaging"):
        return 0
    if item.get_closest_marker("terraform") or item.get_closest_marker("precommit"):
        return 1
    return 2


@pytest.fixture(scope="session")
def terraform() -> Terraform:
    """Terraform and the hashicorp/aws mirror; the test skips, with the reason, when either is missing."""
    try:
        terraform = Terraform.discover()
    except TerraformUnavailable as exc:
        pytest.skip(str(exc))
    terraform.fill_plugin_cache()
    return terraform


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """The session's moto server; a fixture that applies a stack calls reset() first."""
    try:
        with MotoServer.start(tmp_path_factory.mktemp("moto") / "moto_server.log") as server:
            yield server
    except MotoServerError as exc:
        pytest.fail(str(exc))

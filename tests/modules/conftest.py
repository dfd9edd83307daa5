"""Fixtures for the Terraform module tests: a session work tree and the handler package.

`terraform` and `moto_server` come from tests/conftest.py.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.terraform import Terraform, atomic_write  # noqa: E402

EXAMPLE_DIR = REPO_ROOT / "examples" / "complete"
HANDLER_SOURCE = EXAMPLE_DIR / "src" / "handler.py"


class Workspace:
    """A copy of modules/ and examples/complete/ in a temp dir; each config is initialised once."""

    def __init__(self, terraform: Terraform, root: Path) -> None:
        self.terraform = terraform
        self.root = root
        self._initialised: set[Path] = set()
        terraform.copy_config(EXAMPLE_DIR, root)  # copies modules/ alongside

    def path(self, relative: str) -> Path:
        return self.root / relative

    def initialised(self, relative: str) -> Path:
        path = self.path(relative)
        if path not in self._initialised:
            self.terraform.init(path)
            self._initialised.add(path)
        return path


@pytest.fixture(scope="session")
def tf_workspace(terraform: Terraform, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(terraform, tmp_path_factory.mktemp("tf"))


def build_handler_package(dest: Path) -> Path:
    """Zip examples/complete/src/handler.py as handler.py (what `handler = "handler.handler"` loads)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("handler.py", date_time=(2020, 1, 1, 0, 0, 0))  # reproducible hash
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, HANDLER_SOURCE.read_bytes())
    atomic_write(dest, buffer.getvalue())  # another test session may be reading it
    return dest


@pytest.fixture(scope="session")
def handler_package() -> Path:
    return build_handler_package(REPO_ROOT / "build" / "examples" / "complete" / "handler.zip")

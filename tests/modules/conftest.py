"""Fixtures for the Terraform module tests: terraform, a session work tree, the handler package, moto."""

from __future__ import annotations

import contextlib
import io
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.terraform import Terraform, TerraformUnavailable, atomic_write  # noqa: E402

EXAMPLE_DIR = REPO_ROOT / "examples" / "complete"
HANDLER_SOURCE = EXAMPLE_DIR / "src" / "handler.py"


@pytest.fixture(scope="session")
def terraform() -> Terraform:
    try:
        return Terraform.discover()
    except TerraformUnavailable as exc:
        pytest.skip(str(exc))


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def run_moto(command: list[str], log_path: Path) -> Iterator[str]:
    """Start a moto server command on a free 127.0.0.1 port; yield its endpoint; stop it afterwards."""
    port = _free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"moto server exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"moto server did not answer on {endpoint} within 30 s")
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The venv's stock moto_server."""
    server = Path(sys.executable).parent / "moto_server"
    if not server.exists():
        pytest.skip(f"moto_server not found next to {sys.executable}: install moto[server]")
    with run_moto([str(server)], tmp_path_factory.mktemp("moto") / "moto_server.log") as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def patched_moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto_server with Application Auto Scaling tagging added (see tests/support/moto_server.py)."""
    pytest.importorskip("moto.server", reason="install moto[server]")
    command = [sys.executable, str(REPO_ROOT / "tests" / "support" / "moto_server.py")]
    with run_moto(command, tmp_path_factory.mktemp("moto") / "moto_server.log") as endpoint:
        yield endpoint

"""Start and stop the test suite's moto server: one process per test session (per pytest-xdist worker).

Usage (the session fixture `moto_server` in tests/conftest.py does this)::

    with MotoServer.start(log_path) as server:
        server.reset()                  # every Terraform stack starts from an empty account
        endpoint = server.endpoint      # http://127.0.0.1:<free port>

The process runs tests/support/moto_server.py: stock moto_server plus the Application Auto Scaling tagging
calls that the AWS provider needs and moto lacks. Several stacks share one server; each fixture that applies a
stack calls reset() first, so a stack never sees another's resources.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SERVER_SCRIPT = Path(__file__).with_name("moto_server.py")
START_TIMEOUT = 30.0


class MotoServerError(Exception):
    """The moto server did not start or did not answer; the message holds the end of its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class MotoServer:
    endpoint: str
    log_path: Path

    @classmethod
    @contextlib.contextmanager
    def start(cls, log_path: Path) -> Iterator[MotoServer]:
        """Run the server on a free 127.0.0.1 port until the block ends; raise MotoServerError if it never answers."""
        port = free_port()
        command = [sys.executable, str(SERVER_SCRIPT), "-H", "127.0.0.1", "-p", str(port)]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, MOTO_CALL_RESET_API="false"),
            )
        server = cls(f"http://127.0.0.1:{port}", log_path)
        try:
            server._wait_until_ready(process)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise MotoServerError(f"moto server exited with {process.returncode}: {self.log_tail()}")
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise MotoServerError(
                        f"moto server did not answer on {self.endpoint} within {START_TIMEOUT:.0f} s: {self.log_tail()}"
                    ) from None
                time.sleep(0.1)

    def reset(self) -> None:
        """Forget every resource of every service (moto's reset API)."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=30).close()

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

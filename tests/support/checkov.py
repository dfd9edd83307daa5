"""checkov in its own venv under build/: created once, by whoever comes first, under a lock.

checkov and python-hcl2 cannot share an environment, so checkov never goes into the project venv.
`make test` starts the install in the background while the tests run::

    python tests/support/checkov.py        # install (or wait for another install) and print the binary

and the `checkov` fixture calls `installed_checkov()`, which waits on the same lock, so the slow install
overlaps with the rest of the suite instead of coming before it. pip writes the `checkov` script last, so
a venv without it is a failed or interrupted install and is rebuilt.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKOV_VERSION = "3.3.30"
CHECKOV_VENV = REPO_ROOT / "build" / f"venv-checkov-{CHECKOV_VERSION}"
CHECKOV = CHECKOV_VENV / "bin" / "checkov"
LOCK = REPO_ROOT / "build" / f"venv-checkov-{CHECKOV_VERSION}.lock"


class CheckovInstallError(Exception):
    """pip could not install checkov; the message holds the end of its output."""


def installed_checkov() -> Path:
    """The checkov binary, installing it first unless another process has (or is doing it now)."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not CHECKOV.exists():
            _install()
    return CHECKOV


def _install() -> None:
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(CHECKOV_VENV)], check=True)
    pip = [str(CHECKOV_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    result = subprocess.run(
        [*pip, f"checkov=={CHECKOV_VERSION}"], capture_output=True, text=True, timeout=1500, check=False
    )
    if result.returncode != 0 or not CHECKOV.exists():
        CHECKOV.unlink(missing_ok=True)
        raise CheckovInstallError(
            f"could not install checkov {CHECKOV_VERSION} into {CHECKOV_VENV}: {result.stderr[-2000:]}"
        )


if __name__ == "__main__":
    try:
        print(installed_checkov())
    except CheckovInstallError as error:
        sys.exit(str(error))

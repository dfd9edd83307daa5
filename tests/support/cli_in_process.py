"""`ddblint` invoked in the test process through click's CliRunner.

For tests whose subject is what ddblint decides (rule selection, configuration, suppressions, baselines, the scan
boundary, one entry per location): the same command, options, stdout, stderr and exit code as
`python -m ddblint`, without starting Python and importing ddblint and its rule libraries once more for every
run (parliament alone takes about 0.2 s of CPU to import). Tests about the process itself (exit codes of real
runs, streams, colours, output that must not depend on the hash seed, concurrent runs, `--help`) keep real
subprocess runs (tests/cli/conftest.py `ddblint`).
"""

from __future__ import annotations

import gc
import os
import subprocess
from pathlib import Path

from click.testing import CliRunner
from ddblint.cli import main

# As tests/cli/conftest.py does for subprocess runs: the report must not depend on the caller's colour settings.
_COLOR_VARIABLES = {"NO_COLOR": None, "FORCE_COLOR": None}


def run_ddblint(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`ddblint ARGS` run from `cwd`, as a CompletedProcess; an exception other than the CLI's exit propagates
    with its traceback (a real run would print it)."""
    arguments = [str(arg) for arg in args]
    previous_cwd = os.getcwd()
    gc_threshold = gc.get_threshold()  # `check` tunes the collector for the rest of its process
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, arguments, prog_name="ddblint", env=_COLOR_VARIABLES, catch_exceptions=False)
    finally:
        os.chdir(previous_cwd)
        gc.set_threshold(*gc_threshold)
    return subprocess.CompletedProcess(["ddblint", *arguments], result.exit_code, result.stdout, result.stderr)

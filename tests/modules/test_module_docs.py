"""The generated README tables (linter/scripts/module_docs.py) must match the code."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.support.terraform import REPO_ROOT

SCRIPT = REPO_ROOT / "linter" / "scripts" / "module_docs.py"
DOCUMENTED = [
    "modules/network",
    "modules/table",
    "modules/function",
    "modules/stream-consumer",
    "examples/complete",
    "examples/code-permissions",
]


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("config", DOCUMENTED)
def test_readme_tables_are_up_to_date(config):
    result = run_script("--check", str(REPO_ROOT / config))
    assert result.returncode == 0, (
        f"{config}/README.md drifted from its variables/outputs; run "
        f"`.venv/bin/python linter/scripts/module_docs.py` and commit:\n{result.stderr}"
    )


@pytest.mark.parametrize("config", DOCUMENTED)
def test_readme_has_hand_written_text_before_the_tables(config):
    text = (REPO_ROOT / config / "README.md").read_text()
    hand_written = text.split("<!-- BEGIN_TF_DOCS -->")[0]
    assert hand_written.startswith("# ")
    assert len(hand_written.split()) > 80, "explain the purpose, the usage and the safe defaults"
    assert "```hcl" in hand_written or "```sh" in hand_written, "show how to use it"


def test_check_fails_on_drift(tmp_path):
    module = tmp_path / "table"
    shutil.copytree(REPO_ROOT / "modules" / "table", module, ignore=shutil.ignore_patterns(".terraform", "tests"))
    with (module / "variables.tf").open("a") as handle:
        handle.write('\nvariable "added_later" {\n  description = "Not documented yet."\n  type        = string\n}\n')
    result = run_script("--check", str(module))
    assert result.returncode == 1
    assert "added_later" in result.stderr and "out of date" in result.stderr

    assert run_script(str(module)).returncode == 0  # regenerate
    assert run_script("--check", str(module)).returncode == 0
    text = (module / "README.md").read_text()
    assert "[added_later](#input_added_later) | Not documented yet. | `string` | n/a | yes |" in text


def test_check_fails_without_markers(tmp_path):
    module = tmp_path / "bare"
    module.mkdir()
    (module / "variables.tf").write_text('variable "x" {\n  type = string\n}\n')
    (module / "README.md").write_text("# bare\n")
    result = run_script("--check", str(module))
    assert result.returncode == 2
    assert "BEGIN_TF_DOCS" in result.stderr

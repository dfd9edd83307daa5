"""The pre-commit hook, run for real: a temporary git repo whose pre-commit config names this repository.

pre-commit installs ddblint from the repository's HEAD commit into its own environment, cached under
build/pre-commit/<commit>/ (older commits' stores are removed), so the first run after a commit takes a minute
and the later ones reuse it. (`pre-commit try-repo` would do the same, but into a new temporary store each run.)
Everything here runs pre-commit: marked `precommit`, left out of `make test-fast`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = [pytest.mark.precommit]

BAD = """\
resource "aws_iam_policy" "data" {
  name = "data"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}
"""
GOOD = """\
resource "aws_iam_policy" "data" {
  name = "data"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem"]
      Resource = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
    }]
  })
}
"""


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_hook_manifest_is_valid():
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    ids = {hook["id"]: hook for hook in hooks}
    assert ids["ddblint"]["entry"] == "ddblint pre-commit"
    assert ids["ddblint"]["language"] == "python"
    result = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", ".pre-commit-hooks.yaml"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def hook_rev() -> str:
    """HEAD, which pre-commit installs the hook from. No git or no checkout skips; no manifest in HEAD fails."""
    assert PRE_COMMIT.exists(), (
        f"{PRE_COMMIT} is missing: pre-commit is in the dev extra (make .venv/.installed-stamp installs it)"
    )
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("the repository is not a git checkout: pre-commit installs the hook from a commit")
    rev = git(REPO_ROOT, "rev-parse", "HEAD").strip()
    committed = subprocess.run(["git", "cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml"], cwd=REPO_ROOT, check=False)
    assert committed.returncode == 0, f".pre-commit-hooks.yaml is not in HEAD ({rev[:12]}): pre-commit installs from it"
    return rev


def pre_commit_home(rev: str) -> Path:
    """pre-commit's store for this commit; stores of other commits are removed (each holds a full install)."""
    base = REPO_ROOT / "build" / "pre-commit"
    home = base / rev[:12]
    if base.is_dir():
        for other in base.iterdir():
            if other != home and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    return home


def run_hook(target: Path, rev: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run` in target, on its staged files, with only this repository's ddblint hook at rev."""
    config = target.parent / "pre-commit-config.yaml"  # outside target: not one of the files it checks
    repo = {"repo": str(REPO_ROOT), "rev": rev, "hooks": [{"id": "ddblint"}]}
    config.write_text(yaml.safe_dump({"repos": [repo]}))
    env = dict(os.environ, PRE_COMMIT_HOME=str(pre_commit_home(rev)))
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--config", str(config), "--color", "never"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_a_bad_change_and_passes_on_a_good_one(hook_rev, tmp_path):
    target = tmp_path / "infra"
    (target / "stack").mkdir(parents=True)
    git(target, "init", "-q")
    (target / "stack" / "variables.tf").write_text('variable "name" {\n  type = string\n}\n')
    (target / "README.md").write_text("not Terraform\n")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "start")

    # A bad change: the hook fails and names the rule and the file:line.
    (target / "stack" / "policy.tf").write_text(BAD)
    git(target, "add", "stack/policy.tf")
    bad = run_hook(target, hook_rev)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "IAM101" in bad.stdout and "stack/policy.tf" in bad.stdout, bad.stdout

    # Another file of the same module changes: the whole directory is checked, so the finding stays.
    git(target, "commit", "-q", "--no-verify", "-m", "bad policy")
    (target / "stack" / "variables.tf").write_text('variable "name" {\n  type    = string\n  default = "x"\n}\n')
    git(target, "add", "stack/variables.tf")
    sibling = run_hook(target, hook_rev)
    assert sibling.returncode == 1 and "stack/policy.tf" in sibling.stdout, sibling.stdout

    # The good change: the hook passes.
    (target / "stack" / "policy.tf").write_text(GOOD)
    git(target, "add", "stack")
    good = run_hook(target, hook_rev)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

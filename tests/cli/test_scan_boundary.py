"""One scan boundary in every mode: `check`, `plan` and `pre-commit` follow what is inside it and report
what is outside it as DDB004, with the same findings. CLI runs (in-process: the subject is the boundary, not the
process) on a small git repository.

The probe: a root module calls `module "shared" { source = "../shared" }` (inside the repository) and reads
`file("../outside.json")`, a symlink to a file outside the repository. The plan is written by hand, with
what `terraform show -json` gives for it (the policy that Terraform read is known in the plan).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from ddblint.pipeline import scan_boundary

from tests.support.cli_in_process import run_ddblint

SHARED = """\
resource "aws_iam_role_policy" "p" {
  role = "r"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}
"""
ROOT = """\
module "shared" {
  source = "../shared"
}

resource "aws_iam_policy" "x" {
  name   = "x"
  policy = file("../outside.json")
}
"""
OUTSIDE_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def change(address: str, module_address: str, type_: str, name: str, after: dict) -> dict:
    return {
        "address": address,
        **({"module_address": module_address} if module_address else {}),
        "mode": "managed",
        "type": type_,
        "name": name,
        "change": {
            "actions": ["create"],
            "before": None,
            "after": after,
            "after_unknown": {"id": True, "arn": True},
            "after_sensitive": {},
            "before_sensitive": False,
        },
    }


PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.9.8",
    "variables": {},
    "planned_values": {"root_module": {}},
    "resource_changes": [
        change(
            "module.shared.aws_iam_role_policy.p",
            "module.shared",
            "aws_iam_role_policy",
            "p",
            {"role": "r", "policy": json.dumps({"Version": "2012-10-17", "Statement": []})},
        ),
        change("aws_iam_policy.x", "", "aws_iam_policy", "x", {"name": "x", "policy": json.dumps(OUTSIDE_POLICY)}),
    ],
    "configuration": {"root_module": {}},
}


@pytest.fixture
def probe(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is needed to make the probe repository")
    repo = tmp_path / "repo"
    (repo / "root").mkdir(parents=True)
    (repo / "shared").mkdir()
    (repo / "shared" / "main.tf").write_text(SHARED, encoding="utf-8")
    (repo / "root" / "main.tf").write_text(ROOT, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps(OUTSIDE_POLICY), encoding="utf-8")
    (repo / "outside.json").symlink_to(elsewhere)
    (repo / "plan.json").write_text(json.dumps(PLAN), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def findings(result: subprocess.CompletedProcess) -> list[tuple]:
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert document["errors"] == []
    return [(f["rule_id"], f["address"], f["file"], f["line"], f["root"], f["message"]) for f in document["findings"]]


def test_check_plan_and_pre_commit_give_the_same_findings(probe: Path) -> None:
    check = findings(run_ddblint(probe, "check", "root", "--no-cache", "--format", "json"))
    plan = findings(run_ddblint(probe, "plan", "plan.json", "--source", "root", "--format", "json"))
    # From a subdirectory the boundary is still the git work tree: same findings, same paths.
    from_inside = findings(run_ddblint(probe / "root", "check", ".", "--no-cache", "--format", "json"))
    pre_commit = run_ddblint(probe, "pre-commit", "root/main.tf", "--fail-on", "never")
    assert check == plan == from_inside
    assert [(rule, address, file, line, root) for rule, address, file, line, root, _ in check] == [
        ("DDB004", "root/main.tf", "root/main.tf", 7, "root"),
        ("IAM101", "module.shared.aws_iam_role_policy.p", "shared/main.tf", 5, "root"),
        ("IAM102", "module.shared.aws_iam_role_policy.p", "shared/main.tf", 5, "root"),
    ]
    # The plan knows the policy read from outside the repository; it stays unknown, as in check.
    assert "aws_iam_policy.x" not in {address for _, address, *_ in plan}
    assert pre_commit.returncode == 0, pre_commit.stderr
    for rule, _, file, line, *_ in check:
        assert f"{line}  " in pre_commit.stdout and rule in pre_commit.stdout and file in pre_commit.stdout


def test_a_module_outside_the_boundary_is_ddb004_in_check_and_plan(probe: Path) -> None:
    """Scanning from outside git: the boundary is the current directory, so ../shared is outside it."""
    subprocess.run(["rm", "-rf", str(probe / ".git")], check=True)
    check = findings(run_ddblint(probe / "root", "check", ".", "--no-cache", "--format", "json"))
    plan = findings(run_ddblint(probe / "root", "plan", "../plan.json", "--source", ".", "--format", "json"))
    assert check == plan
    assert [(rule, address, line) for rule, address, _, line, *_ in check] == [
        ("DDB004", "module.shared", 1),
        ("DDB004", "main.tf", 7),
    ]


def test_scan_boundary(tmp_path: Path, probe: Path) -> None:
    assert scan_boundary([probe / "root"], cwd=tmp_path) == probe.resolve()
    outside_git = tmp_path / "plain" / "stack"
    outside_git.mkdir(parents=True)
    assert scan_boundary([outside_git], cwd=tmp_path) == tmp_path.resolve()
    assert scan_boundary([outside_git], cwd=probe) == outside_git.resolve()


def test_a_shared_module_gives_one_finding_per_root(probe: Path) -> None:
    for name in ("prod", "dev"):
        (probe / "envs" / name).mkdir(parents=True)
        (probe / "envs" / name / "main.tf").write_text('module "shared" {\n  source = "../../shared"\n}\n')
    (probe / "root" / "main.tf").unlink()
    document = json.loads(run_ddblint(probe, "check", "envs", "--no-cache", "--format", "json").stdout)
    assert sorted((f["rule_id"], f["root"]) for f in document["findings"]) == [
        ("IAM101", "envs/dev"),
        ("IAM101", "envs/prod"),
        ("IAM102", "envs/dev"),
        ("IAM102", "envs/prod"),
    ]
    sarif = json.loads(run_ddblint(probe, "check", "envs", "--no-cache", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert sorted(r["properties"]["root"] for r in results) == ["envs/dev", "envs/dev", "envs/prod", "envs/prod"]
    assert len({next(iter(r["partialFingerprints"].values())) for r in results}) == 4
    # A baseline written with the prod findings still reports dev's.
    run_ddblint(probe, "check", "envs/prod", "--no-cache", "--write-baseline", "baseline.json")
    rest = json.loads(
        run_ddblint(probe, "check", "envs", "--no-cache", "--baseline", "baseline.json", "--format", "json").stdout
    )
    assert sorted((f["rule_id"], f["root"]) for f in rest["findings"]) == [
        ("IAM101", "envs/dev"),
        ("IAM102", "envs/dev"),
    ]


def test_a_suppression_at_one_roots_module_call_covers_only_that_root(probe: Path) -> None:
    (probe / "root" / "main.tf").unlink()
    calls = {"prod": "  # ddblint:ignore[IAM101,IAM102] prod's role is reviewed in SEC-1\n", "dev": ""}
    for name, comment in calls.items():
        (probe / "envs" / name).mkdir(parents=True)
        text = f'module "shared" {{\n{comment}  source = "../../shared"\n}}\n'
        (probe / "envs" / name / "main.tf").write_text(text, encoding="utf-8")
    document = json.loads(run_ddblint(probe, "check", "envs", "--no-cache", "--format", "json").stdout)
    assert sorted((f["rule_id"], f["root"]) for f in document["findings"]) == [
        ("IAM101", "envs/dev"),
        ("IAM102", "envs/dev"),
    ]
    assert document["summary"]["suppressed"] == 2

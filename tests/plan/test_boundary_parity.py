"""The scan-boundary probe with a real `terraform show -json` plan: the same findings in `check` and `plan`.

tests/cli/test_scan_boundary.py runs the same probe with a hand-written plan (no Terraform needed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.test_scan_boundary import OUTSIDE_POLICY, ROOT, SHARED

from .conftest import AWS_ENV, OVERRIDE_NAME, plans_with_terraform, provider_override


def findings(cwd: Path, *args: str) -> list[tuple]:
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", *args, "--format", "json"], cwd=cwd, capture_output=True, text=True
    )
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert document["errors"] == []
    return [(f["rule_id"], f["address"], f["file"], f["line"], f["root"], f["message"]) for f in document["findings"]]


@plans_with_terraform
def test_probe_gives_the_same_findings_with_a_real_plan(terraform, moto_server, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "root").mkdir(parents=True)
    (repo / "shared").mkdir()
    (repo / "shared" / "main.tf").write_text(SHARED, encoding="utf-8")
    (repo / "root" / "main.tf").write_text(ROOT, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps(OUTSIDE_POLICY), encoding="utf-8")
    (repo / "outside.json").symlink_to(elsewhere)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "root" / OVERRIDE_NAME).write_text(provider_override(moto_server.endpoint), encoding="utf-8")
    terraform.init(repo / "root", env=AWS_ENV)
    plan = terraform.show_plan_json(repo / "root", env=AWS_ENV)
    # Terraform read the file outside the repository: the plan knows the policy.
    [policy] = [c for c in plan["resource_changes"] if c["address"] == "aws_iam_policy.x"]
    assert json.loads(policy["change"]["after"]["policy"])["Statement"][0]["Action"] == "s3:*"
    (repo / "plan.json").write_text(json.dumps(plan), encoding="utf-8")

    check = findings(repo, "check", "root", "--no-cache")
    assert findings(repo, "plan", "plan.json", "--source", "root") == check
    assert [(rule, address, root) for rule, address, _, _, root, _ in check] == [
        ("DDB004", "root/main.tf", "root"),
        ("IAM101", "module.shared.aws_iam_role_policy.p", "root"),
        ("IAM102", "module.shared.aws_iam_role_policy.p", "root"),
    ]

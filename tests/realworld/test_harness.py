"""The logic of the real-world harness (linter/scripts/realworld.py), without network, mirrors or ddblint runs.

Manifest validation, local-module discovery, how one ddblint run is classified, the summary it builds, and the diff
against a committed summary. One test builds a two-commit git repository in a temporary directory to check the
extraction from a mirror (skipped without git).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "linter" / "scripts" / "realworld.py"
_spec = importlib.util.spec_from_file_location("realworld", SCRIPT)
realworld = importlib.util.module_from_spec(_spec)
sys.modules["realworld"] = realworld  # dataclasses resolve their module by name
_spec.loader.exec_module(realworld)

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def entry_toml(name="acme/stack", commit=COMMIT, folders='["infra"]', extra=""):
    return f'[[repository]]\nname = "{name}"\ncommit = "{commit}"\nfolders = {folders}\n{extra}'


def test_manifest_entries_are_read_and_folders_normalized():
    text = entry_toml(folders='["infra/./app/", "."]', extra='note = "why"\n') + entry_toml(name="other/repo")
    entries = realworld.parse_manifest(text)
    assert entries == [
        realworld.Entry("acme/stack", COMMIT, ("infra/app", "."), "why"),
        realworld.Entry("other/repo", COMMIT, ("infra",), ""),
    ]
    assert entries[0].slug == "acme+stack"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (entry_toml(name="no-owner"), "name must be owner/name"),
        (entry_toml(commit="abc123"), "commit must be 40"),
        (entry_toml(commit=COMMIT.upper()), "commit must be 40"),
        (entry_toml(folders="[]"), "non-empty list"),
        (entry_toml(folders='["/etc"]'), "relative POSIX path"),
        (entry_toml(folders='["a/../../b"]'), "leaves the repository"),
        (entry_toml(folders='["a", "a/"]'), "listed twice"),
        (entry_toml() + entry_toml(name="ACME/stack"), "listed twice"),
        (entry_toml(extra='folder = "x"\n'), "unknown keys"),
        ('[[repo]]\nname = "a/b"\n', "unknown top-level keys"),
        ("", "lists no repository"),
        ("[[repository]\n", "not valid TOML"),
    ],
)
def test_manifest_errors_name_the_problem(text, complaint):
    with pytest.raises(realworld.ManifestError, match=complaint):
        realworld.parse_manifest(text)


def test_committed_manifest_is_valid_and_large_enough():
    entries = realworld.load_manifest(realworld.MANIFEST)
    assert len(entries) >= 20


def test_local_module_sources_resolve_against_the_calling_folder():
    text = """
module "a" {
  source = "./modules/a"
}
module "b" {
  source  = "../shared/b//sub"
}
module "registry" {
  source  = "terraform-aws-modules/lambda/aws"
}
module "outside" {
  source = "../../../elsewhere"
}
"""
    assert realworld.local_module_sources(text, "env/prod") == {"env/prod/modules/a", "env/shared/b"}


def ddblint_json(findings=(), errors=()):
    return json.dumps({"tool": "ddblint", "version": "0", "findings": list(findings), "errors": list(errors)})


FINDING = {
    "rule_id": "IAM105",
    "rule_name": "invalid-policy",
    "severity": "error",
    "address": "aws_iam_policy.p",
    "file": "infra/iam.tf",
    "line": 3,
    "message": "m",
    "fix": "f",
}


def test_a_run_with_findings_and_input_errors_is_no_crash():
    stdout = ddblint_json([FINDING], [{"file": "infra/x.tf", "line": 1, "message": "unexpected '\\r'"}])
    result = realworld.interpret_run("infra", 2, stdout, "")
    assert result.crashes == []
    assert result.input_errors == [{"file": "infra/x.tf", "line": 1, "message": "unexpected '\\r'"}]
    assert result.findings == [
        {"rule": "IAM105", "address": "aws_iam_policy.p", "file": "infra/iam.tf", "line": 3, "message": "m"}
    ]
    assert result.rule_counts() == {"IAM105": 1}


@pytest.mark.parametrize(
    ("exit_code", "stdout", "stderr", "crash"),
    [
        (
            1,
            ddblint_json(errors=[{"file": "m", "line": 0, "message": "internal error in rule RTY401: KeyError"}]),
            "",
            "m: internal error in rule RTY401: KeyError",
        ),
        (1, "Error: boom", "Traceback (most recent call last):\n  File x\nKeyError: 'a'\n", "traceback: KeyError: 'a'"),
        (None, "", "", "timed out"),
        (3, ddblint_json(), "Aborted!", "unexpected exit code 3"),
    ],
)
def test_crashes_are_recognised(exit_code, stdout, stderr, crash):
    result = realworld.interpret_run("infra", exit_code, stdout, stderr)
    assert any(text.startswith(crash) for text in result.crashes), result.crashes
    assert result.input_errors == []


def test_absolute_paths_of_the_checkout_are_made_relative(tmp_path):
    checkout = tmp_path / "acme+stack@0"
    checkout.mkdir()
    error = {"file": "infra/a.tf", "line": 2, "message": f"cannot read {checkout.resolve()}/infra/policy.json"}
    stderr = f"Traceback (most recent call last):\nOSError: {checkout.resolve()}\n"
    result = realworld.interpret_run("infra", 2, ddblint_json(errors=[error]), stderr, checkout=checkout)
    assert result.input_errors == [{"file": "infra/a.tf", "line": 2, "message": "cannot read infra/policy.json"}]
    assert result.crashes == ["traceback: OSError: ."]


def folder_result(folder, findings):
    return realworld.FolderResult(folder=folder, exit_code=1 if findings else 0, findings=findings)


def finding(rule, address="aws_x.y", line=1):
    return {"rule": rule, "address": address, "file": "main.tf", "line": line, "message": "m"}


def entry(name):
    return realworld.Entry(name, COMMIT, (".",))


def test_summary_is_sorted_and_totals_every_repository():
    first = realworld.EntryResult(
        entry("b/b"), folders=[folder_result(".", [finding("RTY401", line=9), finding("IAM101")])]
    )
    second = realworld.EntryResult(entry("a/a"), folders=[folder_result(".", [finding("IAM101")])])
    summary = realworld.merge_summary(None, [first, second], [entry("a/a"), entry("b/b")])
    assert list(summary["repositories"]) == ["a/a", "b/b"]
    assert summary["totals"] == {
        "findings": 3,
        "findings_per_rule": {"IAM101": 2, "RTY401": 1},
        "input_errors": 0,
        "crashes": 0,
    }
    lines = [f["line"] for f in summary["repositories"]["b/b"]["folders"]["."]["findings"]]
    assert lines == [1, 9]
    # No timings and no absolute paths: the same results render to the same text.
    again = realworld.merge_summary(None, [second, first], [entry("a/a"), entry("b/b")])
    assert realworld.render_summary(summary) == realworld.render_summary(again)


def test_repositories_not_run_keep_their_committed_results():
    committed = realworld.merge_summary(
        None, [realworld.EntryResult(entry("a/a"), folders=[folder_result(".", [finding("IAM101")])])], [entry("a/a")]
    )
    not_fetched = realworld.EntryResult(entry("a/a"), status=realworld.NOT_FETCHED)
    merged = realworld.merge_summary(committed, [not_fetched], [entry("a/a"), entry("c/c")])
    assert merged == committed
    # A repository dropped from the manifest leaves the summary.
    assert realworld.merge_summary(committed, [], [entry("c/c")])["repositories"] == {}


def test_diff_lists_new_and_removed_findings_with_address_and_line():
    old = realworld.merge_summary(
        None,
        [realworld.EntryResult(entry("a/a"), folders=[folder_result(".", [finding("IAM105", "aws_iam_policy.p", 4)])])],
        [entry("a/a")],
    )
    new = realworld.merge_summary(
        None,
        [realworld.EntryResult(entry("a/a"), folders=[folder_result(".", [finding("RTY401", "aws_m.m", 7)])])],
        [entry("a/a")],
    )
    assert realworld.diff_summaries(old, old, ["a/a"]) == []
    assert realworld.diff_summaries(old, new, ["a/a"]) == [
        "a/a .: + finding RTY401 aws_m.m main.tf:7: m",
        "a/a .: - finding IAM105 aws_iam_policy.p main.tf:4: m",
    ]
    assert realworld.rule_delta(old, new) == {"IAM105": (1, 0), "RTY401": (0, 1)}
    # Only the repositories that ran are compared.
    assert realworld.diff_summaries(old, new, []) == []


def test_diff_reports_input_errors_crashes_and_exit_codes():
    clean = realworld.FolderResult(folder="infra", exit_code=0)
    broken = realworld.FolderResult(
        folder="infra",
        exit_code=2,
        input_errors=[{"file": "infra/a.tf", "line": 1, "message": "unexpected"}],
        crashes=["infra: internal error in rule X"],
    )
    old = realworld.merge_summary(None, [realworld.EntryResult(entry("a/a"), folders=[clean])], [entry("a/a")])
    new = realworld.merge_summary(None, [realworld.EntryResult(entry("a/a"), folders=[broken])], [entry("a/a")])
    assert realworld.diff_summaries(old, new, ["a/a"]) == [
        "a/a infra: exit code 0 -> 2",
        "a/a infra: + input error infra/a.tf:1: unexpected",
        "a/a infra: + crash infra: internal error in rule X",
    ]


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("tar") is None, reason="needs git and tar")
def test_extraction_takes_the_pinned_commit_and_the_local_modules_it_calls(tmp_path):
    work = tmp_path / "work"
    (work / "env").mkdir(parents=True)
    (work / "modules" / "fn").mkdir(parents=True)
    (work / "unrelated").mkdir()
    (work / "env" / "main.tf").write_text('module "fn" {\n  source = "../modules/fn"\n}\n')
    (work / "modules" / "fn" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    (work / "unrelated" / "main.tf").write_text("# not needed\n")
    git(work, "init", "-q")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    pinned = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True).stdout.strip()
    (work / "env" / "main.tf").write_text("# changed after the pinned commit\n")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "two")

    mirror = tmp_path / "mirror"
    (mirror / "acme+stack").mkdir(parents=True)
    shutil.move(str(work), mirror / "acme+stack" / "repo")  # a clone with a work tree: repo/.git
    pinned_entry = realworld.Entry("acme/stack", pinned, ("env", "gone"))
    git_dir = realworld.mirror_git_dir(mirror, pinned_entry)
    assert git_dir == mirror / "acme+stack" / "repo" / ".git"

    target = realworld.cache_dir_for(tmp_path / "cache", pinned_entry)
    assert realworld.extract(git_dir, pinned_entry, target) == ["gone"]
    assert (target / "env" / "main.tf").read_text().startswith('module "fn"')
    assert (target / "modules" / "fn" / "main.tf").is_file()
    assert not (target / "unrelated").exists()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial directory left behind

    assert realworld.mirror_git_dir(tmp_path / "nowhere", pinned_entry) is None


FAKE_DDBLINT = """
import json, sys
folder = sys.argv[2]
finding = {"rule_id": "RTY401", "rule_name": "n", "severity": "error", "address": "aws_m.m",
           "file": folder + "/main.tf", "line": 1, "message": "m", "fix": ""}
print(json.dumps({"findings": [finding], "errors": []}))
sys.exit(1)
"""


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("tar") is None, reason="needs git and tar")
def test_a_run_updates_then_matches_the_summary_and_reports_missing_mirrors(tmp_path, monkeypatch, capsys):
    work = tmp_path / "mirror" / "acme+stack" / "repo"
    (work / "infra").mkdir(parents=True)
    (work / "infra" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    git(work, "init", "-q")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True).stdout.strip()
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entry_toml(commit=commit) + entry_toml(name="gone/repo"))
    fake = tmp_path / "fake_ddblint.py"
    fake.write_text(FAKE_DDBLINT)
    summary = tmp_path / "summary.json"
    monkeypatch.setenv("DDBLINT_REALWORLD_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("DDBLINT_REALWORLD_CACHE", str(tmp_path / "cache"))
    args = ["--manifest", str(manifest), "--summary", str(summary), "--ddblint", f"{sys.executable} {fake}"]

    # gone/repo has no mirror: the run is incomplete (2), but the summary is written for acme/stack.
    assert realworld.main([*args, "--update"]) == 2
    written = json.loads(summary.read_text())
    assert written["totals"]["findings_per_rule"] == {"RTY401": 1}
    assert "not fetched" in capsys.readouterr().out

    assert realworld.main([*args, "--only", "acme/stack"]) == 0
    assert "no change against the committed summary" in capsys.readouterr().out

    written["repositories"]["acme/stack"]["folders"]["infra"]["findings"][0]["line"] = 9
    summary.write_text(json.dumps(written))
    assert realworld.main([*args, "--only", "acme/stack", "-j", "2"]) == 1
    out = capsys.readouterr().out
    assert "+ finding RTY401 aws_m.m infra/main.tf:1: m" in out
    assert "- finding RTY401 aws_m.m infra/main.tf:9: m" in out

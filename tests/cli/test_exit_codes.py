"""Exit codes 0/1/2 and input errors, through `python -m ddblint check` in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CLEAN_POLICY, WILDCARD_LINE, WILDCARD_POLICY, ddblint, write_tree


def test_clean_directory_exits_0(clean_dir: Path) -> None:
    result = ddblint(clean_dir, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_error_findings_exit_1(wildcard_dir: Path) -> None:
    result = ddblint(wildcard_dir, "check")
    assert result.returncode == 1
    assert "IAM101" in result.stdout and "IAM102" in result.stdout
    assert result.stderr == ""


def test_fail_on_never_exits_0(wildcard_dir: Path) -> None:
    assert ddblint(wildcard_dir, "check", "--fail-on", "never").returncode == 0


def test_warnings_only_exit_0_by_default_and_1_with_fail_on_warning(warning_dir: Path) -> None:
    default = ddblint(warning_dir, "check")
    assert default.returncode == 0, default.stdout
    assert "IAM103" in default.stdout
    assert ddblint(warning_dir, "check", "--fail-on", "warning").returncode == 1


def test_missing_path_exits_2(clean_dir: Path) -> None:
    result = ddblint(clean_dir, "check", "does-not-exist")
    assert result.returncode == 2
    assert "does-not-exist" in result.stderr


def test_unknown_format_exits_2(clean_dir: Path) -> None:
    result = ddblint(clean_dir, "check", "--format", "xml")
    assert result.returncode == 2
    assert "xml" in result.stderr


def test_config_with_unknown_key_exits_2(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": CLEAN_POLICY, "conf/ddblint.toml": 'bogus_key = ["x"]\n'})
    result = ddblint(tmp_path, "check", "--config", "conf/ddblint.toml")
    assert result.returncode == 2
    assert "bogus_key" in result.stderr


def test_config_in_root_with_unknown_key_exits_2(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": CLEAN_POLICY, ".ddblint.toml": "selct = ['IAM']\n"})
    result = ddblint(tmp_path, "check")
    assert result.returncode == 2
    assert "selct" in result.stderr


def test_missing_config_file_exits_2(clean_dir: Path) -> None:
    result = ddblint(clean_dir, "check", "--config", "nope.toml")
    assert result.returncode == 2
    assert "nope.toml" in result.stderr


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(
        tmp_path_factory.mktemp("broken"),
        {
            "main.tf": WILDCARD_POLICY,
            "broken.tf": 'resource "aws_iam_policy" "x" {\n  name =\n}\n',
            "latin1.tf": b'resource "aws_iam_policy" "y" {\n  name = "caf\xe9"\n}\n',
            "blob.tf": b"\x00\x01\x02binary\x00" * 20,
        },
    )


def test_unreadable_files_exit_2_and_the_others_are_still_checked(broken_dir: Path) -> None:
    result = ddblint(broken_dir, "check", "--format", "json")
    assert result.returncode == 2
    document = json.loads(result.stdout)
    rules = {(f["rule_id"], f["file"], f["line"]) for f in document["findings"]}
    assert rules == {("IAM101", "main.tf", WILDCARD_LINE), ("IAM102", "main.tf", WILDCARD_LINE)}
    errors = {e["file"]: e for e in document["errors"]}
    assert set(errors) == {"broken.tf", "latin1.tf", "blob.tf"}
    assert errors["broken.tf"]["line"] == 2
    assert errors["latin1.tf"]["line"] == 2
    assert "UTF-8" in errors["latin1.tf"]["message"]
    assert "binary" in errors["blob.tf"]["message"]
    # The errors also go to stderr as file:line: so editors can jump there.
    assert "broken.tf:2: error:" in result.stderr
    assert "latin1.tf:2: error:" in result.stderr
    assert "blob.tf:0: error:" in result.stderr or "blob.tf:1: error:" in result.stderr


def test_malformed_file_error_in_text_output(broken_dir: Path) -> None:
    result = ddblint(broken_dir, "check", "broken.tf")
    assert result.returncode == 2
    assert "broken.tf:2: error:" in result.stderr


def test_invalid_policy_json_named_explicitly_exits_2(tmp_path: Path) -> None:
    write_tree(tmp_path, {"policy.json": '{"Version": "2012-10-17", "Statement": [\n  {"Effect": }\n'})
    result = ddblint(tmp_path, "check", "policy.json", "--format", "json")
    assert result.returncode == 2
    (error,) = json.loads(result.stdout)["errors"]
    assert error["file"] == "policy.json"
    assert error["line"] == 2
    assert "policy.json:2: error:" in result.stderr


def test_broken_json_that_is_not_a_policy_is_ignored_in_a_tree(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": CLEAN_POLICY, ".vscode/settings.json": "{ // comment\n}"})
    result = ddblint(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_standalone_policy_json_is_checked(tmp_path: Path) -> None:
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    write_tree(tmp_path, {"policies/admin.json": json.dumps(policy, indent=2)})
    result = ddblint(tmp_path, "check", "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["rule_id"], f["file"]) for f in findings) == [
        ("IAM101", "policies/admin.json"),
        ("IAM102", "policies/admin.json"),
    ]


def test_a_directory_without_terraform_or_policies_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_tree(tmp_path, {"docs/package.json": '{"name": "not a policy"}', "docs/README.md": "# docs\n"})
    for path in ("empty", "docs"):
        result = ddblint(tmp_path, "check", path, "--no-cache")
        assert result.returncode == 2, result.stdout
        assert result.stdout == ""
        assert result.stderr == f"ddblint: no .tf files (nor IAM policy JSON files) under {path}/: nothing to check\n"


def test_the_current_directory_without_terraform_is_a_usage_error(tmp_path: Path) -> None:
    result = ddblint(tmp_path, "check", "--no-cache", "--format", "json")
    assert result.returncode == 2
    assert "no .tf files (nor IAM policy JSON files) under .: nothing to check" in result.stderr


def test_a_directory_of_only_excluded_terraform_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"legacy/main.tf": WILDCARD_POLICY, ".ddblint.toml": 'exclude = ["legacy/**"]\n'})
    assert ddblint(tmp_path, "check", "--no-cache").returncode == 2


def test_the_hook_on_files_that_hold_no_policy_passes(tmp_path: Path) -> None:
    """pre-commit runs the hook on every staged JSON file; one that is not a policy is not a mistake."""
    write_tree(tmp_path, {"package.json": '{"name": "web"}'})
    result = ddblint(tmp_path, "pre-commit", "package.json")
    assert result.returncode == 0, result.stdout + result.stderr

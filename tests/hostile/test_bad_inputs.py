"""Bad input never crashes, and one broken file never hides the findings in the others.

Every case sits next to a real defect (REAL_DEFECT in good/main.tf); each bad file must give a clear
`file:line: message` input error (or be ignored when it is not ours to judge), and the defect is still reported.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ddblint.loaders import terraform as terraform_loader

from .conftest import REAL_DEFECT, REAL_DEFECT_LINE, check, cli, ids_at, json_report, write_tree

DEEP = 3000
# name -> (files, the bad file, the message it must give (None: not an error, only no crash))
CASES: dict[str, tuple[dict[str, str | bytes], str, str | None]] = {
    "truncated": ({"bad/main.tf": 'resource "aws_iam_role" "r" {\n  name = "x'}, "bad/main.tf", "end of file"),
    "malformed": ({"bad/main.tf": 'resource "a" "b" {\n  x = = 1\n}\n'}, "bad/main.tf", "unexpected"),
    "binary": ({"bad/main.tf": bytes(range(256)) * 4}, "bad/main.tf", "binary file"),
    "invalid_utf8": ({"bad/main.tf": b'locals {\n  x = "\xff\xfe"\n}\n'}, "bad/main.tf", "not valid UTF-8"),
    "empty": ({"bad/main.tf": ""}, "bad/main.tf", None),
    "whitespace_only": ({"bad/main.tf": "\n\n   \t\n"}, "bad/main.tf", None),
    "deep_parens": (
        {"bad/main.tf": "locals {\n  x = " + "(" * DEEP + "1" + ")" * DEEP + "\n}\n"},
        "bad/main.tf",
        "nesting too deep",
    ),
    "deep_list": (
        {"bad/main.tf": "locals {\n  x = " + "[" * DEEP + "]" * DEEP + "\n}\n"},
        "bad/main.tf",
        "nesting too deep",
    ),
    "deep_object": (
        {"bad/main.tf": "locals {\n  x = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n}\n"},
        "bad/main.tf",
        "nesting too deep",
    ),
    "deep_json": ({"bad/p.json": '{"Statement": ' + "[" * DEEP + "]" * DEEP + "}"}, "bad/p.json", "nested deeper"),
    "duplicate_json_keys": (
        {"bad/p.json": '{"Version": "2012-10-17",\n "Statement": [],\n "Statement": []}'},
        "bad/p.json",
        "duplicate key 'Statement'",
    ),
    "invalid_policy_json": ({"bad/p.json": '{"Statement": [\n  {"Effect": "Allow",\n'}, "bad/p.json", "invalid JSON"),
    "binary_json": ({"bad/p.json": b'{"Statement": "\x00\x01'}, "bad/p.json", None),
    "bad_tfvars": (
        {"bad/main.tf": 'variable "x" {}\n', "bad/terraform.tfvars": "x = {\n"},
        "bad/terraform.tfvars",
        "end of file",
    ),
    "directory_named_tf": ({"bad/dir.tf/main.tf": "locals {\n  a = 1\n}\n"}, "bad/dir.tf/main.tf", None),
}

SHAPES = {
    # Policy documents of the wrong shape: reported by IAM105 as findings (or checked), never a crash.
    "statement_object": '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}}',
    "statement_string": '{"Statement": "x"}',
    "statement_junk_list": '{"Statement": [1, null, "x", [], {"Action": 5}, {"Effect": []}, {"Action": {"a": 1}}]}',
    "action_string_no_effect": '{"Statement": [{"Action": "dynamodb:GetItem", "Resource": "*"}]}',
    "action_list_of_junk": '{"Statement": [{"Effect": "Allow", "Action": [1, null, {}], "Resource": [[]]}]}',
    "condition_junk": '{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": [1]}]}',
    "top_level_list": '[{"Statement": []}]',
    "version_junk": '{"Version": {"a": 1}, "Statement": []}',
}

HCL_SHAPES = """\
resource "aws_iam_policy" "object_statement" {
  policy = jsonencode({ Statement = { Effect = "Allow", Action = 5, Resource = ["*", 3, null] } })
}
resource "aws_iam_policy" "junk" {
  policy = jsonencode({ Statement = [{ Effect = ["Allow"], Action = { a = 1 }, Condition = "x" }] })
}
resource "aws_iam_policy" "not_json" {
  policy = "not json{"
}
resource "aws_iam_policy" "list" {
  policy = jsonencode([1, 2])
}
resource "aws_lambda_function" "f" {
  timeout     = [1]
  memory_size = { a = 1 }
  role        = 5
}
resource "aws_lambda_event_source_mapping" "m" {
  function_name    = [1]
  event_source_arn = { x = 1 }
  batch_size       = "abc"
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({ Statement = "everyone" })
}
"""


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_an_error_and_the_defect_is_still_found(tmp_path: Path, name: str) -> None:
    files, bad, message = CASES[name]
    write_tree(tmp_path, {**files, "good/main.tf": REAL_DEFECT})
    report = check(tmp_path)
    assert ids_at(report, "good/main.tf") == {"IAM101", "IAM102"}
    errors = [e for e in report.errors if e.file == bad]
    if message is None:
        assert not errors, errors
    else:
        assert len(errors) == 1 and message in errors[0].message, report.errors
        assert len(errors[0].message) < 200
    assert [e for e in report.errors if e.file != bad] == []


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_policy_json_of_the_wrong_shape_never_crashes(tmp_path: Path, name: str) -> None:
    write_tree(tmp_path, {"p.json": SHAPES[name], "good/main.tf": REAL_DEFECT})
    report = check(tmp_path)
    assert not report.errors, report.errors
    assert ids_at(report, "good/main.tf") == {"IAM101", "IAM102"}


def test_hcl_values_of_the_wrong_shape_never_crash(tmp_path: Path) -> None:
    write_tree(tmp_path, {"bad/main.tf": HCL_SHAPES, "good/main.tf": REAL_DEFECT})
    report = check(tmp_path)
    assert not report.errors, report.errors  # "internal error in rule ..." would be one
    assert "IAM105" in ids_at(report, "bad/main.tf")
    assert ids_at(report, "good/main.tf") == {"IAM101", "IAM102"}


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is checked from the size alone; a real 50 MB file is tested through the CLI below."""
    monkeypatch.setattr(terraform_loader, "MAX_FILE_BYTES", 1000)
    write_tree(tmp_path, {"bad/main.tf": "# " + "x" * 2000 + "\n", "good/main.tf": REAL_DEFECT})
    monkeypatch.setattr(terraform_loader, "MAX_FILE_BYTES", len(REAL_DEFECT) + 10)
    report = check(tmp_path)
    assert [(e.file, "over the" in e.message) for e in report.errors] == [("bad/main.tf", True)]
    assert ids_at(report, "good/main.tf") == {"IAM101", "IAM102"}


def test_unreadable_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission errors are simulated (the suite may run as root, who can read anything)."""
    write_tree(tmp_path, {"locked/main.tf": REAL_DEFECT, "closed/main.tf": REAL_DEFECT, "good/main.tf": REAL_DEFECT})
    locked = (tmp_path / "locked" / "main.tf").resolve()
    closed = (tmp_path / "closed").resolve()
    real_read_bytes, real_listdir = Path.read_bytes, os.listdir

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == locked:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    def listdir(path=None):
        if path is not None and Path(path).resolve() == closed:
            raise PermissionError(13, "Permission denied")
        return real_listdir(path) if path is not None else real_listdir()

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(terraform_loader.os, "listdir", listdir)
    report = check(tmp_path)
    messages = {(e.file, e.message) for e in report.errors}
    assert ("locked/main.tf", "cannot read: Permission denied") in messages
    assert ("closed", "cannot read directory: Permission denied") in messages
    assert ids_at(report, "good/main.tf") == {"IAM101", "IAM102"}


def test_symlink_loop_and_dangling_symlink(tmp_path: Path) -> None:
    write_tree(tmp_path, {"loop/main.tf": REAL_DEFECT})
    os.symlink(tmp_path / "loop", tmp_path / "loop" / "again")
    os.symlink(tmp_path / "loop" / "again", tmp_path / "loop" / "twice")
    os.symlink(tmp_path / "nowhere.tf", tmp_path / "loop" / "dangling.tf")
    os.symlink(tmp_path / "self.tf", tmp_path / "self.tf")
    report = check(tmp_path)
    assert not report.errors
    assert ids_at(report, "loop/main.tf") == {"IAM101", "IAM102"}
    assert len([f for f in report.findings if f.rule_id == "IAM101"]) == 1


def test_repository_with_every_bad_input_exits_2_and_reports_the_defect(tmp_path: Path) -> None:
    """The issue's acceptance test, through the CLI: every bad file listed, the real defect still reported."""
    files: dict[str, str | bytes] = {"good/main.tf": REAL_DEFECT}
    expected_bad = set()
    for name, (case_files, bad, message) in CASES.items():
        for rel, content in case_files.items():
            files[f"{name}/{rel}"] = content
        if message is not None:
            expected_bad.add(f"{name}/{bad}")
    for name, text in SHAPES.items():
        files[f"shapes/{name}.json"] = text
    files["shapes/main.tf"] = HCL_SHAPES
    write_tree(tmp_path, files)
    huge = tmp_path / "huge" / "main.tf"
    huge.parent.mkdir()
    with huge.open("wb") as handle:  # 50 MB, written at test time
        handle.write(b"# padding\n" * (5 * 1024 * 1024))
    expected_bad.add("huge/main.tf")
    os.symlink(tmp_path / "good", tmp_path / "good" / "loop")
    result = cli(tmp_path, "check", "--no-cache", "--format", "json")
    assert result.returncode == 2, result.stderr
    document = json_report(result)
    assert {e["file"] for e in document["errors"]} == expected_bad
    for error in document["errors"]:
        assert f"{error['file']}:{error['line']}: error: {error['message']}" in result.stderr
    defect = {(f["rule_id"], f["line"]) for f in document["findings"] if f["file"] == "good/main.tf"}
    assert defect == {("IAM101", REAL_DEFECT_LINE), ("IAM102", REAL_DEFECT_LINE)}

"""CRLF line endings and a UTF-8 byte order mark are normal input (a repository saved on Windows)."""

from __future__ import annotations

from pathlib import Path

from .conftest import load, load_model

POLICY_FILE = (
    'resource "aws_iam_policy" "p" {\n'
    "  policy = <<EOT\n"
    '{"Version": "2012-10-17",\n'
    ' "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n'
    "EOT\n"
    "}\n"
    'resource "aws_lambda_function" "f" {\n'
    '  function_name = "f"\n'
    "  timeout       = 30\n"
    "}\n"
)


def _write(root: Path, name: str, text: str, *, bom: bool) -> Path:
    data = text.replace("\n", "\r\n").encode("utf-8")
    (root / name).write_bytes(b"\xef\xbb\xbf" + data if bom else data)
    return root


def test_crlf_and_bom_file_loads_with_its_line_numbers(tmp_path: Path) -> None:
    model = load_model(_write(tmp_path, "main.tf", POLICY_FILE, bom=True))
    function = model.resource("aws_lambda_function.f")
    assert function.value("timeout") == 30
    assert function.location_of("timeout").line == 9
    policy = model.resource("aws_iam_policy.p").value("policy")
    assert str(policy).startswith('{"Version": "2012-10-17",\n "Statement": ')
    assert "\r" not in str(policy)


def test_crlf_file_with_a_real_syntax_error_reports_its_line(tmp_path: Path) -> None:
    text = POLICY_FILE + 'resource "aws_sqs_queue" "q" {\n  name = "q"\n  = broken\n}\n'
    result = load(_write(tmp_path, "main.tf", text, bom=False))
    assert [(error.file, error.line) for error in result.errors] == [("main.tf", 13)]

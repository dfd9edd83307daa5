"""GitHub Actions workflow commands and their escaping."""

from __future__ import annotations

from ddblint.findings import Finding, InputError, Location, Report, Severity
from ddblint.reporters import render
from ddblint.reporters.github import escape_data, escape_property


def test_data_escaping():
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"


def test_property_escaping_also_covers_colon_and_comma():
    assert escape_property("C:/x, y%\n") == "C%3A/x%2C y%25%0A"


def test_percent_is_escaped_first():
    assert escape_data("%0A") == "%250A"


def test_one_command_per_finding_and_error_then_a_summary(sample_report, rules):
    lines = render("github", sample_report, rules).splitlines()
    assert len(lines) == len(sample_report.findings) + len(sample_report.errors) + 1
    assert lines[0] == "::error file=modules/broken/main.tf,line=7::unexpected token '}': expected an attribute"
    assert lines[1].startswith("::error file=plan.json::")
    assert lines[-1] == "2 errors, 2 warnings, 1 info in 6 files (1 suppressed, 2 baselined); 2 input errors"
    assert not lines[-1].startswith("::")


def test_finding_command_with_escaped_properties_and_message(sample_report, rules):
    lines = render("github", sample_report, rules).splitlines()
    escaped = next(line for line in lines if "stacks/" in line)
    assert escaped == (
        "::warning file=stacks/prod%2C eu/main.tf,line=5,title=TST902 timeout-absent::"
        "100%25 of the budget: 3 retries → 30 s%0Aexceed the 25 s timeout | see `AWS_MAX_ATTEMPTS`: 3"
        " Fix: lower AWS_MAX_ATTEMPTS, or raise timeout to ≥ 35 s"
    )


def test_severities_map_to_error_warning_notice(rules):
    findings = [
        Finding("TST90X", "x", severity, "aws_s3_bucket.b", Location("b.tf", 1), "m", "f") for severity in Severity
    ]
    commands = [line.split(" ", 1)[0] for line in render("github", Report(findings, [], "0"), rules).splitlines()]
    assert commands[:3] == ["::error", "::warning", "::notice"]


def test_line_zero_and_missing_fix_are_left_out(rules):
    report = Report(
        [Finding("TST90X", "x", Severity.INFO, "a.b", Location("b.tf", 0), "only a message")],
        [InputError("c.tf", 0, "unreadable")],
        "0",
    )
    lines = render("github", report, rules).splitlines()
    assert lines[:2] == ["::error file=c.tf::unreadable", "::notice file=b.tf,title=TST90X x::only a message"]

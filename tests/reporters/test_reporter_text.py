"""Text output: grouped by file, readable, coloured only when asked."""

from __future__ import annotations

from ddblint.findings import Report
from ddblint.reporters import render

ESCAPE = "\x1b["


def test_no_colour_by_default(sample_report, rules):
    assert ESCAPE not in render("text", sample_report, rules)


def test_colour_when_asked(sample_report, rules):
    coloured = render("text", sample_report, rules, color=True)
    assert ESCAPE in coloured
    assert "\x1b[31merror" in coloured
    assert "\x1b[33mwarning" in coloured
    assert "\x1b[36minfo" in coloured


def test_errors_first_then_one_header_per_file(sample_report, rules):
    lines = render("text", sample_report, rules).splitlines()
    assert lines[:3] == [
        "errors",
        "  modules/broken/main.tf:7: unexpected token '}': expected an attribute",
        "  plan.json: not a `terraform show -json` plan: no format_version",
    ]
    headers = [line for line in lines if line and not line.startswith(" ") and line != "errors"]
    assert headers[:-1] == [
        "examples/orders/iam.tf",
        "examples/orders/main.tf",
        "modules/network/main.tf",
        "modules/stream-consumer/main.tf",
        "stacks/prod, eu/main.tf",
    ]


def test_finding_row_message_and_fix(sample_report, rules):
    text = render("text", sample_report, rules)
    assert (
        "examples/orders/main.tf\n"
        "  8  warning  TST902 timeout-absent  aws_lambda_function.worker\n"
        "     aws_lambda_function.worker has no timeout: the 3 s default applies\n"
        "     fix: set timeout = 30\n"
    ) in text


def test_summary_line(sample_report, clean_report, rules):
    assert render("text", sample_report, rules).splitlines()[-1] == (
        "2 errors, 2 warnings, 1 info in 6 files (1 suppressed, 2 baselined); 2 input errors"
    )
    assert render("text", clean_report, rules) == "No findings in 3 files\n"


def test_singular_counts(rules):
    report = Report([], [], "0", files_scanned=1, suppressed=1)
    assert render("text", report, rules) == "No findings in 1 file (1 suppressed)\n"

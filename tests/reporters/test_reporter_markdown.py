"""The Markdown PR comment: verdict, tables, escaping, and the size limit GitHub puts on comments."""

from __future__ import annotations

import re

import pytest
from ddblint.findings import Finding, FunctionPermissionReview, InputError, Location, Report, Severity
from ddblint.reporters import markdown, render

TRUNCATION_NOTE = re.compile(r"^(\d+) more findings? not shown; run ddblint locally or see the SARIF upload\.$")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def many_findings(count: int) -> list[Finding]:
    severities = list(Severity)
    return [
        Finding(
            f"TST90{1 + n % 4}",
            "some-rule",
            severities[n % 3],
            f'module.app.aws_lambda_function.this["fn-{n:05d}"]',
            Location(f"stacks/stack-{n % 37:02d}/main.tf", 1 + n),
            f"function fn-{n:05d} has a problem | with a pipe\nand a newline, told at length: {'x' * 100}",
            "do the right thing",
        )
        for n in range(count)
    ]


def table_rows(comment: str) -> list[str]:
    return [line for line in comment.splitlines() if line.startswith("| ") and line.count("`")]


def test_headline_counts_and_table(sample_report, rules):
    comment = render("markdown", sample_report, rules)
    assert comment.startswith("### ddblint: 2 errors, 2 warnings, 1 info; 2 input errors\n")
    assert "| error | 2 |\n| warning | 2 |\n| info | 1 |" in comment
    assert "| Severity | Rule | Resource | Location | Message | Fix |" in comment


def test_clean_report_says_no_findings_and_has_no_tables(clean_report, rules):
    comment = render("markdown", clean_report, rules)
    assert comment.startswith("### ddblint: no findings\n")
    assert "| Severity" not in comment
    assert "<details>" not in comment


def test_every_row_has_six_cells_despite_pipes_and_newlines(sample_report, rules):
    rows = table_rows(render("markdown", sample_report, rules))
    assert len(rows) == len(sample_report.findings)
    for row in rows:
        assert len(UNESCAPED_PIPE.findall(row)) == 7, row


def test_escaping_in_cells(sample_report, rules):
    comment = render("markdown", sample_report, rules)
    row = next(row for row in table_rows(comment) if "stacks/" in row)
    assert '`aws_lambda_function.this["a\\|b"]`' in row
    assert "`stacks/prod, eu/main.tf:5`" in row
    assert "30 s<br>exceed the 25 s timeout \\| see \\`AWS\\_MAX\\_ATTEMPTS\\`: 3" in row


def test_most_severe_first(sample_report, rules):
    severities = [row.split(" | ", 1)[0] for row in table_rows(render("markdown", sample_report, rules))]
    assert severities == ["| error", "| error", "| warning", "| warning", "| info"]


def test_each_rule_once_with_its_doc_link(sample_report, rules):
    comment = render("markdown", sample_report, rules)
    assert "<details>" not in comment
    rule_lines = [line for line in comment.splitlines() if line.startswith("- [TST902]")]
    assert rule_lines == [
        f"- [TST902]({rules['TST902'].help_uri}) timeout-absent: {rules['TST902'].summary} (2 findings)"
    ]


def test_each_finding_is_shown_once_in_full(sample_report, rules):
    comment = render("markdown", sample_report, rules)
    for finding in sample_report.findings:
        assert comment.count(markdown.inline(finding.fix)) == 1, finding.fix
    long_message = next(f.message for f in sample_report.findings if len(f.message) > 120)
    assert markdown.inline(long_message) in comment


def test_code_span_survives_backticks():
    assert markdown.code("a`b") == "`` a`b ``"
    assert markdown.code("a|b", in_table=True) == "`a\\|b`"


def test_thousands_of_findings_stay_under_the_limit(rules):
    findings = many_findings(5000)
    report = Report(findings, [], "0.1.0", files_scanned=37)
    comment = render("markdown", report, rules)
    assert len(comment) <= markdown.MAX_CHARS < 65_536
    shown = len(table_rows(comment))
    assert 0 < shown < len(findings)
    notes = [m for line in comment.splitlines() if (m := TRUNCATION_NOTE.match(line))]
    assert [int(m.group(1)) for m in notes] == [len(findings) - shown]
    assert "<details>" not in comment
    assert comment.endswith("(1250 findings)\n")


@pytest.mark.parametrize("max_chars", [10_000, 30_000])
def test_custom_limit_is_used_almost_fully(rules, max_chars):
    report = Report(many_findings(2000), [], "0.1.0")
    comment = markdown.render(report, rules, max_chars=max_chars)
    assert max_chars * 0.9 < len(comment) <= max_chars


def test_findings_that_fit_are_all_shown(sample_report, rules):
    comment = render("markdown", sample_report, rules)
    assert "not shown" not in comment


def test_thousands_of_input_errors_are_cut_too(rules):
    errors = [InputError(f"broken/{n:05d}.tf", n, "unexpected end of input " * 4) for n in range(5000)]
    report = Report(many_findings(10), errors, "0.1.0")
    comment = markdown.render(report, rules, max_chars=20_000)
    assert len(comment) <= 20_000
    assert re.search(r"^\d+ more input errors not shown; run ddblint locally to see them all\.$", comment, re.M)
    assert "10 more findings not shown" in comment


def test_rules_list_counts_every_finding_also_those_not_shown(rules):
    comment = markdown.render(Report(many_findings(400), [], "0.1.0"), rules, max_chars=8_000)
    assert len(table_rows(comment)) < 100
    assert re.search(r"^- \S+ some-rule: .* \(100 findings\)$", comment, re.MULTILINE)


def test_changed_functions_list_needed_and_unused_permissions(rules):
    report = Report(
        findings=[],
        errors=[],
        version="0.0.0",
        permission_reviews=[
            FunctionPermissionReview(
                "aws_lambda_function.api",
                Location("main.tf", 40),
                missing=(
                    "src/app.py:9 `table.update_item(...)` needs dynamodb:UpdateItem on aws_dynamodb_table.orders.arn",
                ),
                unused=('aws_iam_role.api grants "dynamodb:DeleteItem" on aws_dynamodb_table.orders.arn',),
            )
        ],
    )
    comment = markdown.render(report, rules)
    section = comment.split("#### Permissions of changed functions\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- `aws_lambda_function.api` (`main.tf:40`)",
        "  - needs, not allowed by its role: src/app.py:9 \\`table.update\\_item(...)\\` needs dynamodb:UpdateItem "
        "on aws\\_dynamodb\\_table.orders.arn",
        '  - granted, no longer used: aws\\_iam\\_role.api grants "dynamodb:DeleteItem" on '
        "aws\\_dynamodb\\_table.orders.arn",
    ]


def test_no_permission_section_without_changed_functions(sample_report, rules):
    assert "Permissions of changed functions" not in markdown.render(sample_report, rules)

"""Human-readable output for a terminal, grouped by file like eslint's "stylish" formatter.

errors
  modules/table/main.tf:7: unexpected token '}'

examples/orders/main.tf
  12  error    STR201 stream-read-permission-missing  aws_lambda_event_source_mapping.this
      role orders lacks dynamodb:GetRecords on the stream of aws_dynamodb_table.orders
      fix: attach AWSLambdaDynamoDBExecutionRole to the role
      see: modules/orders/iam.tf:12

1 error, 0 warnings, 0 info in 4 files; 1 input error
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from ddblint.findings import Finding, Location, Report, Severity
from ddblint.instance_groups import subject
from ddblint.reporters.summary import summary_line
from ddblint.rules import Rule

BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"
SEVERITY_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
SEVERITY_WIDTH = max(len(s.value) for s in Severity)


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """The report as text; ANSI colours only when `color` is true."""

    def paint(text: str, *codes: str) -> str:
        return "".join(codes) + text + RESET if color else text

    lines: list[str] = []
    if report.errors:
        lines.append(paint("errors", BOLD))
        for error in sorted(report.errors):
            where = str(Location(error.file, error.line))
            lines.append(f"  {paint(f'{where}: {error.message}', SEVERITY_COLORS[Severity.ERROR])}")
        lines.append("")

    findings = sorted(report.findings, key=Finding.sort_key)
    for file, group in groupby(findings, key=lambda f: f.location.file):
        group = list(group)
        line_width = max(len(line_label(f)) for f in group)
        rule_width = max(len(rule_label(f)) for f in group)
        indent = " " * (2 + line_width + 2)
        lines.append(paint(file, BOLD))
        for finding in group:
            severity = finding.severity.value.ljust(SEVERITY_WIDTH)
            lines.append(
                f"  {paint(line_label(finding).rjust(line_width), DIM)}"
                f"  {paint(severity, SEVERITY_COLORS[finding.severity])}"
                f"  {rule_label(finding).ljust(rule_width)}  {subject(finding)}".rstrip()
            )
            lines.extend(indent + part for part in finding.message.splitlines())
            if finding.fix:
                fix_lines = finding.fix.splitlines()
                lines.append(f"{indent}{paint('fix:', DIM)} {fix_lines[0]}")
                lines.extend(indent + "     " + part for part in fix_lines[1:])
            lines.extend(f"{indent}{paint('see:', DIM)} {location}" for location in dict.fromkeys(finding.related))
        lines.append("")

    if report.plan_changes:  # `ddblint plan --changed-only`
        lines.append(paint("risky changes in this plan", BOLD))
        lines.extend(f"  {change.address}: {change.message}" for change in sorted(report.plan_changes))
        lines.append("")
    lines.extend(f"note: {note}" for note in report.notes)
    lines.append(paint(summary_line(report), BOLD, *summary_colors(report)))
    return "\n".join(lines) + "\n"


def line_label(finding: Finding) -> str:
    return str(finding.location.line) if finding.location.line else "-"


def rule_label(finding: Finding) -> str:
    return f"{finding.rule_id} {finding.rule_name}"


def summary_colors(report: Report) -> tuple[str, ...]:
    """The colour of the worst severity found, or none when the run is clean."""
    if report.errors:
        return (SEVERITY_COLORS[Severity.ERROR],)
    if not report.findings:
        return ()
    worst = max((f.severity for f in report.findings), key=lambda s: s.rank)
    return (SEVERITY_COLORS[worst],)

"""GitHub Actions workflow commands: each finding becomes an annotation on its file and line (one for the
instances of a module that share the line, named after the message).

::error file=main.tf,line=12,title=STR201 stream-read-permission-missing::role ... Fix: attach ...
"""

from __future__ import annotations

from collections.abc import Mapping

from ddblint.findings import Finding, Report, Severity
from ddblint.instance_groups import message_with_instances
from ddblint.reporters.summary import summary_line
from ddblint.rules import Rule

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """One workflow command per input error and finding, then a plain summary line; `color` is not used."""
    lines = [command("error", error.file, error.line, "", error.message) for error in sorted(report.errors)]
    for finding in sorted(report.findings, key=Finding.sort_key):
        message = message_with_instances(finding)
        message = f"{message} Fix: {finding.fix}" if finding.fix else message
        title = f"{finding.rule_id} {finding.rule_name}"
        location = finding.location
        lines.append(command(COMMANDS[finding.severity], location.file, location.line, title, message))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def command(name: str, file: str, line: int, title: str, message: str) -> str:
    properties = [f"file={escape_property(file)}"]
    if line >= 1:
        properties.append(f"line={line}")
    if title:
        properties.append(f"title={escape_property(title)}")
    return f"::{name} {','.join(properties)}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions toolkit's `escapeData` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, as the Actions toolkit's `escapeProperty` does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

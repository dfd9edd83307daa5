"""The one-line run summary that the text, GitHub and Markdown reporters end or start with."""

from __future__ import annotations

from ddblint.findings import Report


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`; "info" has no plural."""
    if count == 1 or noun == "info":
        return f"{count} {noun}"
    return f"{count} {noun}s"


def counts_phrase(report: Report) -> str:
    """`3 errors, 2 warnings, 0 info`."""
    counts = report.counts()
    return ", ".join(plural(counts[severity], severity) for severity in ("error", "warning", "info"))


def summary_line(report: Report) -> str:
    """`3 errors, 2 warnings, 0 info in 4 files (1 suppressed); 1 input error` or `No findings in 4 files`."""
    files = plural(report.files_scanned, "file")
    line = f"{counts_phrase(report)} in {files}" if report.findings else f"No findings in {files}"
    hidden = [
        f"{count} {label}"
        for count, label in ((report.suppressed, "suppressed"), (report.baselined, "baselined"))
        if count
    ]
    if hidden:
        line += f" ({', '.join(hidden)})"
    if report.errors:
        line += f"; {plural(len(report.errors), 'input error')}"
    return line

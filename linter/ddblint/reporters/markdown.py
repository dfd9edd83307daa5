"""A Markdown pull-request comment: verdict, counts, with `plan --changed-only` the risky changes and each changed
function's permissions (needed and lacking, granted and unused), a findings table (each finding once, in full; a line of
a module called several times is one row that names the instances) and the rules found, with their docs.

GitHub rejects comment bodies over 65,536 characters, so the comment keeps under `max_chars`: it shows the
input errors first, then the findings most severe first, and says how many it left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

from ddblint.findings import Finding, InputError, Report, Severity
from ddblint.instance_groups import subject
from ddblint.reporters.summary import counts_phrase, plural
from ddblint.rules import Rule

MAX_CHARS = 60_000
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")


def render(report: Report, rules: Mapping[str, Rule], *, color: bool = False, max_chars: int = MAX_CHARS) -> str:
    """The report as a Markdown comment of at most `max_chars` characters; `color` is not used."""
    findings = sorted(report.findings, key=lambda f: (-f.severity.rank, *f.sort_key()))
    errors = sorted(report.errors)

    def comment(shown_errors: int, shown_findings: int) -> str:
        return document(report, rules, errors, shown_errors, findings, shown_findings)

    shown_errors = largest_fitting(len(errors), lambda n: len(comment(n, 0)) <= max_chars)
    shown_findings = largest_fitting(len(findings), lambda n: len(comment(shown_errors, n)) <= max_chars)
    return comment(shown_errors, shown_findings)[:max_chars]


def largest_fitting(count: int, fits: Callable[[int], bool]) -> int:
    """The largest n in 0..count with fits(n), for a `fits` that holds up to some n and fails after it."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def document(
    report: Report,
    rules: Mapping[str, Rule],
    errors: list[InputError],
    shown_errors: int,
    findings: list[Finding],
    shown_findings: int,
) -> str:
    """The comment with the first `shown_errors` errors and the first `shown_findings` findings."""
    parts = [headline(report)]
    if findings:
        parts.append(counts_table(report))
    if report.plan_changes:
        parts.append(plan_changes_section(report))
    if report.permission_reviews:
        parts.append(permission_reviews_section(report))
    parts.extend(inline(note) for note in report.notes)
    parts.append(scan_note(report))
    if errors:
        parts.append(errors_section(errors[:shown_errors], len(errors) - shown_errors))
    if findings:
        shown = findings[:shown_findings]
        parts.append(findings_section(shown, rules, len(findings) - shown_findings))
        if shown:
            parts.append(rules_section(shown, rules, Counter(f.rule_id for f in findings)))
    return "\n\n".join(parts) + "\n"


def headline(report: Report) -> str:
    verdict = counts_phrase(report) if report.findings else "no findings"
    if report.errors:
        verdict += f"; {plural(len(report.errors), 'input error')}"
    return f"### ddblint: {verdict}"


def counts_table(report: Report) -> str:
    counts = report.counts()
    rows = [f"| {severity.value} | {counts[severity.value]} |" for severity in Severity]
    return "\n".join(["| Severity | Count |", "| --- | ---: |", *rows])


def scan_note(report: Report) -> str:
    note = f"{plural(report.files_scanned, 'file')} scanned; {report.suppressed} suppressed, "
    return note + f"{report.baselined} baselined. ddblint {inline(report.version)}."


MAX_PLAN_CHANGES = 50


def plan_changes_section(report: Report) -> str:
    """`ddblint plan --changed-only`: the risky changes the plan brings, at most MAX_PLAN_CHANGES of them."""
    changes = sorted(report.plan_changes)
    lines = ["#### Risky changes in this plan", ""]
    for change in changes[:MAX_PLAN_CHANGES]:
        where = f" ({code(str(change.location))})" if change.location.file else ""
        lines.append(f"- {code(change.address)}{where}: {inline(change.message)}")
    if len(changes) > MAX_PLAN_CHANGES:
        lines += ["", f"{plural(len(changes) - MAX_PLAN_CHANGES, 'more risky change')} not shown."]
    return "\n".join(lines)


def permission_reviews_section(report: Report) -> str:
    """`ddblint plan --changed-only`: per changed function, the permissions its code needs that its role lacks
    and the grants its code no longer uses (the IAM107 and IAM108 findings, by function)."""
    lines = ["#### Permissions of changed functions", ""]
    for review in report.permission_reviews[:MAX_PLAN_CHANGES]:
        where = f" ({code(str(review.location))})" if review.location.file else ""
        lines.append(f"- {code(review.address)}{where}")
        lines += [f"  - needs, not allowed by its role: {inline(message)}" for message in review.missing]
        lines += [f"  - granted, no longer used: {inline(message)}" for message in review.unused]
    hidden = len(report.permission_reviews) - MAX_PLAN_CHANGES
    if hidden > 0:
        lines += ["", f"{plural(hidden, 'more changed function')} not shown."]
    return "\n".join(lines)


def errors_section(errors: list[InputError], hidden: int) -> str:
    lines = ["#### Input errors", ""]
    lines += [f"- {code(f'{e.file}:{e.line}' if e.line else e.file)} {inline(e.message)}" for e in errors]
    if hidden:
        lines += ["", f"{plural(hidden, 'more input error')} not shown; run ddblint locally to see them all."]
    return "\n".join(lines)


def findings_section(findings: list[Finding], rules: Mapping[str, Rule], hidden: int) -> str:
    """One table row per finding (an entry for several instances names them), message and fix in full."""
    lines = ["#### Findings"]
    if findings:
        lines += [
            "",
            "| Severity | Rule | Resource | Location | Message | Fix |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
    for finding in findings:
        cells = [
            finding.severity.value,
            rule_link(finding, rules),
            resource_cell(finding),
            code(str(finding.location), in_table=True),
            inline(finding.message),
            inline(finding.fix),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if hidden:
        lines += [
            "",
            f"{plural(hidden, 'more finding')} not shown; run ddblint locally or see the SARIF upload.",
        ]
    return "\n".join(lines)


def resource_cell(finding: Finding) -> str:
    """The address; for several instances the resource as its module writes it and the instances."""
    if not finding.address:
        return ""
    if not finding.instances:
        return code(finding.address, in_table=True)
    resource, _, instances = subject(finding).partition(" in ")
    return f"{code(resource, in_table=True)} in {inline(instances)}"


def rules_section(findings: list[Finding], rules: Mapping[str, Rule], totals: Counter[str]) -> str:
    """Each rule with findings once: its summary, how many findings and a link to its documentation."""
    lines = ["#### Rules", ""]
    for rule_id in sorted({f.rule_id for f in findings}):
        rule = rules.get(rule_id)
        name = next(f.rule_name for f in findings if f.rule_id == rule_id)
        help_uri = getattr(rule, "help_uri", "")  # a stand-in rule object may have none
        label = f"[{rule_id}]({help_uri})" if help_uri else rule_id
        summary = f": {inline(rule.summary)}" if rule is not None else ""
        lines.append(f"- {label} {inline(name)}{summary} ({plural(totals[rule_id], 'finding')})")
    return "\n".join(lines)


def rule_link(finding: Finding, rules: Mapping[str, Rule]) -> str:
    help_uri = getattr(rules.get(finding.rule_id), "help_uri", "")
    rule_id = f"[{finding.rule_id}]({help_uri})" if help_uri else finding.rule_id
    return f"{rule_id} {inline(finding.rule_name)}"


def inline(text: str) -> str:
    """Plain text on one line of Markdown: specials backslash-escaped, line breaks as `<br>`."""
    escaped = MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return "<br>".join(escaped.splitlines())


def code(text: str, *, in_table: bool = False) -> str:
    """A code span that survives backticks in `text`, and inside a table also `|`."""
    text = " ".join(text.splitlines())
    if in_table:
        text = text.replace("|", "\\|")
    longest_run = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest_run + 1)
    if longest_run:
        text = f" {text} "
    return f"{fence}{text}{fence}"

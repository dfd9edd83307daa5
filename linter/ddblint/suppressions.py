"""Inline suppression comments in Terraform files, and which findings they suppress.

A suppression is a `#` or `//` comment that starts with `ddblint:ignore`, names exact rule IDs in
brackets and gives a reason:

    # ddblint:ignore[IAM102] the bucket list is public by design, see ADR-12
    # ddblint:ignore[IAM101,IAM102] reason text

It suppresses a finding of a rule it names when it sits
- inside the line span of the block (resource, data or module) of the finding's address, or of a module
  block that contains that address (`module.orders` covers `module.orders.aws_lambda_function.this`); or
- in the comment lines stacked directly above that block's header (no blank line in between); or
- on the finding's own line or the line directly above it (for findings located outside their block).

Block spans are matched by address without instance keys, so a suppression in a block with `count` or
`for_each` covers every instance, and one in a module file covers every call of that module.

IDs are exact (no prefixes) so that a suppression never hides more than its author read. The reason is
mandatory: a suppression without one suppresses nothing and is reported (DDB001). A suppression that
suppresses nothing, or names an unknown ID, is reported too (DDB002).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ddblint.findings import Finding, Location
from ddblint.rules import Rule
from ddblint.rules.ddb import SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION

if TYPE_CHECKING:
    from ddblint.model import Model


SUPPRESSION_COMMENT = re.compile(r"(?:#|//)\s*ddblint:\s*ignore(?![\w:-])\s*(?:\[(?P<ids>[^\]]*)\])?(?P<reason>.*)$")
HEREDOC_START = re.compile(r"<<-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
INSTANCE_KEY = re.compile(r'\[(?:"[^"]*"|[^\]]*)\]')


@dataclass(frozen=True)
class Suppression:
    file: str
    line: int
    rule_ids: tuple[str, ...]
    reason: str
    column: int = 0
    # For a comment on a line of its own: the first line below the comment lines stacked under it, when no
    # blank line comes first. A block whose header is on that line is the one the comment stands above.
    next_code_line: int | None = None


@dataclass(frozen=True)
class BlockSpan:
    """Where a resource, data or module block is written; the loader gives one per address."""

    address: str
    file: str
    start_line: int
    end_line: int
    root: str = ""  # the root module whose model holds the block: it covers only that root's findings


def block_spans(models: Iterable[Model]) -> list[BlockSpan]:
    """The span of every resource, data source and module call block of the models, sorted."""
    spans: set[BlockSpan] = set()
    for model in models:
        for resource in model.resources():
            block = resource.block
            spans.add(BlockSpan(resource.address, block.file, block.line, block.end_line, model.module_dir))
        for instance in model.instances:
            if instance.call is not None:
                call = instance.call
                spans.add(BlockSpan(instance.prefix, call.file, call.line, call.end_line, model.module_dir))
    return sorted(spans, key=lambda s: (s.file, s.start_line, s.address))


@dataclass(frozen=True)
class SuppressionResult:
    kept: list[Finding]
    suppressed: list[Finding]
    # DDB001/DDB002 findings about the suppression comments themselves.
    problems: list[Finding]


def parse_suppressions(rel_path: str, text: str) -> list[Suppression]:
    """The suppression comments of one Terraform file. Text inside strings and heredocs is skipped."""
    if "ddblint:" not in text:  # no suppression comment can match (most files): skip the line scan
        return []
    lines = text.splitlines()
    comment_lines: set[int] = set()
    found: list[tuple[int, int, re.Match[str], bool]] = []
    heredoc_end: str | None = None
    for number, line in enumerate(lines, start=1):
        if heredoc_end is not None:
            if line.strip() == heredoc_end:
                heredoc_end = None
            continue
        start = _comment_start(line)
        code = line if start is None else line[:start]
        if start is not None:
            standalone = not code.strip()
            if standalone:
                comment_lines.add(number)
            match = SUPPRESSION_COMMENT.match(line, start)
            if match:
                found.append((number, start + 1, match, standalone))
        heredoc = HEREDOC_START.search(code)
        if heredoc:
            heredoc_end = heredoc.group(1)

    suppressions = []
    for number, column, match, standalone in found:
        ids = tuple(part.strip().upper() for part in (match.group("ids") or "").split(",") if part.strip())
        suppressions.append(
            Suppression(
                file=rel_path,
                line=number,
                rule_ids=ids,
                reason=match.group("reason").strip().lstrip("-:\u2013\u2014").strip(),
                column=column,
                next_code_line=_next_code_line(number, comment_lines, lines) if standalone else None,
            )
        )
    return suppressions


def apply_suppressions(
    findings: Iterable[Finding],
    suppressions: Sequence[Suppression],
    blocks: Iterable[BlockSpan],
    *,
    known_ids: Collection[str] | None = None,
    checked_ids: Collection[str] | None = None,
) -> SuppressionResult:
    """Split `findings` into kept and suppressed, and report problems with the suppressions.

    `known_ids`: the rule IDs that exist; other IDs in a suppression are reported (not checked if None).
    `checked_ids`: the rules that ran; a suppression of a rule that did not run is not reported unused
    (every rule is taken to have run if None).
    """
    spans_by_address: dict[str, list[BlockSpan]] = {}
    for block in blocks:
        spans_by_address.setdefault(_without_instance_keys(block.address), []).append(block)
    usable_by_rule: dict[str, list[int]] = {}
    for index, suppression in enumerate(suppressions):
        if suppression.reason:
            for rule_id in suppression.rule_ids:
                usable_by_rule.setdefault(rule_id, []).append(index)

    kept, suppressed = [], []
    used: set[tuple[int, str]] = set()
    for finding in findings:
        spans = [
            span
            for address in _covering_addresses(_without_instance_keys(finding.address))
            for span in spans_by_address.get(address, ())
            if not span.root or not finding.root or span.root == finding.root
        ]
        covering = [
            index for index in usable_by_rule.get(finding.rule_id, ()) if _covers(suppressions[index], finding, spans)
        ]
        used.update((index, finding.rule_id) for index in covering)
        (suppressed if covering else kept).append(finding)

    problems = []
    for index, suppression in enumerate(suppressions):
        problems.extend(_problems_of(suppression, index, used, known_ids, checked_ids))
    return SuppressionResult(kept=kept, suppressed=suppressed, problems=sorted(problems, key=Finding.sort_key))


def _comment_start(line: str) -> int | None:
    """The index where a `#` or `//` comment starts, outside double-quoted strings; None if none does."""
    in_string = False
    i = 0
    while i < len(line):
        char = line[i]
        if in_string:
            if char == "\\":
                i += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#" or line.startswith("//", i):
            return i
        i += 1
    return None


def _next_code_line(line: int, comment_lines: set[int], lines: list[str]) -> int | None:
    below = line + 1
    while below in comment_lines:
        below += 1
    if below > len(lines) or not lines[below - 1].strip():
        return None
    return below


def _without_instance_keys(address: str) -> str:
    """`module.a["x"].aws_s3_bucket.b[0]` -> `module.a.aws_s3_bucket.b`: the block, not the instance."""
    return INSTANCE_KEY.sub("", address)


def _covering_addresses(address: str) -> list[str]:
    """The address and the module calls that contain it, innermost first."""
    tokens = address.split(".")
    modules = []
    end = 0
    while end + 2 < len(tokens) and tokens[end] == "module":
        end += 2
        modules.append(".".join(tokens[:end]))
    return [address, *reversed(modules)]


def _covers(suppression: Suppression, finding: Finding, spans: list[BlockSpan]) -> bool:
    location = finding.location
    if (
        suppression.file == location.file
        and location.line > 0
        and suppression.line in (location.line, location.line - 1)
    ):
        return True
    return any(
        suppression.file == span.file
        and (span.start_line <= suppression.line <= span.end_line or suppression.next_code_line == span.start_line)
        for span in spans
    )


def _problems_of(
    suppression: Suppression,
    index: int,
    used: set[tuple[int, str]],
    known_ids: Collection[str] | None,
    checked_ids: Collection[str] | None,
) -> list[Finding]:
    if not suppression.rule_ids:
        return [
            _problem(
                UNUSED_SUPPRESSION,
                suppression,
                "suppression names no rule IDs, so it suppresses nothing",
                "name the rules in brackets: # ddblint:ignore[IAM102] <reason>",
            )
        ]
    problems = []
    ids = ", ".join(suppression.rule_ids)
    unknown = [rule_id for rule_id in suppression.rule_ids if known_ids is not None and rule_id not in known_ids]
    if unknown:
        problems.append(
            _problem(
                UNUSED_SUPPRESSION,
                suppression,
                f"suppression names unknown rule ID {', '.join(unknown)}",
                "use exact rule IDs such as IAM102 (prefixes are not accepted), or remove the unknown ones",
            )
        )
    if not suppression.reason:
        problems.append(
            _problem(
                SUPPRESSION_WITHOUT_REASON,
                suppression,
                f"suppression of {ids} gives no reason, so it suppresses nothing",
                f"say why after the brackets: # ddblint:ignore[{','.join(suppression.rule_ids)}] <reason>",
            )
        )
        return problems
    unused = [
        rule_id
        for rule_id in suppression.rule_ids
        if rule_id not in unknown and (index, rule_id) not in used and (checked_ids is None or rule_id in checked_ids)
    ]
    if unused:
        problems.append(
            _problem(
                UNUSED_SUPPRESSION,
                suppression,
                f"suppression of {', '.join(unused)} matches no finding",
                f"remove {', '.join(unused)} from the comment, or move it to the block the finding is on",
            )
        )
    return problems


def _problem(rule: Rule, suppression: Suppression, message: str, fix: str) -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        address=suppression.file,
        location=Location(suppression.file, suppression.line, suppression.column),
        message=message,
        fix=fix,
    )

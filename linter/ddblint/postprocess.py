"""The one step between the rules and the reporters: configuration, inline suppressions, baseline.

In this order:
1. findings in excluded paths are dropped (and so are the suppression comments there);
2. findings of rules that are not selected are dropped;
3. configured severities replace the rules' own;
4. inline suppressions remove the findings they cover and report their own problems (DDB001/DDB002),
   which then go through steps 2 and 3 like any finding;
5. the baseline removes the findings it holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ddblint.baseline import Baseline
from ddblint.config import Config
from ddblint.findings import Finding
from ddblint.suppressions import BlockSpan, Suppression, apply_suppressions

if TYPE_CHECKING:
    from ddblint.rules import Rule


@dataclass(frozen=True)
class Postprocessed:
    # What to report, sorted: rule findings and suppression problems that survived every step.
    findings: list[Finding]
    # Findings an inline suppression removed, sorted.
    suppressed: list[Finding]
    # How many findings the baseline removed.
    baselined: int


def postprocess(
    findings: Iterable[Finding],
    *,
    config: Config,
    rules_by_id: Mapping[str, Rule],
    suppressions: Iterable[Suppression] = (),
    blocks: Iterable[BlockSpan] = (),
    baseline: Baseline | None = None,
    boundary: Path | None = None,
) -> Postprocessed:
    """Apply configuration, suppressions and baseline to the findings of every rule that ran.

    `rules_by_id` holds every known rule; IDs outside it in a suppression comment are reported. `boundary`:
    the scan boundary the findings' paths are relative to, for the baseline's paths.
    """
    configured = _configured(findings, config)
    result = apply_suppressions(
        configured,
        [s for s in suppressions if not config.is_excluded(s.file)],
        blocks,
        known_ids=set(rules_by_id),
        checked_ids={rule_id for rule_id in rules_by_id if config.is_selected(rule_id)},
    )
    remaining = result.kept + _configured(result.problems, config)
    baselined = 0
    if baseline is not None:
        remaining, baselined = baseline.filter(remaining, boundary)
    return Postprocessed(
        findings=sorted(remaining, key=Finding.sort_key),
        suppressed=sorted(result.suppressed, key=Finding.sort_key),
        baselined=baselined,
    )


def _configured(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """The findings outside excluded paths, of selected rules, with configured severities applied."""
    kept = []
    for finding in findings:
        if config.is_excluded(finding.location.file) or not config.is_selected(finding.rule_id):
            continue
        severity = config.severity.get(finding.rule_id)
        kept.append(dataclasses.replace(finding, severity=severity) if severity else finding)
    return kept

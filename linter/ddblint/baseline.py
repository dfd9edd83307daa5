"""Baselines: record today's findings so that only new ones are reported.

A baseline file is JSON, sorted and free of timestamps and line numbers, so it diffs well in review:

    {"tool": "ddblint", "version": 2, "findings": [{"fingerprint": ..., "rule_id": ..., "root": ...,
     "file": ..., "address": ..., "message": ...}, ...]}

Findings match by `Finding.fingerprint()` (rule, root module, file, address, message), so moving code keeps
them baselined, and a finding in a shared module is baselined per root module that uses it. A version 1
baseline (written before findings carried their root) still loads and matches without the root.
Matching counts copies: a baseline with one copy of a fingerprint hides one finding with it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ddblint.findings import Finding

TOOL = "ddblint"
VERSION = 2
READABLE_VERSIONS = (1, 2)


class BaselineError(Exception):
    """The baseline file is missing or not a ddblint baseline. The CLI exits 2."""


@dataclass(frozen=True)
class Baseline:
    # Fingerprint -> how many findings with it the baseline holds.
    fingerprints: Counter[str]
    # Version 1 fingerprints have no root module.
    version: int = VERSION

    def fingerprint(self, finding: Finding) -> str:
        return finding.fingerprint() if self.version >= 2 else finding.fingerprint_without_root()

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings that are not in the baseline (in their given order), and how many were.

        When there are more findings with a fingerprint than the baseline holds, the last ones in
        `Finding.sort_key()` order are the new ones.
        """
        findings = list(findings)
        remaining = Counter(self.fingerprints)
        baselined: set[int] = set()
        for index in sorted(range(len(findings)), key=lambda i: findings[i].sort_key()):
            fingerprint = self.fingerprint(findings[index])
            if remaining[fingerprint] > 0:
                remaining[fingerprint] -= 1
                baselined.add(index)
        new = [finding for index, finding in enumerate(findings) if index not in baselined]
        return new, len(baselined)


def write_baseline(path: Path, findings: Iterable[Finding]) -> None:
    entries = sorted(
        (
            {
                "fingerprint": finding.fingerprint(),
                "rule_id": finding.rule_id,
                "root": finding.root,
                "file": finding.location.file,
                "address": finding.address,
                "message": finding.message,
            }
            for finding in findings
        ),
        key=lambda entry: (entry["file"], entry["rule_id"], entry["address"], entry["message"], entry["root"]),
    )
    document = {"tool": TOOL, "version": VERSION, "findings": entries}
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror}") from None


def load_baseline(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get("tool") != TOOL:
        raise BaselineError(f'{path}: not a ddblint baseline (expected "tool": "{TOOL}")')
    version = document.get("version")
    if version not in READABLE_VERSIONS:
        raise BaselineError(f"{path}: baseline version {version!r} is not supported (expected {VERSION})")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f'{path}: "findings" must be a list')
    fingerprints: Counter[str] = Counter()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise BaselineError(f'{path}: finding {number} has no "fingerprint" string')
        fingerprints[entry["fingerprint"]] += 1
    return Baseline(fingerprints, version)

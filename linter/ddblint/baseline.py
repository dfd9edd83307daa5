"""Baselines: record today's findings so that only new ones are reported.

A baseline file is JSON, sorted and free of timestamps and line numbers, so it diffs well in review:

    {"tool": "ddblint", "version": 3, "boundary": "..", "findings": [{"fingerprint": ..., "rule_id": ...,
     "root": ..., "file": ..., "address": ..., "message": ...}, ...]}

A finding's identity is `Finding.fingerprint()`: rule, root module, file and address, with paths relative to
the scan boundary. Neither the line (moving code keeps a finding baselined) nor the message (an upgrade that
rewords a message reopens nothing) is part of it; `message` is kept in the file for the reader only. A
finding in a module called several times is baselined per instance (its address holds the instance), and a
shared module per root module that uses it.

`boundary` is where the scan boundary was, relative to the baseline file's directory. Outside git the
boundary depends on where ddblint runs (`ddblint check cfg` from the parent, `ddblint check .` in `cfg`), so
an entry matches a finding when its paths, moved from the recorded boundary to the current one, are the
finding's; or when they are the finding's as written (a baseline moved inside a git work tree, whose
boundary is the work tree either way).

Versions 1 (no root) and 2 (the message in the fingerprint) still load; their entries match by their
fields without the message (version 1 also without the root). Matching counts copies: a baseline with one
entry for an identity hides one finding with it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ddblint.findings import Finding

TOOL = "ddblint"
VERSION = 3
READABLE_VERSIONS = (1, 2, 3)


class BaselineError(Exception):
    """The baseline file is missing or not a ddblint baseline. The CLI exits 2."""


@dataclass(frozen=True)
class BaselineEntry:
    rule_id: str
    root: str | None  # None in a version 1 baseline: matches a finding of any root
    file: str
    address: str

    @classmethod
    def of(cls, finding: Finding) -> BaselineEntry:
        return cls(finding.rule_id, finding.root, finding.location.file, finding.address)

    def matches(self, finding: Finding) -> bool:
        return (
            self.rule_id == finding.rule_id
            and self.file == finding.location.file
            and self.address == finding.address
            and (self.root is None or self.root == finding.root)
        )

    def moved(self, old_boundary: Path, new_boundary: Path) -> BaselineEntry:
        """The entry with its paths relative to `new_boundary` instead of `old_boundary`."""
        root = None if self.root is None else _moved_path(self.root, old_boundary, new_boundary) if self.root else ""
        return BaselineEntry(self.rule_id, root, _moved_path(self.file, old_boundary, new_boundary), self.address)


@dataclass(frozen=True)
class Baseline:
    entries: tuple[BaselineEntry, ...]
    # The scan boundary the entries' paths are relative to (absolute); None when the file does not say.
    boundary: Path | None = None
    version: int = VERSION

    @classmethod
    def of(cls, findings: Iterable[Finding], boundary: Path | None = None) -> Baseline:
        """A baseline that holds `findings` (each instance of each), with paths relative to `boundary`."""
        entries = tuple(BaselineEntry.of(instance) for finding in findings for instance in finding.each_instance())
        return cls(entries, None if boundary is None else boundary.resolve())

    def filter(self, findings: Iterable[Finding], boundary: Path | None = None) -> tuple[list[Finding], int]:
        """The findings that are not in the baseline (in their given order), and how many were.

        `boundary`: the current scan boundary, to which the entries' paths are moved. When there are more
        findings with an identity than the baseline holds, the last ones in `Finding.sort_key()` order are
        the new ones."""
        findings = list(findings)
        candidates: dict[tuple[str, str], list[tuple[int, BaselineEntry]]] = {}
        for index, entry in enumerate(self.entries):
            variants = [entry]
            if boundary is not None and self.boundary is not None and self.boundary != boundary.resolve():
                variants.insert(0, entry.moved(self.boundary, boundary.resolve()))
            for variant in dict.fromkeys(variants):
                candidates.setdefault((variant.rule_id, variant.address), []).append((index, variant))
        used: set[int] = set()
        baselined: set[int] = set()
        for position in sorted(range(len(findings)), key=lambda i: findings[i].sort_key()):
            finding = findings[position]
            for index, variant in candidates.get((finding.rule_id, finding.address), ()):
                if index not in used and variant.matches(finding):
                    used.add(index)
                    baselined.add(position)
                    break
        new = [finding for position, finding in enumerate(findings) if position not in baselined]
        return new, len(baselined)


def write_baseline(path: Path, findings: Iterable[Finding], *, boundary: Path | None = None) -> None:
    """Write `findings` (one entry per finding instance) to `path`; `boundary`: the scan boundary their paths
    are relative to, recorded relative to the baseline's directory."""
    entries = sorted(
        (
            {
                "fingerprint": instance.fingerprint(),
                "rule_id": instance.rule_id,
                "root": instance.root,
                "file": instance.location.file,
                "address": instance.address,
                "message": instance.message,
            }
            for finding in findings
            for instance in finding.each_instance()
        ),
        key=lambda entry: (entry["file"], entry["rule_id"], entry["address"], entry["root"], entry["message"]),
    )
    document: dict = {"tool": TOOL, "version": VERSION}
    if boundary is not None:
        document["boundary"] = _relative(boundary.resolve(), path.resolve().parent)
    document["findings"] = entries
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
    items = document.get("findings")
    if not isinstance(items, list):
        raise BaselineError(f'{path}: "findings" must be a list')
    entries = [_entry(item, number, version, path) for number, item in enumerate(items, start=1)]
    recorded = document.get("boundary")
    boundary = None
    if isinstance(recorded, str):
        boundary = Path(os.path.normpath(path.resolve().parent / recorded))
    return Baseline(tuple(entries), boundary, version)


def _entry(item: object, number: int, version: int, path: Path) -> BaselineEntry:
    """One entry from its fields; an older entry without them from its fingerprint string."""
    if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
        raise BaselineError(f'{path}: finding {number} has no "fingerprint" string')
    fields = ("rule_id", "file", "address") + (("root",) if version >= 2 else ())
    if all(isinstance(item.get(name), str) for name in fields):
        return BaselineEntry(item["rule_id"], item["root"] if version >= 2 else None, item["file"], item["address"])
    # Fingerprints: v1 rule|file|address|message, v2 rule|root|file|address|message, v3 rule|root|file|address.
    parts = item["fingerprint"].split("|", {1: 3, 2: 4, 3: 3}[version])
    if len(parts) < 4:
        raise BaselineError(f"{path}: finding {number} has a fingerprint ddblint cannot read")
    if version == 1:
        return BaselineEntry(parts[0], None, parts[1], parts[2])
    return BaselineEntry(parts[0], parts[1], parts[2], parts[3])


def _moved_path(rel: str, old_boundary: Path, new_boundary: Path) -> str:
    return _relative(Path(os.path.normpath(old_boundary / rel)), new_boundary)


def _relative(path: Path, start: Path) -> str:
    """`path` relative to `start` (POSIX, `..` where needed, "." for the same directory); absolute when there
    is no relative path (another drive)."""
    try:
        return Path(os.path.relpath(path, start)).as_posix()
    except ValueError:
        return path.as_posix()

#!/usr/bin/env python3
"""The real-world regression harness (`make realworld`): ddblint on public Terraform, diffed against a summary.

For each repository of ``tests/realworld/manifest.toml`` it extracts the pinned commit's folders (and the local
modules they call) from a git mirror into a cache outside this repository, runs the installed ddblint CLI on each
folder (``ddblint check FOLDER --format json --fail-on never --no-cache``, from the extracted repository's root,
as a CI job or a pre-commit hook would), and prints per folder: input errors (exit 2 and the errors), crashes
(output that is not ddblint's JSON, tracebacks, "internal error in rule"), the run time and the findings per rule.
It then compares the results with the committed ``tests/realworld/summary.json`` and prints what changed: new and
removed findings (rule, address, file:line), input errors and crashes.

    python linter/scripts/realworld.py                    # run everything, diff against the summary
    python linter/scripts/realworld.py --only owner/name  # one repository (repeat for more)
    python linter/scripts/realworld.py -j 4               # four ddblint runs at a time
    python linter/scripts/realworld.py --update           # rewrite the committed summary with this run

Exit code: 0 when the results equal the summary, 1 when they differ, 2 when nothing differs but some repository
could not be run (not fetched, a folder missing at the commit), or on a usage or manifest error.

Mirrors: ``$DDBLINT_REALWORLD_MIRROR`` (default ``/work/.mirror``) holds one git directory per repository,
``<owner>+<name>/repo`` (bare) or ``<owner>+<name>/repo/.git``, as the agent tooling's ``fetch`` tool leaves them.
Extracted trees are cached in ``$DDBLINT_REALWORLD_CACHE`` (default ``~/.cache/ddblint-realworld``) as
``<owner>+<name>@<commit>/`` and reused when present. Without a mirror, a cache directory made by hand works too:
``git clone https://github.com/<owner>/<name> DIR && git -C DIR checkout <commit>`` with DIR the cache directory.

The summary holds no timings and no absolute paths, and is sorted, so its diff shows only what ddblint found.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = REPO_ROOT / "tests" / "realworld" / "manifest.toml"
SUMMARY = REPO_ROOT / "tests" / "realworld" / "summary.json"
DEFAULT_MIRROR = Path("/work/.mirror")
DEFAULT_CACHE = Path("~/.cache/ddblint-realworld")
SUMMARY_FORMAT = 1
# A ddblint run that takes longer than this is reported as a crash (a hang is a bug too).
RUN_TIMEOUT_SECONDS = 600

NOT_FETCHED = "not fetched"
FOLDER_MISSING = "folder missing at the commit"

_REPO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
# `source = "./x"` or `source = "../x"` in a module block: a local module the extracted folders need.
_LOCAL_MODULE_SOURCE = re.compile(r"""^\s*source\s*=\s*"(\.\.?/[^"]*)"\s*$""", re.MULTILINE)
_INTERNAL_ERROR = "internal error in rule"


class ManifestError(Exception):
    """The manifest cannot be used; the message names the entry and what is wrong."""


@dataclass(frozen=True)
class Entry:
    """One manifest repository: owner/name, the pinned commit, the folders to check and why it is there."""

    name: str
    commit: str
    folders: tuple[str, ...]
    note: str = ""

    @property
    def slug(self) -> str:
        """`owner+name`, the directory name the mirrors use."""
        return self.name.replace("/", "+")


def parse_manifest(text: str) -> list[Entry]:
    """The entries of a manifest's TOML text, validated: names, 40-hex commits, relative folders, no duplicates."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"manifest is not valid TOML: {error}") from None
    unknown = set(document) - {"repository"}
    if unknown:
        raise ManifestError(f"unknown top-level keys {sorted(unknown)}: use [[repository]] tables")
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, table in enumerate(document.get("repository", []), start=1):
        where = f"repository #{index}"
        unknown = set(table) - {"name", "commit", "folders", "note"}
        if unknown:
            raise ManifestError(f"{where}: unknown keys {sorted(unknown)}")
        name = table.get("name")
        if not isinstance(name, str) or not _REPO_NAME.match(name):
            raise ManifestError(f"{where}: name must be owner/name, got {name!r}")
        where = f"repository {name}"
        if name.lower() in seen:
            raise ManifestError(f"{where}: listed twice")
        seen.add(name.lower())
        commit = table.get("commit")
        if not isinstance(commit, str) or not _COMMIT.match(commit):
            raise ManifestError(f"{where}: commit must be 40 lowercase hex digits, got {commit!r}")
        folders = table.get("folders")
        if not isinstance(folders, list) or not folders or not all(isinstance(f, str) for f in folders):
            raise ManifestError(f"{where}: folders must be a non-empty list of strings")
        normalized = tuple(_normalize_folder(folder, where) for folder in folders)
        if len(set(normalized)) != len(normalized):
            raise ManifestError(f"{where}: a folder is listed twice")
        note = table.get("note", "")
        if not isinstance(note, str):
            raise ManifestError(f"{where}: note must be a string")
        entries.append(Entry(name=name, commit=commit, folders=normalized, note=note))
    if not entries:
        raise ManifestError("the manifest lists no repository")
    return entries


def _normalize_folder(folder: str, where: str) -> str:
    if folder.startswith("/") or "\\" in folder:
        raise ManifestError(f"{where}: folder {folder!r} must be a relative POSIX path")
    normalized = posixpath.normpath(folder)
    if normalized == ".." or normalized.startswith("../"):
        raise ManifestError(f"{where}: folder {folder!r} leaves the repository")
    return normalized


def load_manifest(path: Path) -> list[Entry]:
    return parse_manifest(path.read_text(encoding="utf-8"))


# --- Getting the code ------------------------------------------------------------------------------------------


def mirror_git_dir(mirror_root: Path, entry: Entry) -> Path | None:
    """The git directory of the entry's mirror (`<slug>/repo` bare, or `<slug>/repo/.git`), None when absent."""
    base = mirror_root / entry.slug / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def cache_dir_for(cache_root: Path, entry: Entry) -> Path:
    return cache_root / f"{entry.slug}@{entry.commit}"


def local_module_sources(tf_text: str, tf_dir: str) -> set[str]:
    """Repository-relative folders of the local modules (`source = "./x"`, `"../x"`) that a .tf file in `tf_dir`
    calls; sources that leave the repository are left out."""
    folders = set()
    for source in _LOCAL_MODULE_SOURCE.findall(tf_text):
        folder = posixpath.normpath(posixpath.join(tf_dir, source.split("//")[0]))
        if folder != ".." and not folder.startswith("../"):
            folders.add(folder)
    return folders


def _covered(path: str, extracted: Iterable[str]) -> bool:
    return any(root == "." or path == root or path.startswith(root + "/") for root in extracted)


class ExtractError(Exception):
    """The pinned commit or a folder of it could not be read from the mirror."""


def _git(git_dir: Path, *args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], stdout=stdout, stderr=subprocess.PIPE, check=False)


def _exists_at(git_dir: Path, commit: str, folder: str) -> bool:
    if folder == ".":
        return True
    return _git(git_dir, "cat-file", "-e", f"{commit}:{folder}").returncode == 0


def _archive_into(git_dir: Path, commit: str, folders: Sequence[str], target: Path) -> None:
    pathspec = [] if "." in folders else ["--", *folders]
    archive = subprocess.Popen(
        ["git", f"--git-dir={git_dir}", "archive", "--format=tar", commit, *pathspec],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    untar = subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, capture_output=True, check=False)
    archive.stdout.close()
    archive_err = archive.stderr.read().decode(errors="replace")
    archive.wait()
    if archive.returncode != 0 or untar.returncode != 0:
        detail = archive_err.strip() or untar.stderr.decode(errors="replace").strip()
        raise ExtractError(f"git archive {commit} {' '.join(folders)} failed: {detail}")


def extract(git_dir: Path, entry: Entry, target: Path) -> list[str]:
    """Extract the entry's folders at its commit, and, transitively, the local modules they call, into `target`
    (written under a temporary name, then renamed, so a half-written cache is never reused). Returns the folders
    of the manifest that do not exist at the commit (nothing is extracted for them)."""
    if _git(git_dir, "cat-file", "-e", f"{entry.commit}^{{commit}}").returncode != 0:
        raise ExtractError(f"commit {entry.commit} is not in the mirror {git_dir}")
    missing = [folder for folder in entry.folders if not _exists_at(git_dir, entry.commit, folder)]
    wanted = [folder for folder in entry.folders if folder not in missing]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{target.name}.part-", dir=target.parent))
    try:
        extracted: list[str] = []
        while wanted:
            _archive_into(git_dir, entry.commit, wanted, partial)
            extracted.extend(wanted)
            calls: set[str] = set()
            for tf_file in sorted(partial.rglob("*.tf")):
                rel_dir = tf_file.parent.relative_to(partial).as_posix()
                calls |= local_module_sources(tf_file.read_text(encoding="utf-8", errors="replace"), rel_dir)
            wanted = sorted(
                folder
                for folder in calls
                if not _covered(folder, extracted) and _exists_at(git_dir, entry.commit, folder)
            )
        if target.exists():  # another run extracted it meanwhile
            shutil.rmtree(partial)
        else:
            partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return missing


# --- Running ddblint -------------------------------------------------------------------------------------------


@dataclass
class FolderResult:
    """What one `ddblint check FOLDER` gave: exit code, findings, input errors and crashes, and its run time."""

    folder: str
    exit_code: int | None = None
    findings: list[dict] = field(default_factory=list)
    input_errors: list[dict] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def rule_counts(self) -> Counter:
        return Counter(f["rule"] for f in self.findings)

    def to_summary(self) -> dict:
        return {
            "exit_code": self.exit_code,
            "input_errors": sorted(self.input_errors, key=_error_key),
            "crashes": sorted(self.crashes),
            "findings_per_rule": dict(sorted(self.rule_counts().items())),
            "findings": sorted(self.findings, key=_finding_key),
        }


def _finding_key(finding: dict) -> tuple:
    return (finding["file"], finding["line"], finding["rule"], finding["address"], finding["message"])


def _error_key(error: dict) -> tuple:
    return (error["file"], error["line"], error["message"])


def interpret_run(
    folder: str, exit_code: int | None, stdout: str, stderr: str, seconds: float = 0.0, checkout: Path | None = None
) -> FolderResult:
    """Classify one ddblint run. ddblint's JSON gives findings and input errors; an "internal error in rule"
    entry, a traceback, a timeout (`exit_code` None), an unexpected exit code or output that is not its JSON is
    a crash. Mentions of the `checkout` directory are made relative, so no absolute path reaches the summary."""
    if checkout is not None:
        stdout, stderr = _relative(stdout, checkout, escaped=True), _relative(stderr, checkout)
    result = FolderResult(folder=folder, exit_code=exit_code, seconds=seconds)
    if exit_code is None:
        result.crashes.append(f"timed out after {RUN_TIMEOUT_SECONDS} s")
        return result
    if "Traceback (most recent call last)" in stderr:
        result.crashes.append("traceback: " + _last_line(stderr))
    try:
        report = json.loads(stdout)
        findings, errors = report["findings"], report["errors"]
    except (ValueError, KeyError, TypeError):
        result.crashes.append(f"exit {exit_code}, output is not ddblint's JSON: {_last_line(stdout or stderr)}")
        return result
    if exit_code not in (0, 1, 2):
        result.crashes.append(f"unexpected exit code {exit_code}: {_last_line(stderr)}")
    for error in errors:
        if _INTERNAL_ERROR in error["message"]:
            result.crashes.append(f"{error['file']}: {error['message']}")
        else:
            result.input_errors.append({"file": error["file"], "line": error["line"], "message": error["message"]})
    result.findings = [
        {
            "rule": f["rule_id"],
            "address": f["address"],
            "file": f["file"],
            "line": f["line"],
            "message": f["message"],
        }
        for f in findings
    ]
    return result


def _relative(text: str, checkout: Path, *, escaped: bool = False) -> str:
    """`text` with the checkout directory's absolute path removed (`escaped`: as it appears inside JSON strings)."""
    root = str(checkout.resolve())
    if escaped:
        root = json.dumps(root)[1:-1]
    return text.replace(root + "/", "").replace(root, ".")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else "(no output)"


def run_ddblint(command: Sequence[str], checkout: Path, folder: str) -> FolderResult:
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [*command, "check", folder, "--format", "json", "--fail-on", "never", "--no-cache"],
            cwd=checkout,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return interpret_run(folder, None, "", "", time.monotonic() - started)
    return interpret_run(
        folder, completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started, checkout
    )


# --- Summaries and their diff ----------------------------------------------------------------------------------


@dataclass
class EntryResult:
    """One repository's run: its folders' results, or why it could not be run."""

    entry: Entry
    status: str = "checked"  # or NOT_FETCHED, or an extraction error
    folders: list[FolderResult] = field(default_factory=list)
    missing_folders: list[str] = field(default_factory=list)
    prepare_seconds: float = 0.0

    @property
    def ran(self) -> bool:
        return self.status == "checked"

    def to_summary(self) -> dict:
        return {
            "commit": self.entry.commit,
            "folders": {
                **{result.folder: result.to_summary() for result in self.folders},
                **{folder: {"status": FOLDER_MISSING} for folder in self.missing_folders},
            },
        }


def build_summary(repositories: dict[str, dict]) -> dict:
    """The committed summary: per repository and folder the sorted results, and totals over all of them."""
    per_rule: Counter = Counter()
    input_errors = crashes = 0
    for repository in repositories.values():
        for folder in repository["folders"].values():
            per_rule.update(folder.get("findings_per_rule", {}))
            input_errors += len(folder.get("input_errors", []))
            crashes += len(folder.get("crashes", []))
    return {
        "format": SUMMARY_FORMAT,
        "totals": {
            "findings": sum(per_rule.values()),
            "findings_per_rule": dict(sorted(per_rule.items())),
            "input_errors": input_errors,
            "crashes": crashes,
        },
        "repositories": dict(sorted(repositories.items())),
    }


def merge_summary(committed: dict | None, results: Sequence[EntryResult], manifest: Sequence[Entry]) -> dict:
    """The summary after this run: repositories that ran take their new results, the others keep the committed
    ones (a repository that is not fetched here must not vanish from the summary); repositories no longer in the
    manifest are dropped."""
    names = {entry.name for entry in manifest}
    repositories = {name: data for name, data in ((committed or {}).get("repositories", {})).items() if name in names}
    for result in results:
        if result.ran:
            repositories[result.entry.name] = result.to_summary()
    return build_summary(repositories)


def render_summary(summary: dict) -> str:
    return json.dumps(summary, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def _finding_line(finding: dict) -> str:
    return f"{finding['rule']} {finding['address']} {finding['file']}:{finding['line']}: {finding['message']}"


def _error_line(error: dict) -> str:
    return f"{error['file']}:{error['line']}: {error['message']}"


def diff_summaries(old: dict, new: dict, compared: Iterable[str]) -> list[str]:
    """Human-readable differences between two summaries for the repositories in `compared`: commits, folders,
    exit codes, new and removed findings, input errors and crashes. Empty when they are equal."""
    lines: list[str] = []
    old_repos, new_repos = old.get("repositories", {}), new.get("repositories", {})
    for name in sorted(compared):
        before, after = old_repos.get(name), new_repos.get(name)
        if before == after:
            continue
        if before is None:
            lines.append(f"{name}: new in the summary")
            before = {"commit": None, "folders": {}}
        if after is None:
            lines.append(f"{name}: gone from the summary")
            continue
        if before["commit"] != after["commit"]:
            lines.append(f"{name}: commit {before['commit']} -> {after['commit']}")
        for folder in sorted(set(before["folders"]) | set(after["folders"])):
            lines.extend(_diff_folder(name, folder, before["folders"].get(folder), after["folders"].get(folder)))
    return lines


def _diff_folder(name: str, folder: str, before: dict | None, after: dict | None) -> list[str]:
    where = f"{name} {folder}"
    if before == after:
        return []
    if after is None:
        return [f"{where}: folder no longer checked"]
    if before is None:
        before = {}
    lines = []
    if before.get("status") != after.get("status"):
        lines.append(f"{where}: status {before.get('status', 'checked')} -> {after.get('status', 'checked')}")
    if before.get("exit_code") != after.get("exit_code"):
        lines.append(f"{where}: exit code {before.get('exit_code')} -> {after.get('exit_code')}")
    for kind, key, render in (
        ("finding", "findings", _finding_line),
        ("input error", "input_errors", _error_line),
        ("crash", "crashes", str),
    ):
        old_items = Counter(render(item) for item in before.get(key, []))
        new_items = Counter(render(item) for item in after.get(key, []))
        for text in sorted((new_items - old_items).elements()):
            lines.append(f"{where}: + {kind} {text}")
        for text in sorted((old_items - new_items).elements()):
            lines.append(f"{where}: - {kind} {text}")
    return lines


def rule_delta(old: dict, new: dict) -> dict[str, tuple[int, int]]:
    """Per rule, (committed count, new count) where they differ."""
    before = Counter(old.get("totals", {}).get("findings_per_rule", {}))
    after = Counter(new.get("totals", {}).get("findings_per_rule", {}))
    return {
        rule: (before[rule], after[rule]) for rule in sorted(set(before) | set(after)) if before[rule] != after[rule]
    }


# --- The command line ------------------------------------------------------------------------------------------


def _prepare(entry: Entry, mirror_root: Path, cache_root: Path) -> tuple[Path | None, EntryResult]:
    result = EntryResult(entry=entry)
    started = time.monotonic()
    checkout = cache_dir_for(cache_root, entry)
    if not checkout.is_dir():
        git_dir = mirror_git_dir(mirror_root, entry)
        if git_dir is None:
            result.status = NOT_FETCHED
            return None, result
        try:
            result.missing_folders = extract(git_dir, entry, checkout)
        except ExtractError as error:
            result.status = str(error)
            return None, result
    else:
        result.missing_folders = [folder for folder in entry.folders if not (checkout / folder).is_dir()]
    result.prepare_seconds = time.monotonic() - started
    return checkout, result


def _ddblint_command(option: str | None) -> list[str]:
    if option:
        return shlex.split(option)
    return [sys.executable, "-m", "ddblint"]


def _print_entry(result: EntryResult, mirror_root: Path, cache_root: Path) -> None:
    entry = result.entry
    print(f"== {entry.name} @ {entry.commit[:12]}")
    if result.status == NOT_FETCHED:
        print(
            f"   not fetched: no mirror at {mirror_root / entry.slug}. The `fetch` tool of the agent tooling brings"
            f" it (fetch github:{entry.name}); on a machine with network, `git clone https://github.com/{entry.name}"
            f" {cache_dir_for(cache_root, entry)}` and `git -C {cache_dir_for(cache_root, entry)} checkout"
            f" {entry.commit}` work too."
        )
        return
    if not result.ran:
        print(f"   could not be extracted: {result.status}")
        return
    for folder in result.missing_folders:
        print(f"   {folder}: {FOLDER_MISSING}")
    for folder in result.folders:
        counts = folder.rule_counts()
        per_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items())) or "none"
        print(f"   {folder.folder}: exit {folder.exit_code}, {folder.seconds:.1f} s, findings {sum(counts.values())}")
        print(f"      per rule: {per_rule}")
        for error in sorted(folder.input_errors, key=_error_key):
            print(f"      input error {_error_line(error)}")
        for crash in sorted(folder.crashes):
            print(f"      CRASH {crash}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--summary", type=Path, default=SUMMARY, help="the committed summary to diff against")
    parser.add_argument("--update", action="store_true", help="rewrite the summary with this run's results")
    parser.add_argument("--only", action="append", default=[], metavar="OWNER/NAME", help="run only these")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="ddblint runs at a time (default 1)")
    parser.add_argument("--ddblint", help="the ddblint command (default: this Python's `-m ddblint`)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")

    try:
        manifest = load_manifest(args.manifest)
    except (OSError, ManifestError) as error:
        print(f"realworld: {error}", file=sys.stderr)
        return 2
    selected = manifest
    if args.only:
        wanted = {name.lower() for name in args.only}
        selected = [entry for entry in manifest if entry.name.lower() in wanted]
        unknown = wanted - {entry.name.lower() for entry in selected}
        if unknown:
            print(f"realworld: not in the manifest: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2

    mirror_root = Path(os.environ.get("DDBLINT_REALWORLD_MIRROR") or DEFAULT_MIRROR).expanduser()
    cache_root = Path(os.environ.get("DDBLINT_REALWORLD_CACHE") or DEFAULT_CACHE).expanduser()
    command = _ddblint_command(args.ddblint)

    started = time.monotonic()
    prepared = [_prepare(entry, mirror_root, cache_root) for entry in selected]
    jobs = [
        (index, checkout, folder)
        for index, (checkout, result) in enumerate(prepared)
        if checkout is not None
        for folder in result.entry.folders
        if folder not in result.missing_folders
    ]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(lambda job: (job[0], run_ddblint(command, job[1], job[2])), jobs))
    results = [result for _, result in prepared]
    for index, folder_result in outcomes:
        results[index].folders.append(folder_result)

    for result in results:
        _print_entry(result, mirror_root, cache_root)

    committed = json.loads(args.summary.read_text(encoding="utf-8")) if args.summary.is_file() else None
    merged = merge_summary(committed, results, manifest)
    totals = merged["totals"]
    print()
    print(
        f"totals over the summary: {totals['findings']} findings, {totals['input_errors']} input errors,"
        f" {totals['crashes']} crashes ({time.monotonic() - started:.0f} s for this run)"
    )
    for rule, count in totals["findings_per_rule"].items():
        print(f"   {rule} {count}")
    skipped = [result.entry.name for result in results if not result.ran]
    incomplete = bool(skipped) or any(result.missing_folders for result in results)
    if skipped:
        print(f"not run (not compared): {', '.join(skipped)}")

    if args.update:
        args.summary.write_text(render_summary(merged), encoding="utf-8")
        print(f"wrote {args.summary}")
        return 2 if incomplete else 0

    if committed is None:
        print(f"no committed summary at {args.summary}: run with --update to write one")
        return 1
    compared = [result.entry.name for result in results if result.ran]
    differences = diff_summaries(committed, merged, compared)
    if not differences:
        print(f"no change against the committed summary ({len(compared)} repositories compared)")
        return 2 if incomplete else 0
    print()
    print(f"{len(differences)} changes against the committed summary:")
    for rule, (before, after) in rule_delta(committed, merged).items():
        print(f"   {rule}: {before} -> {after}")
    for line in differences:
        print(f"   {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

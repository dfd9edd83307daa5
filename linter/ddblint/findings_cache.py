"""The findings cache: a warm run re-checks only the root modules whose inputs changed.

The parse cache (`parse_cache.py`) saves parsing, but a warm run would still unpickle every parsed file,
build every model and run every rule. This cache keeps, per root module, what the rules found there, and a
list of everything those findings depend on; a run that finds every dependency unchanged reuses the
findings without loading the module at all. Two kinds of entry live in the parse cache's directory (same
`cache_tag()`, so never trusted across versions; same atomic writes; pruned with it):

- A directory summary per module directory, keyed by the directory, the names, resolved paths and content
  hashes of its `.tf`/`.tf.json` files and the exclude patterns: its module calls (name and literal
  `source`), the files it loaded, its input errors (unreadable, not UTF-8, does not parse), notes and file
  count. Finding the root modules (which directories are called by others) reads and hashes every file but
  unpickles only these summaries.
- A root entry per root module, keyed by the scan boundary, the root module's directory and a fingerprint of
  the rules and the configuration that change what they find (every rule ID, the selected rules, the options
  each selected rule reads, the exclude patterns; severities are applied later, in postprocess). It holds
  the rules' raw findings for that module, the rules' internal errors, the input errors and notes of loading
  it (tfvars files, module calls that can't be followed), what file() read or was refused, the BlockSpans of
  its resources and module calls, and its dependencies:
  - every module directory the model used, with its directory key (a `.tf` file edited, added or deleted);
  - every module call resolved while building it, with its result (a module directory that appears or
    disappears, `.terraform/modules/modules.json` changed);
  - the tfvars file names of the root directory and the content of each (also the absent
    `terraform.tfvars`);
  - every path file()/templatefile() asked for and every candidate file looked at for a Lambda handler
    (`loaders/handler.py`), each with its resolved path and content hash, or "absent" / "outside".
  An entry whose dependency changed, or that is corrupted or from another format, is ignored and rewritten.

Every key also holds `code_fingerprint()`: ddblint's own files by name, size and modification time (an
editable install whose rule code is edited keeps its version number, and must not reuse the old code's
findings) and the versions of parliament, botocore and boto3, whose data the rules use, and of tree-sitter and
tree-sitter-typescript, which read JavaScript/TypeScript handlers.

The run loads with a plain `TerraformLoader`: `FindingsCache` gives it the module calls of every directory
whose summary is valid (`known_calls`, so those files are not parsed while finding the roots), and builds
summaries and entries from what the loader recorded per directory and per root (`LoadRecord`, and the
`RootInputs` of `loader.recording(root)`). The pipeline asks it for each root's findings and it stores them.

Standalone policy JSON files are checked on every run (they are cheap). Plan mode (`ddblint plan`) goes
through the same pipeline (`pipeline.py`) without this cache: the plan's values change the models.
A file that changes while a run reads it can leave an entry recording the new content with findings of the
old; the next edit of that file corrects it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ddblint.findings import Finding, InputError
from ddblint.loaders.handler import handler_probes
from ddblint.loaders.terraform import (
    MAX_FILE_BYTES,
    TERRAFORM_SUFFIXES,
    InputErrorException,
    Note,
    TerraformLoader,
    decode_text,
    read_bytes,
    tfvars_names,
)
from ddblint.parse_cache import ParseCache, write_entry
from ddblint.rules import Rule, all_rules
from ddblint.suppressions import BlockSpan, block_spans

if TYPE_CHECKING:
    from ddblint.config import Config
    from ddblint.model import Model

FORMAT = 3  # 2: findings carry their root; outside reads and block spans too; 3: their shared texts
_MAGIC = b"ddblint-findings-cache\n"
_ALLOWED_CLASSES = frozenset(
    {
        ("ddblint.findings", "Finding"),
        ("ddblint.findings", "Location"),
        ("ddblint.findings", "Severity"),
        ("ddblint.findings", "InputError"),
        ("ddblint.loaders.terraform", "Note"),
        ("ddblint.suppressions", "BlockSpan"),
        ("builtins", "str"),
    }
)
_ENTRY_KEYS = frozenset(
    {
        "findings",
        "rule_errors",
        "errors",
        "notes",
        "scanned",
        "outside_reads",
        "files_read",
        "spans",
        "dirs",
        "targets",
        "tfvars",
        "probes",
    }
)
_SUMMARY_KEYS = frozenset({"calls", "rels", "errors", "notes", "scanned"})


@dataclass
class RunStats:
    """What the last run did (for tests and the benchmark)."""

    root_hits: int = 0
    root_misses: int = 0
    summary_hits: int = 0
    summary_misses: int = 0


LAST_RUN = RunStats()


# -- storage -----------------------------------------------------------------------------------------------
class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: object) -> Any:
        # Messages can be TracedStr (a str that remembers a resource): store the plain text.
        if isinstance(obj, str) and type(obj) is not str:
            return str, (str.__str__(obj),)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected class {module}.{name} in a findings cache entry")


# Libraries whose data or behaviour the rules' findings depend on (the parse cache's tag has the parser's).
_RULE_LIBRARIES = ("parliament", "botocore", "boto3", "tree-sitter", "tree-sitter-typescript")
_CODE: str | None = None


def code_fingerprint() -> str:
    """The versions of the libraries the rules use, and the name, size and modification time of every file
    of ddblint itself: an editable install whose rules are edited must not reuse the findings of the old
    code (its version number stays the same). About a millisecond."""
    global _CODE
    if _CODE is None:
        from importlib.metadata import PackageNotFoundError, version

        digest = hashlib.sha256()
        for package in _RULE_LIBRARIES:
            try:
                digest.update(f"{package}={version(package)}\0".encode())
            except PackageNotFoundError:
                digest.update(f"{package}=none\0".encode())
        package_dir = Path(__file__).resolve().parent
        for directory, dirnames, filenames in os.walk(package_dir):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                path = os.path.join(directory, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                rel = os.path.relpath(path, package_dir)
                digest.update(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
        _CODE = digest.hexdigest()
    return _CODE


class FindingsStore:
    """Entries (plain dicts) under the parse cache's versioned directory, next to its parse results."""

    def __init__(self, cache: ParseCache):
        self.tag = f"{cache.tag}-{code_fingerprint()}"
        self.directory = cache.directory
        self._header = _MAGIC + f"{cache.tag}-f{FORMAT}".encode() + b"\n"

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(f"{self.tag}\0findings-f{FORMAT}".encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str, required: frozenset[str]) -> dict | None:
        """The entry, or None when absent, corrupted, foreign or not of the expected shape."""
        try:
            with open(self._path(key), "rb") as handle:
                blob = handle.read()
        except OSError:
            return None
        header = self._header + key.encode() + b"\n"
        if not blob.startswith(header):
            return None
        try:
            entry = _Unpickler(io.BytesIO(blob[len(header) :])).load()
        except Exception:  # any corruption: recompute and overwrite
            return None
        if not isinstance(entry, dict) or set(entry) != required:
            return None
        return entry

    def put(self, key: str, entry: dict) -> None:
        """Store atomically (a temporary file renamed into place); a cache that can't be written is skipped."""
        path = self._path(key)
        try:
            buffer = io.BytesIO()
            _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return
        write_entry(path, self._header + key.encode() + b"\n", buffer.getvalue())


# -- what each root depends on ------------------------------------------------------------------------------
class FindingsCache:
    """The findings cache for one run of a `TerraformLoader`: it gives the loader the module calls of every
    directory whose summary is still valid (so those are not parsed while finding the roots), says whether a
    root's stored entry is still valid, and builds and stores the entries and summaries of what was loaded."""

    def __init__(self, loader: TerraformLoader, config: Config, store: FindingsStore):
        self.loader = loader
        self.store = store
        self.exclude_fingerprint = json.dumps(list(config.exclude))
        self.summaries: dict[Path, dict] = {}  # resolved directory -> summary
        self.texts: dict[str, str] = {}  # rel -> text of every file a used directory loaded
        self._dir_keys: dict[Path, tuple[str, dict[str, bytes]]] = {}
        self._digests: dict[str, str] = {}
        loader.known_calls = self.known_calls

    # -- dependencies --------------------------------------------------------------------------------------
    def dir_key(self, directory: Path) -> str:
        """The key of a module directory's summary: what `module_source` would read there."""
        loader = self.loader
        resolved = loader.resolve_path(directory)
        known = self._dir_keys.get(resolved)
        if known is not None:
            return known[0]
        parts = [str(loader.root), loader.rel(resolved), self.exclude_fingerprint]
        contents: dict[str, bytes] = {}
        try:
            names = sorted(os.listdir(resolved))
        except OSError as error:
            parts.append(f"unlistable:{error.strerror}")
            names = []
        for name in names:
            path = resolved / name
            if not name.endswith(TERRAFORM_SUFFIXES) or not path.is_file():
                continue
            if not loader.resolve_path(path).is_relative_to(loader.root):
                parts.append(f"outside:{name}")
                continue
            rel = loader.rel(path)
            if loader.excluded(rel):
                continue
            try:
                data = read_bytes(path, rel)
            except InputErrorException as error:
                parts.append(f"error:{name}:{error.error.message}")
                continue
            contents[rel] = data
            parts.append(f"file:{name}:{rel}:{hashlib.sha256(data).hexdigest()}")
        key = self.store.key("dir", *parts)
        self._dir_keys[resolved] = (key, contents)
        return key

    def digest(self, path: str) -> str:
        """A file's resolved path and content hash, or why it is not read ("absent", "outside", ...)."""
        known = self._digests.get(path)
        if known is None:
            known = self._digests[path] = self._digest(Path(path))
        return known

    def _digest(self, path: Path) -> str:
        root = self.loader.root
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return "unresolvable"
        if not resolved.is_relative_to(root):
            return "outside"
        try:
            if not resolved.is_file():
                return "absent"
            size = resolved.stat().st_size
            if size > MAX_FILE_BYTES:
                return f"large:{size}"  # over every reader's limit: not read, so not hashed
            data = resolved.read_bytes()
        except OSError as error:
            return f"unreadable:{error.strerror}"
        return f"{resolved.relative_to(root).as_posix()}:{hashlib.sha256(data).hexdigest()}"

    # -- directory summaries ---------------------------------------------------------------------------------
    def cached_summary(self, directory: Path) -> dict | None:
        """The directory's summary from the cache (its texts recorded), or None."""
        resolved = self.loader.resolve_path(directory)
        if resolved in self.summaries:
            return self.summaries[resolved]
        if resolved in self.loader.directory_records:
            return None  # loaded in this run: `summary` makes it from the record
        key = self.dir_key(resolved)
        summary = self.store.get(key, _SUMMARY_KEYS)
        if summary is None:
            return None
        contents = self._dir_keys[resolved][1]
        texts = {}
        try:
            for rel in summary["rels"]:
                texts[rel] = decode_text(contents[rel], rel)
        except (KeyError, InputErrorException, TypeError):
            return None
        LAST_RUN.summary_hits += 1
        self.texts.update(texts)
        self.summaries[resolved] = summary
        return summary

    def known_calls(self, directory: Path) -> list[tuple[str, str | None]] | None:
        """For `TerraformLoader.known_calls`: a directory's module calls from its valid cached summary."""
        summary = self.cached_summary(directory)
        return None if summary is None else summary["calls"]

    def summary(self, directory: Path) -> dict:
        """The directory's summary: from the cache, else from loading it (and then stored)."""
        resolved = self.loader.resolve_path(directory)
        summary = self.cached_summary(resolved)
        if summary is not None:
            return summary
        self.loader.module_source(resolved)
        record = self.loader.directory_records[resolved]
        summary = {
            "calls": record.calls,
            "rels": sorted(record.files),
            "errors": record.errors,
            "notes": record.notes,
            "scanned": record.scanned,
        }
        self.texts.update(record.files)
        LAST_RUN.summary_misses += 1
        self.store.put(self.dir_key(resolved), summary)
        self.summaries[resolved] = summary
        return summary

    # -- root entries ----------------------------------------------------------------------------------------
    def valid(self, entry: dict) -> bool:
        """Whether nothing a root entry depends on changed."""
        loader = self.loader
        try:
            for rel_dir, key in entry["dirs"].items():
                if self.dir_key(loader.root / rel_dir) != key:
                    return False
            for caller, root_dir, source, call_path, result in entry["targets"]:
                target = loader.resolve_source(Path(caller), Path(root_dir), source, list(call_path))
                if str(target) != result:
                    return False
            for directory, names in entry["tfvars"]:
                if tuple(tfvars_names(os.listdir(directory))) != tuple(names):
                    return False
            return all(self.digest(path) == digest for path, digest in entry["probes"].items())
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return False

    def build_entry(self, directory: Path, run_rules: Callable[[Model, list[InputError]], list[Finding]]) -> dict:
        """Load one root module, run the rules on it and record what the results depend on."""
        loader = self.loader
        rule_errors: list[InputError] = []
        with loader.recording(directory) as (record, inputs):
            model = loader.build_model(directory)
            findings = run_rules(model, rule_errors)
        root = model.root_dir.resolve()
        probes = set(inputs.probes)
        probes.update(str(root / model.module_dir / path) for path in model.file_probes)
        probes.update(str(path) for path in handler_probes(model))
        return {
            "findings": findings,
            "rule_errors": rule_errors,
            "errors": record.errors,
            "notes": record.notes,
            "scanned": record.scanned,
            "outside_reads": sorted((*read, model.module_dir) for read in model.outside_reads),
            "files_read": sorted(model.files_read),
            "spans": block_spans([model]),
            "dirs": {loader.rel(d): self.dir_key(d) for d in sorted(inputs.dirs)},
            "targets": inputs.targets,
            "tfvars": inputs.tfvars,
            "probes": {path: self.digest(path) for path in sorted(probes)},
        }


# -- a run -------------------------------------------------------------------------------------------------
def fingerprint(config: Config, rules: list[Rule], options: dict) -> str:
    """Everything in the rules and the configuration that changes a root's raw findings."""
    return json.dumps(
        {
            "rules": sorted(rule.id for rule in all_rules()),
            "selected": sorted(rule.id for rule in rules),
            "options": {rule_id: options[rule_id] for rule_id in sorted(options)},
            "exclude": list(config.exclude),
        },
        sort_keys=True,
        default=repr,
    )


@dataclass
class CachedScan:
    """What every root module gave, from the cache where its inputs are unchanged (`pipeline.Scan`'s fields)."""

    loader: TerraformLoader
    findings: list[Finding]
    errors: list[InputError]
    notes: list[Note]
    files: dict[str, str]
    json_files: list[Path]
    files_scanned: int
    files_read: set[str]
    outside_reads: set[tuple[str, int, str, str]]
    spans: set[BlockSpan]


def scan_with_cache(
    paths: list[Path],
    *,
    root: Path,
    config: Config,
    rules: list[Rule],
    options: dict,
    cache: ParseCache,
    jobs: int | None,
    run_rules: Callable[[Model, list[InputError]], list[Finding]],
) -> CachedScan:
    """Every root module's findings: from the findings cache when still valid, else from `run_rules` on its
    freshly built model (and then stored)."""
    global LAST_RUN
    LAST_RUN = RunStats()
    store = FindingsStore(cache)
    loader = TerraformLoader(root, excluded=config.is_excluded, cache=cache, jobs=jobs)
    findings_cache = FindingsCache(loader, config, store)
    _, json_files, roots = loader.find_roots(paths)
    config_key = fingerprint(config, rules, options)

    findings: list[Finding] = []
    errors: list[InputError] = list(loader.discovery.errors)
    notes: list[Note] = list(loader.discovery.notes)
    files_scanned = loader.discovery.scanned
    files_read: set[str] = set()
    outside_reads: set[tuple[str, int, str, str]] = set()
    spans: set[BlockSpan] = set()
    # Every directory looked at while finding the roots (from a summary or loaded), and those the roots use.
    used: set[Path] = set(findings_cache.summaries) | set(loader.directory_records)
    for directory in roots:
        key = store.key("root", str(loader.root), loader.rel(directory), config_key)
        entry = store.get(key, _ENTRY_KEYS)
        if entry is not None and findings_cache.valid(entry):
            LAST_RUN.root_hits += 1
        else:
            LAST_RUN.root_misses += 1
            entry = findings_cache.build_entry(directory, run_rules)
            store.put(key, entry)
        findings += entry["findings"]
        errors += entry["rule_errors"] + entry["errors"]
        notes += entry["notes"]
        files_scanned += entry["scanned"]
        files_read.update(entry["files_read"])
        outside_reads.update(tuple(read) for read in entry["outside_reads"])
        spans.update(entry["spans"])
        used.update(loader.resolve_path(loader.root / rel_dir) for rel_dir in entry["dirs"])
    for directory in sorted(used):
        summary = findings_cache.summary(directory)
        errors += summary["errors"]
        notes += summary["notes"]
        files_scanned += summary["scanned"]
    texts = findings_cache.texts
    files = {rel: texts[rel] for directory in used for rel in findings_cache.summary(directory)["rels"]}
    return CachedScan(
        loader=loader,
        findings=findings,
        errors=errors,
        notes=notes,
        files=files,
        json_files=json_files,
        files_scanned=files_scanned,
        files_read=files_read,
        outside_reads=outside_reads,
        spans=spans,
    )


__all__ = ["LAST_RUN", "CachedScan", "FindingsCache", "FindingsStore", "RunStats", "scan_with_cache"]

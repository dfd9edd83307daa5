"""Parse `.tf` files once: a content-addressed cache of parsed files and parallel parsing of the rest.

python-hcl2's Lark parser is the slow part of a run (about 0.8 s for a 5,000-line file), so:

- `ParseCache` stores each file's parse result (a `Body`, or the `ParseFailure` of a file that does not
  parse) pickled, keyed by the sha256 of the file's bytes together with `cache_tag()`: the cache format,
  ddblint's version, python-hcl2's and lark's versions and the Python version. An entry is never read by
  another version (its key and its directory differ, and its header is checked), a corrupted or foreign entry
  is ignored and rewritten, writes are atomic (a temporary file renamed into place, so concurrent runs at
  worst write the same entry twice), and the cache prunes itself (`prune`, at most once a day).
- The file name is not part of the key: a parsed `Block` remembers its file, so the pickled form stores the
  file's path as a placeholder (a pickle persistent id) and loading puts the current path back. Two files
  with the same content share one entry, and renaming a file keeps its entry.
- `parse_texts` parses the files that missed the cache, in worker processes when there are enough of them to
  pay for starting the workers (`PARALLEL_MIN_BYTES`), and returns the results in the order it was given.

Nothing here imports lark or python-hcl2 until a file actually needs parsing, so a warm run never does.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ddblint import __version__
from ddblint.model.expressions import Body

# 2: attributes carry their column and end position; 3: CRLF line endings are read as LF (entries of
# the earlier formats hold parse errors for such files).
CACHE_FORMAT = 3
ENV_CACHE_DIR = "DDBLINT_CACHE_DIR"
_MAGIC = b"ddblint-parse-cache\n"
_FILE_PLACEHOLDER = "file"

# Below this many bytes of files to parse, parsing serially beats starting worker processes. Measured here
# on the generated corpus (2 cores): parsing costs about 1.6 us a byte; two forked workers lose at 9.5 KB
# (24 ms against 15 ms serial), win from about 19 KB (27 against 31 ms) and at 129 KB (128 against 204 ms).
PARALLEL_MIN_BYTES = 24 * 1024
PRUNE_INTERVAL_SECONDS = 24 * 3600
MAX_ENTRY_AGE_SECONDS = 30 * 24 * 3600
MAX_CACHE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class ParseFailure:
    """A file that does not parse: cached like a parsed file, so a broken file is not parsed again."""

    line: int
    message: str


ParseResult = Body | ParseFailure


def default_cache_dir() -> Path:
    """`$DDBLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/ddblint`, else `~/.cache/ddblint`."""
    explicit = os.environ.get(ENV_CACHE_DIR)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "ddblint"
    return Path.home() / ".cache" / "ddblint"


_TAG: str | None = None


def cache_tag() -> str:
    """Everything a parse result depends on besides the file's bytes."""
    global _TAG
    if _TAG is None:
        from importlib.metadata import PackageNotFoundError, version

        versions = []
        for package in ("python-hcl2", "lark"):
            try:
                versions.append(version(package))
            except PackageNotFoundError:  # pragma: no cover - both are dependencies
                versions.append("none")
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        _TAG = f"v{CACHE_FORMAT}-ddblint{__version__}-hcl2{versions[0]}-lark{versions[1]}-py{python}"
    return _TAG


# -- parsing and (de)serialising one file ------------------------------------------------------------------
def parse_text(text: str, rel: str) -> ParseResult:
    """Parse one file's text (imports the parser on first use); `.json` files use the JSON syntax."""
    from ddblint.loaders.hcl import HclSyntaxError, parse_hcl

    try:
        if rel.endswith(".tfvars.json"):
            from ddblint.loaders.hcl_json import parse_tfvars_json

            return parse_tfvars_json(text, rel)
        if rel.endswith(".json"):
            from ddblint.loaders.hcl_json import parse_tf_json

            return parse_tf_json(text, rel)
        return parse_hcl(text, rel)
    except HclSyntaxError as error:
        return ParseFailure(error.line, error.message)


def _allowed_classes() -> frozenset[tuple[str, str]]:
    from ddblint.model import expressions

    names = {
        (cls.__module__, cls.__name__)
        for cls in vars(expressions).values()
        if isinstance(cls, type) and cls.__module__ == expressions.__name__
    }
    return frozenset({*names, (ParseFailure.__module__, ParseFailure.__name__)})


_ALLOWED_CLASSES = _allowed_classes()


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, rel: str):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rel = rel

    def persistent_id(self, obj: object) -> str | None:
        if type(obj) is str and obj == self.rel:
            return _FILE_PLACEHOLDER
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, rel: str):
        super().__init__(file)
        self.rel = rel

    def persistent_load(self, pid: object) -> str:
        if pid != _FILE_PLACEHOLDER:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self.rel

    def find_class(self, module: str, name: str) -> object:
        # Only the syntax tree's own classes are ever in an entry (dicts, tuples, strings and numbers have
        # opcodes of their own): anything else (builtins.eval, os.system, ...) means a forged entry.
        if (module, name) in _ALLOWED_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected class {module}.{name} in a cache entry")


def dump_result(result: ParseResult, rel: str) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, rel).dump(result)
    return buffer.getvalue()


def load_result(blob: bytes, rel: str) -> ParseResult:
    result = _Unpickler(io.BytesIO(blob), rel).load()
    if not isinstance(result, Body | ParseFailure):
        raise pickle.UnpicklingError(f"a cache entry holds a {type(result).__name__}")
    return result


def _parse_and_dump(item: tuple[str, str]) -> bytes | None:
    """The pickled result, or None when it nests too deep to pickle (the caller parses it itself)."""
    text, rel = item
    try:
        return dump_result(parse_text(text, rel), rel)
    except RecursionError:
        return None


def _parse_chunk(items: list[tuple[str, str]]) -> list[bytes | None]:
    return [_parse_and_dump(item) for item in items]


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parse_texts(items: Sequence[tuple[str, str]], jobs: int | None = None) -> list[bytes | None]:
    """Parse `(text, rel)` pairs; return each result pickled (`dump_result`), in the order given.

    Runs in `jobs` worker processes (default: the available cores) when the texts are large enough to pay
    for starting them, else in this process. The results are the same either way. An item is None when its
    result nests too deep to pickle: parse it with `parse_text` (and do not cache it).
    """
    jobs = available_cores() if jobs is None else max(1, jobs)
    total = sum(len(text) for text, _ in items)
    if jobs == 1 or len(items) < 2 or total < PARALLEL_MIN_BYTES:
        return [_parse_and_dump(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from ddblint.loaders.hcl import hcl2_parser

    hcl2_parser()  # build the grammar once, before forking, so every worker inherits it
    # fork: the workers start at once with the parser built. Not from a process with other threads (a lock
    # held by one of them would stay held in the child): spawn then.
    methods = multiprocessing.get_all_start_methods()
    use_fork = "fork" in methods and threading.active_count() == 1
    context = multiprocessing.get_context("fork" if use_fork else "spawn")
    workers = min(jobs, len(items))
    chunks = _balanced_chunks(items, workers * 4)
    results: list[bytes | None] = [None] * len(items)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [(indexes, pool.submit(_parse_chunk, [items[i] for i in indexes])) for indexes in chunks]
            for indexes, future in futures:
                for index, blob in zip(indexes, future.result(), strict=True):
                    results[index] = blob
    except (OSError, RuntimeError, BrokenProcessPool):  # no processes here: parse in this one
        return [_parse_and_dump(item) for item in items]
    return results


def _balanced_chunks(items: Sequence[tuple[str, str]], count: int) -> list[list[int]]:
    """Indexes of `items` in `count` groups of about equal size, largest files first (so no worker is last)."""
    count = max(1, min(count, len(items)))
    order = sorted(range(len(items)), key=lambda i: -len(items[i][0]))
    groups: list[list[int]] = [[] for _ in range(count)]
    sizes = [0] * count
    for index in order:
        smallest = min(range(count), key=sizes.__getitem__)
        groups[smallest].append(index)
        sizes[smallest] += len(items[index][0]) + 200
    return [sorted(group) for group in groups if group]


# -- the cache ---------------------------------------------------------------------------------------------
def write_entry(path: Path, header: bytes, payload: bytes) -> bool:
    """Write `header + payload` to `path` atomically (a temporary file renamed into place), so concurrent runs
    never read a half-written entry. False when the cache directory can't be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:16]}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header)
                out.write(payload)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


class ParseCache:
    """Parse results on disk under `directory/<cache_tag()>/`, one file per entry."""

    def __init__(self, directory: Path):
        self.root = Path(directory)
        self.tag = cache_tag()
        self.directory = self.root / self.tag
        self._header = _MAGIC + self.tag.encode() + b"\n"
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self.write_errors = 0

    def key(self, data: bytes, syntax: str = "hcl") -> str:
        """Content hash of a file under this tag; `syntax` keeps a .tf and a .tf.json of the same bytes apart."""
        digest = hashlib.sha256(self.tag.encode())
        digest.update(b"\0" + syntax.encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str, rel: str) -> ParseResult | None:
        """The cached result for `key`, with `rel` as its file; None when absent, foreign or corrupted."""
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                blob = handle.read()
                mtime = os.fstat(handle.fileno()).st_mtime
        except OSError:
            self.misses += 1
            return None
        header = self._header + key.encode() + b"\n"
        if not blob.startswith(header):
            self.misses += 1
            return None
        try:
            result = load_result(blob[len(header) :], rel)
        except Exception:  # any corruption: parse again and overwrite the entry
            self.misses += 1
            return None
        if time.time() - mtime > PRUNE_INTERVAL_SECONDS:
            # Keep entries in use from being pruned as old (a touch at most once a day per entry).
            with contextlib.suppress(OSError):
                os.utime(path)
        self.hits += 1
        return result

    def put(self, key: str, blob: bytes) -> None:
        """Store a pickled result (`dump_result`) atomically; a cache that can't be written is skipped."""
        if not write_entry(self._path(key), self._header + key.encode() + b"\n", blob):
            self.write_errors += 1
            return
        self.writes += 1

    def maybe_prune(self, now: float | None = None) -> bool:
        """Prune when the last prune is over `PRUNE_INTERVAL_SECONDS` ago. Returns whether it pruned."""
        now = time.time() if now is None else now
        marker = self.root / "last-prune"
        try:
            if now - marker.stat().st_mtime < PRUNE_INTERVAL_SECONDS:
                return False
        except OSError:
            if not self.root.is_dir():
                return False
        try:
            marker.touch()
            os.utime(marker, (now, now))
        except OSError:
            return False
        self.prune(now)
        return True

    def prune(self, now: float | None = None) -> None:
        """Delete other versions' entries, entries unused for 30 days, stale temporary files, and the oldest
        entries while the cache is over `MAX_CACHE_BYTES`."""
        import shutil

        now = time.time() if now is None else now
        try:
            children = list(self.root.iterdir())
        except OSError:
            return
        for child in children:
            if child.is_dir() and child.name != self.tag:
                shutil.rmtree(child, ignore_errors=True)
        entries: list[tuple[float, int, Path]] = []
        for directory, _, names in os.walk(self.directory):
            for name in names:
                path = Path(directory) / name
                try:
                    stat = path.stat()
                except OSError:
                    continue
                stale_temporary = name.endswith(".tmp") and now - stat.st_mtime > 3600
                if stale_temporary or now - stat.st_mtime > MAX_ENTRY_AGE_SECONDS:
                    _unlink(path)
                elif not name.endswith(".tmp"):
                    entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        if total > MAX_CACHE_BYTES:
            for _, size, path in sorted(entries):
                _unlink(path)
                total -= size
                if total <= MAX_CACHE_BYTES * 3 // 4:
                    break


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()

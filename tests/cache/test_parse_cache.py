"""The parse cache and parallel parsing: same results with and without them, and a cache that can't be
fooled by other versions, corrupted entries or concurrent runs."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from ddblint import parse_cache
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.loaders.hcl import parse_hcl
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model.expressions import Body
from ddblint.parse_cache import ParseCache, ParseFailure, dump_result, load_result

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "bench"))
from generate import generate  # noqa: E402

BROKEN = 'resource "aws_iam_role" "r" {\n  name = "x"\n  tags = {\n'
SIMPLE = 'resource "aws_dynamodb_table" "t" {\n  name     = "orders"\n  hash_key = "id"\n}\n'


def tf_files() -> list[Path]:
    roots = [REPO / "examples", REPO / "modules", REPO / "tests" / "rules"]
    return sorted(p for root in roots for p in root.rglob("*.tf") if ".terraform" not in p.parts)


def walk_files(node: object, found: set[str]) -> None:
    """Every Block.file in a parsed body."""
    if isinstance(node, Body):
        for block in node.blocks:
            found.add(block.file)
            walk_files(block.body, found)


@pytest.fixture
def cache(tmp_path: Path) -> ParseCache:
    return ParseCache(tmp_path / "cache")


def findings_json(paths: list[Path], root: Path, **kwargs) -> list[dict]:
    result = run_check(paths, root=root, config=Config(), **kwargs)
    report = result.report
    return [f.to_dict() for f in report.findings] + [e.to_dict() for e in report.errors]


# -- pickling -------------------------------------------------------------------------------------------
def test_every_repository_file_round_trips_through_pickle() -> None:
    files = tf_files()
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            body = parse_hcl(text, "a/main.tf")
        except Exception:
            continue
        blob = dump_result(body, "a/main.tf")
        assert load_result(blob, "a/main.tf") == body, path
        # The file name is a placeholder in the entry: loading under another name gives that name.
        renamed = load_result(blob, "b/other.tf")
        assert renamed == parse_hcl(text, "b/other.tf"), path
        assert b"a/main.tf" not in blob


def test_pickling_is_much_faster_than_parsing() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in tf_files() if p.parent.name == "complete")
    body = parse_hcl(text, "main.tf")

    def fastest(step, repeat: int) -> float:
        """The fastest of `repeat` runs: on a shared machine, the others include time the test did not run."""
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        return min(times)

    parse_seconds = fastest(lambda: parse_hcl(text, "main.tf"), 3)
    round_trip_seconds = fastest(lambda: load_result(dump_result(body, "main.tf"), "main.tf"), 10)
    assert round_trip_seconds < parse_seconds / 3


def test_an_entry_may_hold_only_syntax_tree_classes() -> None:
    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))

    with pytest.raises(pickle.UnpicklingError):
        load_result(pickle.dumps(Evil()), "x.tf")

    class EvalInBuiltins:
        def __reduce__(self):
            return (eval, ("1 + 1",))

    with pytest.raises(pickle.UnpicklingError):
        load_result(pickle.dumps(EvalInBuiltins()), "x.tf")
    with pytest.raises(pickle.UnpicklingError):
        load_result(pickle.dumps({"not": "a body"}), "x.tf")


# -- keys, versions, corruption -------------------------------------------------------------------------
def test_key_depends_on_content_and_tool_versions_not_on_the_path(cache: ParseCache, tmp_path: Path) -> None:
    elsewhere = ParseCache(tmp_path / "another-cache-dir")
    assert elsewhere.key(b"a = 1\n") == cache.key(b"a = 1\n")
    assert cache.key(b"a = 1\n") != cache.key(b"a = 2\n")
    assert cache.key(b"a = 1\n", "json") != cache.key(b"a = 1\n", "hcl")
    tag = parse_cache.cache_tag()
    assert parse_cache.__version__ in tag and "hcl2" in tag and f"v{parse_cache.CACHE_FORMAT}" in tag
    other = ParseCache(tmp_path / "cache")
    other.tag = tag + "-next"
    assert other.key(b"a = 1\n") != cache.key(b"a = 1\n")


def write(directory: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


def load_with(root: Path, cache: ParseCache | None, jobs: int | None = None):
    loader = TerraformLoader(root, cache=cache, jobs=jobs)
    return loader, loader.load([root])


def test_warm_load_reads_every_file_from_the_cache(cache: ParseCache, tmp_path: Path, monkeypatch) -> None:
    root = write(tmp_path / "repo", {"a/main.tf": SIMPLE, "b/main.tf": SIMPLE.replace("orders", "carts")})
    _, cold = load_with(root, cache)
    assert cache.writes == 2 and cache.hits == 0
    warm_cache = ParseCache(cache.root)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm run parsed a file")

    monkeypatch.setattr("ddblint.loaders.terraform.parse_texts", no_parsing)
    monkeypatch.setattr("ddblint.loaders.terraform.parse_text", no_parsing)
    _, warm = load_with(root, warm_cache)
    assert warm_cache.hits == 2 and warm_cache.misses == 0
    assert warm.files == cold.files
    assert [[r.address for r in m.resources()] for m in warm.models] == [
        [r.address for r in m.resources()] for m in cold.models
    ]
    files = set()
    for model in warm.models:
        for resource in model.resources():
            files.add(resource.block.file)
    assert files == {"a/main.tf", "b/main.tf"}


def test_same_content_in_two_files_shares_one_entry_and_keeps_each_path(cache: ParseCache, tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"a/main.tf": SIMPLE, "b/main.tf": SIMPLE})
    load_with(root, cache)
    _, warm = load_with(root, ParseCache(cache.root))
    files = {r.block.file for m in warm.models for r in m.resources()}
    assert files == {"a/main.tf", "b/main.tf"}
    assert len(list(cache.directory.rglob("*"))) == 2  # one shard directory, one entry


def test_syntax_errors_are_cached_with_their_line(cache: ParseCache, tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"main.tf": BROKEN})
    _, cold = load_with(root, cache)
    warm_cache = ParseCache(cache.root)
    _, warm = load_with(root, warm_cache)
    assert warm_cache.hits == 1
    assert cold.errors == warm.errors and len(warm.errors) == 1
    assert (warm.errors[0].file, warm.errors[0].line) == ("main.tf", 4)  # the block is still open where the file ends
    entry = next(p for p in cache.directory.rglob("*") if p.is_file())
    assert isinstance(cache.get(entry.name, "main.tf"), ParseFailure)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-20] + b"\x00" * 20,
        lambda data: b"garbage" + data,  # foreign header
        lambda data: data.replace(parse_cache.cache_tag().encode(), b"v0-old-version"),  # another version's
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(cache: ParseCache, tmp_path: Path, damage) -> None:
    root = write(tmp_path / "repo", {"main.tf": SIMPLE})
    load_with(root, cache)
    entry = next(p for p in cache.directory.rglob("*") if p.is_file())
    entry.write_bytes(damage(entry.read_bytes()))
    second = ParseCache(cache.root)
    _, again = load_with(root, second)
    assert second.hits == 0 and second.writes == 1
    assert [[r.address for r in m.resources()] for m in again.models] == [["aws_dynamodb_table.t"]]
    third = ParseCache(cache.root)
    load_with(root, third)
    assert third.hits == 1  # rewritten whole


def test_other_versions_entries_are_never_read_and_are_pruned(tmp_path: Path, monkeypatch) -> None:
    root = write(tmp_path / "repo", {"main.tf": SIMPLE})
    old = ParseCache(tmp_path / "cache")
    load_with(root, old)
    monkeypatch.setattr(parse_cache, "_TAG", parse_cache.cache_tag().replace("ddblint", "ddblint9.9.9+"))
    new = ParseCache(tmp_path / "cache")
    assert new.tag != old.tag
    load_with(root, new)
    assert new.hits == 0 and new.writes == 1
    assert new.maybe_prune()
    assert not old.directory.exists() and new.directory.is_dir()
    assert not new.maybe_prune()  # at most once a day


def test_prune_drops_old_entries_stale_temporaries_and_keeps_under_the_size_cap(
    cache: ParseCache, tmp_path: Path, monkeypatch
) -> None:
    texts = {f"m{i}/main.tf": SIMPLE.replace("orders", f"t{i}") for i in range(6)}
    root = write(tmp_path / "repo", texts)
    load_with(root, cache)
    entries = sorted(p for p in cache.directory.rglob("*") if p.is_file())
    assert len(entries) == 6
    now = time.time()
    month_ago = now - 31 * 24 * 3600
    os.utime(entries[0], (month_ago, month_ago))
    stale = entries[1].parent / ".abc.tmp"
    stale.write_bytes(b"partial")
    os.utime(stale, (now - 7200, now - 7200))
    for index, entry in enumerate(entries[1:]):
        os.utime(entry, (now - 1000 + index, now - 1000 + index))
    size = entries[2].stat().st_size
    monkeypatch.setattr(parse_cache, "MAX_CACHE_BYTES", size * 4)
    cache.prune(now)
    left = sorted(p for p in cache.directory.rglob("*") if p.is_file())
    assert entries[0] not in left and stale not in left
    assert sum(p.stat().st_size for p in left) <= size * 3
    assert entries[-1] in left  # the newest survive


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    cache = ParseCache(blocker / "cache")
    root = write(tmp_path / "repo", {"main.tf": SIMPLE})
    _, loaded = load_with(root, cache)
    assert cache.write_errors == 1 and not loaded.errors
    assert [[r.address for r in m.resources()] for m in loaded.models] == [["aws_dynamodb_table.t"]]
    assert not cache.maybe_prune()


# -- concurrency ----------------------------------------------------------------------------------------
def test_concurrent_writers_of_one_entry_leave_one_whole_entry(cache: ParseCache) -> None:
    body = parse_hcl(SIMPLE, "main.tf")
    blob = dump_result(body, "main.tf")
    key = cache.key(SIMPLE.encode())
    readers_saw: list[object] = []

    def writer() -> None:
        for _ in range(50):
            cache.put(key, blob)

    def reader() -> None:
        for _ in range(200):
            readers_saw.append(cache.get(key, "main.tf"))

    threads = [threading.Thread(target=writer) for _ in range(4)] + [threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(seen is None or seen == body for seen in readers_saw)  # never a partial entry
    assert cache.get(key, "main.tf") == body
    assert [p.name for p in cache.directory.rglob("*") if p.is_file()] == [key]


def test_concurrent_cli_runs_share_a_cache_and_agree(tmp_path: Path) -> None:
    generate(tmp_path / "repo", 26)
    env = {**os.environ, "DDBLINT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "ddblint", "check", ".", "--format", "json", "--fail-on", "never"]
    processes = [
        subprocess.Popen(command, cwd=tmp_path / "repo", env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    warm = subprocess.run(command, cwd=tmp_path / "repo", env=env, capture_output=True, text=True, timeout=300)
    reports = [json.loads(o)["findings"] for o in [*outputs, warm.stdout]]
    assert reports[0] and all(r == reports[0] for r in reports)
    assert not list((tmp_path / "cache").rglob("*.tmp"))


# -- parallel parsing -----------------------------------------------------------------------------------
def test_parallel_parsing_gives_the_serial_results_in_the_same_order(tmp_path: Path, monkeypatch) -> None:
    items = [(p.read_text(encoding="utf-8"), f"f{i}.tf") for i, p in enumerate(tf_files()[:60])]
    items.append((BROKEN, "broken.tf"))
    serial = parse_cache.parse_texts(items, jobs=1)
    monkeypatch.setattr(parse_cache, "PARALLEL_MIN_BYTES", 0)
    parallel = parse_cache.parse_texts(items, jobs=2)
    assert parallel == serial
    assert isinstance(load_result(serial[-1], "broken.tf"), ParseFailure)


def test_findings_are_identical_with_and_without_cache_and_parallelism(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "repo"
    generate(root, 52)
    write(root, {"stacks/broken/main.tf": BROKEN})
    monkeypatch.setattr(parse_cache, "PARALLEL_MIN_BYTES", 0)
    paths = [root]
    serial = findings_json(paths, root, jobs=1)
    assert any(f.get("rule_id") for f in serial)
    assert any(f.get("file") == "stacks/broken/main.tf" for f in serial)
    assert findings_json(paths, root, jobs=2) == serial
    cache = ParseCache(tmp_path / "cache")
    assert findings_json(paths, root, jobs=2, cache=cache) == serial  # cold
    warm = ParseCache(tmp_path / "cache")
    # Without the findings cache, which would skip parsing altogether (it has entries from the cold run).
    assert findings_json(paths, root, jobs=2, cache=warm, use_findings_cache=False) == serial
    assert (warm.misses, warm.hits) == (0, len(list(root.rglob("*.tf"))))  # every file, the broken one too
    assert findings_json(paths, root, jobs=2, cache=ParseCache(tmp_path / "cache")) == serial


def test_parallel_parsing_falls_back_to_serial_when_processes_fail(monkeypatch) -> None:
    import concurrent.futures

    class NoPool:
        def __init__(self, *args, **kwargs):
            raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    monkeypatch.setattr(parse_cache, "PARALLEL_MIN_BYTES", 0)
    items = [(SIMPLE, "a.tf"), (BROKEN, "b.tf")]
    assert parse_cache.parse_texts(items, jobs=2) == parse_cache.parse_texts(items, jobs=1)


# -- the command line -----------------------------------------------------------------------------------
def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_cache_directory_defaults_and_overrides(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DDBLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parse_cache.default_cache_dir() == tmp_path / "xdg" / "ddblint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert parse_cache.default_cache_dir() == tmp_path / "home" / ".cache" / "ddblint"
    monkeypatch.setenv("DDBLINT_CACHE_DIR", str(tmp_path / "explicit"))
    assert parse_cache.default_cache_dir() == tmp_path / "explicit"


def test_cli_cache_options_and_a_warm_run_that_never_imports_the_parser(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"main.tf": SIMPLE})
    env = {**os.environ, "DDBLINT_CACHE_DIR": str(tmp_path / "env-cache")}
    first = run_cli(["check", "--no-cache", "."], root, env)
    assert first.returncode in (0, 1), first.stderr
    assert not (tmp_path / "env-cache").exists()
    second = run_cli(["check", "--cache-dir", str(tmp_path / "option-cache"), "."], root, env)
    assert second.stdout == first.stdout
    assert (tmp_path / "option-cache").is_dir() and not (tmp_path / "env-cache").exists()
    run_cli(["check", "."], root, env)
    assert (tmp_path / "env-cache").is_dir()
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['ddblint', 'check', '.']\n"
        "try:\n    runpy.run_module('ddblint', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('lark', 'hcl2', 'parliament', 'boto3') if m in sys.modules), "
        "file=sys.stderr)\n"
    )
    warm = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True)
    assert "LOADED []" in warm.stderr, warm.stderr
    assert warm.stdout == first.stdout
    jobs = run_cli(["check", "--no-cache", "--jobs", "1", "."], root, env)
    assert jobs.stdout == first.stdout

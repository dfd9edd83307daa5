"""The benchmark behind `make bench`: ddblint cold, warm and after one change, against checkov, on the
generated repositories of `tests/bench/generate.py`.

For each corpus size (about 50, 500 and 2,000 .tf files) it measures, on the same files in one run:
- floor: reading and hashing every .tf file (in this process), the least any run must do;
- ddblint cold: an empty parse cache (every file parsed, in parallel, and written to the cache);
- ddblint warm: the cache filled, nothing changed;
- ddblint one changed: the cache filled, one file edited (a different edit each repetition);
- checkov: `checkov -d . --framework terraform --skip-download -o json`, from its own venv.
Each is run several times; it reports the median wall time (and the range), the peak memory (the largest sum
of the resident memory of the command's process tree, sampled every 10 ms, and never below the largest single
process's maxrss), files per second and the ratio to checkov, as a table on the terminal and in a JSON file.
It also checks that the findings are identical cold, warm, without the cache, and parsed serially (-j 1).
Then, on a repository of 50 functions with their handler sources (`tests/bench/generate_handlers.py`), it
measures ddblint cold and reports the time per function (the code-permission rules read every handler).

    python tests/bench/run.py [--sizes small,medium,large] [--out build/bench] [--checkov PATH] [--handlers N]

Not a test module: pytest collects only test_*.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from generate import SIZES, generate  # noqa: E402
from generate_handlers import generate as generate_handlers  # noqa: E402

from tests.support.checkov import CHECKOV as DEFAULT_CHECKOV  # noqa: E402  (the tests' checkov venv)

DDBLINT = [sys.executable, "-m", "ddblint"]
# Repetitions per corpus: (ddblint cold, ddblint warm and one changed, checkov). Fewer cold and checkov runs
# on the large corpus, where one takes long.
REPETITIONS = {"small": (5, 7, 3), "medium": (5, 5, 3), "large": (3, 5, 2)}
TARGETS = {"cold": 0.2, "warm": 0.03, "one changed": 0.05}  # ratio to checkov's wall time, large corpus
HANDLER_REPETITIONS = 3
HANDLER_TARGET_S = 1.0  # cold seconds per function with handler code, at most ("well under a second")


@dataclass
class Measurement:
    name: str
    runs: int
    wall: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def peak(self) -> float:
        return max(self.peak_rss_mb) if self.peak_rss_mb else 0.0


# -- measuring one command --------------------------------------------------------------------------------
def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            with open(f"/proc/{entry}/statm", "rb") as handle:
                pages = int(handle.read().split()[1])
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Run a command to completion: (wall seconds, peak RSS of its process tree in MiB, exit code)."""
    peak = 0
    done = threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = max(peak, usage.ru_maxrss)  # KiB on Linux: the largest single process, in case sampling missed it
    return wall, peak / 1024, process.returncode


def floor(files: list[Path], repetitions: int) -> Measurement:
    measurement = Measurement("floor: read + sha256", repetitions, note="in the runner's process")
    for _ in range(repetitions):
        start = time.perf_counter()
        for path in files:
            hashlib.sha256(path.read_bytes()).digest()
        measurement.wall.append(time.perf_counter() - start)
    return measurement


# -- the runs ---------------------------------------------------------------------------------------------
def ddblint_command(cache_dir: Path | None, output: Path, *extra: str) -> list[str]:
    cache = ["--no-cache"] if cache_dir is None else ["--cache-dir", str(cache_dir)]
    return [*DDBLINT, "check", ".", "--format", "json", "--output", str(output), "--fail-on", "never", *cache, *extra]


def findings_of(report: Path) -> list:
    data = json.loads(report.read_text(encoding="utf-8"))
    return [data.get("findings"), data.get("errors")]


def bench_size(size: str, work: Path, checkov: Path | None, log) -> dict:
    corpus = work / f"corpus-{size}"
    count = generate(corpus, SIZES[size])
    files = sorted(corpus.rglob("*.tf"))
    cold_reps, ddb_reps, checkov_reps = REPETITIONS[size]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DDBLINT_CACHE_DIR", None)
    reports = work / f"reports-{size}"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    log(f"\n== {size}: {count} .tf files in {corpus}")

    results = [floor(files, ddb_reps)]

    cold = Measurement("ddblint cold", cold_reps, note="empty cache: parse all files (parallel), write the cache")
    for index in range(cold_reps):
        cache = work / f"cache-{size}-cold-{index}"
        shutil.rmtree(cache, ignore_errors=True)
        wall, rss, code = run_measured(ddblint_command(cache, reports / "cold.json"), corpus, env)
        _check_exit("ddblint", code)
        cold.wall.append(wall)
        cold.peak_rss_mb.append(rss)
        if index:
            shutil.rmtree(cache, ignore_errors=True)
    warm_cache = work / f"cache-{size}-cold-0"
    results.append(cold)

    warm = Measurement("ddblint warm", ddb_reps, note="cache filled, nothing changed")
    for _ in range(ddb_reps):
        wall, rss, code = run_measured(ddblint_command(warm_cache, reports / "warm.json"), corpus, env)
        _check_exit("ddblint", code)
        warm.wall.append(wall)
        warm.peak_rss_mb.append(rss)
    results.append(warm)

    # Identity: the same findings without the cache, parsed in parallel and serially.
    identical = True
    reference = findings_of(reports / "cold.json")
    for label, command in (
        ("warm", None),
        ("no cache, parallel", ddblint_command(None, reports / "nocache.json")),
        ("no cache, serial (-j 1)", ddblint_command(None, reports / "serial.json", "--jobs", "1")),
    ):
        if command is not None:
            run_measured(command, corpus, env)
        name = {"warm": "warm.json"}.get(label) or Path(command[command.index("--output") + 1]).name
        if findings_of(reports / name) != reference:
            identical = False
            log(f"   FINDINGS DIFFER: {label} vs cold")
    log(f"   findings identical cold / warm / no cache / serial: {identical}")

    changed = Measurement("ddblint one changed", ddb_reps, note="cache filled, one file edited")
    target = files[len(files) // 2]
    original = target.read_bytes()
    try:
        for index in range(ddb_reps):
            edit = f'\noutput "bench_edit_{index}_{time.time_ns()}" {{\n  value = {index}\n}}\n'
            target.write_bytes(original + edit.encode())
            wall, rss, code = run_measured(ddblint_command(warm_cache, reports / "changed.json"), corpus, env)
            _check_exit("ddblint", code)
            changed.wall.append(wall)
            changed.peak_rss_mb.append(rss)
    finally:
        target.write_bytes(original)
    results.append(changed)

    checkov_result = None
    if checkov is not None:
        checkov_result = Measurement(
            "checkov", checkov_reps, note="--framework terraform --skip-download -o json (no cache of its own)"
        )
        checkov_env = {**env, "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "BC_SKIP_MAPPING": "TRUE"}
        for _ in range(checkov_reps):
            command = [str(checkov), "-d", ".", "--framework", "terraform", "--skip-download", "-o", "json"]
            wall, rss, code = run_measured(command, corpus, checkov_env)
            if code not in (0, 1):
                log(f"   checkov exited with {code}")
            checkov_result.wall.append(wall)
            checkov_result.peak_rss_mb.append(rss)
        results.append(checkov_result)
    shutil.rmtree(warm_cache, ignore_errors=True)

    rows = []
    for measurement in results:
        ratio = checkov_result.median and measurement.median / checkov_result.median if checkov_result else None
        rows.append(
            {
                **asdict(measurement),
                "median_s": round(measurement.median, 4),
                "min_s": round(min(measurement.wall), 4),
                "max_s": round(max(measurement.wall), 4),
                "peak_rss_mb_max": round(measurement.peak, 1),
                "files_per_s": round(count / measurement.median, 1),
                "ratio_to_checkov": None if ratio is None else round(ratio, 4),
                "memory_ratio_to_checkov": (
                    round(measurement.peak / checkov_result.peak, 3)
                    if checkov_result and measurement.peak and checkov_result.peak
                    else None
                ),
            }
        )
    return {"size": size, "files": count, "identical_findings": identical, "rows": rows}


def bench_handlers(functions: int, work: Path, log) -> dict:
    """Cold runs (an empty cache) on a repository whose functions all have handler code (IAM107/IAM108 read
    every handler and its imports): the median wall time and the time per function."""
    corpus = work / f"corpus-handlers-{functions}"
    shutil.rmtree(corpus, ignore_errors=True)
    generate_handlers(corpus, functions)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DDBLINT_CACHE_DIR", None)
    log(f"\n== handlers: {functions} functions with Python, JavaScript and TypeScript handlers in {corpus}")
    cold = Measurement("ddblint cold, handler code", HANDLER_REPETITIONS, note="empty cache, every handler read")
    report = work / "reports-handlers.json"
    for index in range(HANDLER_REPETITIONS):
        cache = work / f"cache-handlers-{index}"
        shutil.rmtree(cache, ignore_errors=True)
        wall, rss, code = run_measured(ddblint_command(cache, report), corpus, env)
        _check_exit("ddblint", code)
        cold.wall.append(wall)
        cold.peak_rss_mb.append(rss)
        shutil.rmtree(cache, ignore_errors=True)
    findings, _ = findings_of(report)
    counts = {rule: sum(1 for f in findings if f["rule_id"] == rule) for rule in ("IAM107", "IAM108")}
    per_function = cold.median / functions
    verdict = "met" if per_function <= HANDLER_TARGET_S else "MISSED"
    log(
        f"   cold median {cold.median:.3f} s ({min(cold.wall):.3f}-{max(cold.wall):.3f}, {HANDLER_REPETITIONS} runs), "
        f"{per_function * 1000:.1f} ms per function, peak RSS {cold.peak:.0f} MiB; "
        f"IAM107 {counts['IAM107']}, IAM108 {counts['IAM108']} findings"
    )
    log(f"   target: at most {HANDLER_TARGET_S:.1f} s per function on a cold cache: {verdict}")
    return {
        "functions": functions,
        **asdict(cold),
        "median_s": round(cold.median, 4),
        "per_function_ms": round(per_function * 1000, 2),
        "findings": counts,
        "verdict": verdict,
    }


def _check_exit(tool: str, code: int) -> None:
    if code not in (0, 1, 2):
        raise SystemExit(f"{tool} crashed with exit code {code}")


# -- reporting --------------------------------------------------------------------------------------------
def table(results: list[dict]) -> str:
    lines = [
        "| corpus | run | median s (min-max) | peak RSS MiB | files/s | x checkov time | x checkov memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for row in result["rows"]:
            runs = f"{row['runs']} runs" if row["runs"] > 1 else "1 run"
            ratio = "" if row["ratio_to_checkov"] is None else f"{row['ratio_to_checkov']:.3f}"
            memory = "" if row["memory_ratio_to_checkov"] is None else f"{row['memory_ratio_to_checkov']:.2f}"
            rss = "" if row["name"].startswith("floor") else f"{row['peak_rss_mb_max']:.0f}"
            lines.append(
                f"| {result['files']} files | {row['name']} | {row['median_s']:.3f} ({row['min_s']:.3f}-"
                f"{row['max_s']:.3f}, {runs}) | {rss} | {row['files_per_s']:,.0f} | {ratio} | {memory} |"
            )
    return "\n".join(lines)


def verdicts(results: list[dict]) -> list[str]:
    large = next((r for r in results if r["size"] == "large"), None)
    if large is None:
        return []
    rows = {row["name"]: row for row in large["rows"]}
    if "checkov" not in rows:
        return ["targets: not checked (checkov did not run)"]
    out = []
    for run, limit in TARGETS.items():
        ratio = rows[f"ddblint {run}"]["ratio_to_checkov"]
        out.append(f"target {run}: {ratio:.3f}x checkov (at most {limit}x) {'met' if ratio <= limit else 'MISSED'}")
    memory = max(rows[f"ddblint {run}"]["peak_rss_mb_max"] for run in TARGETS) / rows["checkov"]["peak_rss_mb_max"]
    out.append(f"target memory: {memory:.2f}x checkov's peak (at most 0.5x) {'met' if memory <= 0.5 else 'MISSED'}")
    out.append(f"findings identical with and without cache and parallelism: {large['identical_findings']}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large", help="comma-separated: small, medium, large")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--checkov", type=Path, default=DEFAULT_CHECKOV)
    parser.add_argument(
        "--handlers", type=int, default=50, help="functions of the handler-code corpus (0: skip it)", metavar="N"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, flush=True)

    checkov: Path | None = args.checkov
    checkov_version = None
    if checkov is None or not checkov.exists():
        log(f"checkov not found at {args.checkov}: measuring ddblint only (`make bench` installs it on demand)")
        checkov = None
    else:
        checkov_version = subprocess.run(
            [str(checkov), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        log(f"checkov {checkov_version} at {checkov}")
    ddblint_version = subprocess.run(
        [*DDBLINT, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    load_before = os.getloadavg()
    results = [bench_size(size, args.out, checkov, log) for size in sizes]
    handlers = bench_handlers(args.handlers, args.out, log) if args.handlers > 0 else None
    load_after = os.getloadavg()
    machine = {
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }
    text = table(results)
    log("\n" + text + "\n")
    log(
        "Repetitions per corpus (ddblint cold / warm and one changed / checkov): "
        + ", ".join(f"{s} {'/'.join(map(str, REPETITIONS[s]))}" for s in sizes)
        + f"; {machine['cores']} cores, Python {machine['python']}; load average (1, 5, 15 min) "
        + f"{machine['load_average_before']} before, {machine['load_average_after']} after"
    )
    for line in verdicts(results):
        log(line)
    output = args.out / "results.json"
    output.write_text(
        json.dumps(
            {
                "ddblint": ddblint_version,
                "checkov": checkov_version,
                "machine": machine,
                "repetitions": {s: REPETITIONS[s] for s in sizes},
                "results": results,
                "handlers": handlers,
                "table": text,
                "verdicts": verdicts(results),
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    log(f"wrote {output}")


if __name__ == "__main__":
    main()

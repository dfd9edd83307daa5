"""`ddblint check`: the pipeline (`pipeline.py`) over Terraform directories and policy JSON files.

This is the library entry point; the CLI only parses arguments around it and picks the exit code.
"""

from __future__ import annotations

from pathlib import Path

from ddblint.baseline import Baseline
from ddblint.config import Config
from ddblint.parse_cache import ParseCache
from ddblint.pipeline import CheckResult, RuleSelection, finish, scan_sources

__all__ = ["CheckResult", "run_check"]


def run_check(
    paths: list[Path],
    *,
    root: Path,
    config: Config,
    baseline: Baseline | None = None,
    cache: ParseCache | None = None,
    jobs: int | None = None,
    use_findings_cache: bool = True,
) -> CheckResult:
    """The whole pipeline over `paths`, inside the boundary `root`.

    `cache`: parsed files are looked up and stored there (None: parse everything); `jobs`: processes for
    parsing the rest (None: the available cores). With a cache, each root module's findings are cached too
    (`findings_cache.py`), unless `use_findings_cache` is False."""
    selection = RuleSelection.from_config(config)
    scan = scan_sources(
        paths,
        root=root,
        config=config,
        selection=selection,
        cache=cache,
        jobs=jobs,
        use_findings_cache=use_findings_cache,
    )
    if cache is not None:
        cache.maybe_prune()
    return finish(scan, paths=paths, root=root, config=config, selection=selection, baseline=baseline)

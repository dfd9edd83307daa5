"""The `ddblint` command line: wires loading, rules, post-processing and reporters, and picks the exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration or input
error (an unreadable or unparsable file; the other files are still checked and reported).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import click

from ddblint import __version__
from ddblint.reporters import FORMATS
from ddblint.rules import all_rules, get_rule

# Each command imports the pipeline it runs when it runs: `--help`, `--version`, `rules` and `explain` do not load
# it, and `check` does not load the plan loader (a pre-commit hook and a test suite start the CLI many times).

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ddblint")
def main() -> None:
    """Lint Terraform for AWS Lambda + DynamoDB stacks before `terraform apply`."""


@main.command(short_help="Check Terraform directories and policy JSON files.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_name", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    help="Lowest severity that makes the exit code 1 (default: error, or the config's fail_on).",
)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="A .ddblint.toml or pyproject.toml.")
@click.option("--select", multiple=True, help="Only these rule IDs or prefixes (repeat or comma-separate).")
@click.option("--ignore", multiple=True, help="Skip these rule IDs or prefixes (repeat or comma-separate).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Report only findings not in it.")
@click.option("--write-baseline", type=click.Path(path_type=Path), help="Write every current finding to FILE.")
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a terminal only).")
@click.option("--no-cache", is_flag=True, help="Parse every file; neither read nor write the parse cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Parse cache directory (default: $DDBLINT_CACHE_DIR, else $XDG_CACHE_HOME/ddblint, else ~/.cache/ddblint).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Processes for parsing uncached files (default: every core)."
)
def check(
    paths: tuple[Path, ...],
    format_name: str,
    output: Path | None,
    fail_on: str | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    baseline_path: Path | None,
    write_baseline: Path | None,
    color: bool | None,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
) -> None:
    """Check Terraform directories and IAM policy JSON files (default: the current directory)."""
    _check(
        paths,
        format_name=format_name,
        output=output,
        fail_on=fail_on,
        config_path=config_path,
        select=select,
        ignore=ignore,
        baseline_path=baseline_path,
        write_baseline=write_baseline,
        color=color,
        no_cache=no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
    )


def _check(
    paths: tuple[Path, ...],
    *,
    format_name: str = "text",
    output: Path | None = None,
    fail_on: str | None = None,
    config_path: Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    baseline_path: Path | None = None,
    write_baseline: Path | None = None,
    color: bool | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    require_input: bool = True,
) -> None:
    """`ddblint check`; with `require_input`, paths that hold no Terraform or policy file are a usage error
    (the pre-commit hook passes False: a commit of other JSON files is not a mistake)."""
    from ddblint.check import run_check
    from ddblint.parse_cache import ParseCache, default_cache_dir
    from ddblint.pipeline import scan_boundary

    targets = list(paths) or [Path(".")]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        _fail(f"no such file or directory: {', '.join(missing)}")
    root = scan_boundary(targets)
    config = _load_config(root, config_path, select, ignore, fail_on)
    baseline = _load_baseline(baseline_path)
    # A run keeps nearly everything it builds until it ends: full garbage collections only cost time (a
    # seventh of a warm run on 2,000 files), so make them rare.
    gc.set_threshold(700, 10, 1000)
    cache = None if no_cache else ParseCache(cache_dir or default_cache_dir())
    result = run_check(targets, root=root, config=config, baseline=baseline, cache=cache, jobs=jobs)
    report = result.report
    if require_input and report.files_scanned == 0 and not report.errors:
        where = ", ".join(_shown_path(p) for p in targets)
        _fail(f"no .tf files (nor IAM policy JSON files) under {where}: nothing to check")
    if write_baseline is not None:
        write_baseline_file(write_baseline, result.unbaselined, root)
    _emit(report, format_name, output, color, config)


def _load_config(root: Path, config_path, select, ignore, fail_on):
    """The config file merged with the command line; exits 2 on a configuration error."""
    from ddblint.config import ConfigError, load_config, merge_cli

    rules = all_rules()
    try:
        config = load_config(root, config_path, rules=rules)
        return merge_cli(config, select=list(select) or None, ignore=list(ignore) or None, fail_on=fail_on, rules=rules)
    except ConfigError as error:
        _fail(f"configuration error: {error}")


def _load_baseline(baseline_path: Path | None):
    """The baseline file's entries (None without one); exits 2 when it cannot be read."""
    if baseline_path is None:
        return None
    from ddblint.baseline import BaselineError, load_baseline

    try:
        return load_baseline(baseline_path)
    except BaselineError as error:
        _fail(str(error))


def _emit(report, format_name: str, output: Path | None, color: bool | None, config) -> None:
    """Write the report and exit: 2 on input errors, 1 on findings at or above fail_on, else 0."""
    from ddblint.pipeline import rules_by_id
    from ddblint.reporters import render

    use_color = (
        color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    )
    text = render(format_name, report, rules_by_id(), color=bool(use_color))
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"), color=bool(use_color))
    for error in report.errors:
        click.echo(f"{error.file}:{error.line}: error: {error.message}", err=True)
    if report.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if config.fails(report.findings) else EXIT_OK)


@main.command(short_help="Check a Terraform plan (terraform show -json).")
@click.argument("plan_file", type=click.Path(path_type=Path))
@click.option(
    "--source",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="The directory the plan was made in: findings point at its .tf lines and its suppressions apply.",
)
@click.option(
    "--changed-only",
    is_flag=True,
    help="Report findings only on resources the plan creates, updates or replaces, and list its risky changes.",
)
@click.option("--format", "format_name", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    help="Lowest severity that makes the exit code 1 (default: error, or the config's fail_on).",
)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="A .ddblint.toml or pyproject.toml.")
@click.option("--select", multiple=True, help="Only these rule IDs or prefixes (repeat or comma-separate).")
@click.option("--ignore", multiple=True, help="Skip these rule IDs or prefixes (repeat or comma-separate).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Report only findings not in it.")
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a terminal only).")
def plan(
    plan_file: Path,
    source: Path,
    changed_only: bool,
    format_name: str,
    output: Path | None,
    fail_on: str | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    baseline_path: Path | None,
    color: bool | None,
) -> None:
    """Check a Terraform plan: `terraform show -json PLANFILE > plan.json; ddblint plan plan.json`."""
    from ddblint.pipeline import scan_boundary
    from ddblint.plan_check import run_plan

    if not plan_file.is_file():
        _fail(f"no such file: {plan_file}")
    if not source.is_dir():
        _fail(f"--source {source} is not a directory")
    root = scan_boundary([source])
    config = _load_config(root, config_path, select, ignore, fail_on)
    baseline = _load_baseline(baseline_path)
    result = run_plan(plan_file, source=source, root=root, config=config, baseline=baseline, changed_only=changed_only)
    _emit(result.report, format_name, output, color, config)


@main.command("pre-commit", short_help="Check the directories of changed files (the hook).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="As for `check`.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="As for `check`.")
@click.option("--select", multiple=True, help="As for `check`.")
@click.option("--ignore", multiple=True, help="As for `check`.")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="As for `check`.")
def pre_commit(files: tuple[Path, ...], **options) -> None:
    """Check the directories of the given files (what the pre-commit hook runs).

    A changed .tf file is checked with the rest of its directory, so rules that join resources across
    files still see the whole module; a changed JSON file with the Terraform directory above it that may
    read it through file(), or on its own when there is none.
    """
    directories = sorted({str(_hook_directory(path)) for path in files if path.exists()})
    if not directories:
        sys.exit(EXIT_OK)
    _check(tuple(Path(d) for d in directories), **options, require_input=False)


def _shown_path(path: Path) -> str:
    """A scanned path as the user wrote it, a directory with a trailing slash (`empty/`)."""
    text = path.as_posix()
    return text.rstrip("/") + "/" if path.is_dir() and text not in (".", "/") else text


def _hook_directory(path: Path) -> Path:
    """The directory to check for a changed file: its own for .tf/.tfvars, the nearest module above for JSON."""
    directory = path.parent if path.parent != Path("") else Path(".")
    if path.suffix == ".json" and not path.name.endswith((".tf.json", ".tfvars.json")):
        cwd = Path.cwd().resolve()
        candidate = directory.resolve()
        while candidate.is_relative_to(cwd):
            if any(candidate.glob("*.tf")):
                return candidate.relative_to(cwd) if candidate != cwd else Path(".")
            if candidate == cwd:
                break
            candidate = candidate.parent
    return directory


@main.group(short_help="Export rules for other tools (checkov).")
def export() -> None:
    """Export ddblint rules for other tools."""


@export.command("checkov", short_help="Write checkov custom policies for ddblint rules.")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def export_checkov_command(directory: Path) -> None:
    """Write checkov YAML custom policies for the single-resource rules checkov can express.

    Use them with `checkov -d DIR --external-checks-dir DIRECTORY`.
    """
    from ddblint.export_checkov import export_checkov

    written = export_checkov(directory)
    for path in written:
        click.echo(str(path))
    click.echo(f"wrote {len(written)} checkov policies to {directory}", err=True)


def write_baseline_file(path: Path, findings, boundary: Path) -> None:
    from ddblint.baseline import write_baseline

    write_baseline(path, findings, boundary=boundary)
    click.echo(f"wrote {len(findings)} findings to baseline {path}", err=True)


@main.command("rules", short_help="List every rule.")
@click.option("--format", "format_name", type=click.Choice(["text", "json", "markdown"]), default="text")
def list_rules(format_name: str) -> None:
    """List every rule: ID, name, default severity and summary."""
    rules = all_rules()
    if format_name == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.value,
                "summary": r.summary,
                "tags": list(r.tags),
                "sources": list(r.source_urls),
                "options": r.options,
            }
            for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
        return
    if format_name == "markdown":
        click.echo(rules_markdown())
        return
    for rule in rules:
        click.echo(f"{rule.id}  {rule.name:<38} {rule.severity.value:<8} {rule.summary}")


def rules_markdown() -> str:
    """The rule table for the README (a test keeps the README in sync with it)."""
    lines = ["| ID | name | default severity | summary |", "|---|---|---|---|"]
    for rule in all_rules():
        lines.append(f"| {rule.id} | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines)


@main.command(short_help="Print the least-privilege policy of one function.")
@click.argument("address")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["hcl", "json"]),
    default="hcl",
    show_default=True,
    help='hcl: a data "aws_iam_policy_document" with Terraform references; json: the policy JSON.',
)
def policy(address: str, path: Path, format_name: str) -> None:
    """Print the identity policy the function at ADDRESS needs, from what the code under PATH shows: its
    handler's AWS calls, its event source mappings' reads, its failure destinations, its logs, network
    interfaces in a VPC and X-Ray when tracing is Active. What cannot be resolved is listed, never guessed."""
    from ddblint import least_privilege

    try:
        function = least_privilege.find_function(path, address)
    except least_privilege.UnknownFunction as error:
        known = ", ".join(error.known) if error.known else "none"
        _fail(f"no aws_lambda_function {address!r} in {path}; the functions there: {known}")
    if format_name == "json":
        written = least_privilege.json_policy(function)
        click.echo(least_privilege.render_json(written), nl=False)
        for item in written.unresolved:
            click.echo(f"ddblint: not resolved, not granted: {item}", err=True)
        return
    click.echo(least_privilege.render_hcl(least_privilege.hcl_policy(function)), nl=False)


@main.command(short_help="Print the documentation of one rule.")
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print the documentation of one rule (e.g. `ddblint explain IAM102`)."""
    rule = get_rule(rule_id)
    if rule is None:
        _fail(f"unknown rule {rule_id!r}; `ddblint rules` lists them")
    try:
        doc = rule.doc
    except OSError:
        _fail(f"no documentation installed for {rule.id}")
    click.echo(doc.rstrip("\n"))


def _fail(message: str) -> None:
    click.echo(f"ddblint: {message}", err=True)
    sys.exit(EXIT_ERROR)

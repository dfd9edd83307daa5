"""`check`: load the paths, run the selected rules, apply suppressions/config/baseline, return a Report.

This is the library entry point; the CLI only parses arguments around it and picks the exit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ddblint import __version__
from ddblint.baseline import Baseline
from ddblint.config import Config
from ddblint.findings import Finding, InputError, Location, Report, Severity
from ddblint.loaders.iam_json import load_policy_file
from ddblint.loaders.terraform import Note, TerraformLoader
from ddblint.model import Model
from ddblint.model.policy import build_document
from ddblint.parse_cache import ParseCache
from ddblint.postprocess import postprocess
from ddblint.rules import Rule, all_rules
from ddblint.suppressions import (
    SUPPRESSION_WITHOUT_REASON,
    UNUSED_SUPPRESSION,
    BlockSpan,
    MetaRule,
    parse_suppressions,
)

MODULE_NOT_LOADED = MetaRule(
    "DDB003",
    "module-not-loaded",
    Severity.INFO,
    "a module call could not be followed, so the resources inside it were not checked",
)
READ_OUTSIDE_ROOT = MetaRule(
    "DDB004",
    "read-outside-root",
    Severity.INFO,
    "a file, directory or module path resolves outside the scanned root, so it was not read",
)
META_RULES = (SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION, MODULE_NOT_LOADED, READ_OUTSIDE_ROOT)
_NOTE_FIXES = {
    MODULE_NOT_LOADED.id: "run `terraform init` before ddblint, or scan the module's directory too",
    READ_OUTSIDE_ROOT.id: "keep the file inside the repository (ddblint never reads outside the scanned root), "
    "or scan a directory that contains it",
}


@dataclass
class CheckResult:
    report: Report
    # Every finding before the baseline, for --write-baseline.
    unbaselined: list[Finding]


def rules_by_id() -> dict[str, Rule | MetaRule]:
    rules: dict[str, Rule | MetaRule] = {rule.id: rule for rule in all_rules()}
    rules.update({meta.id: meta for meta in META_RULES})
    return rules


def scan_root(paths: Iterable[Path], cwd: Path | None = None) -> Path:
    """The directory every reported path is relative to: the working directory when it holds all paths."""
    cwd = (cwd or Path.cwd()).resolve()
    resolved = [p.resolve() for p in paths]
    if all(p.is_relative_to(cwd) for p in resolved):
        return cwd
    directories = [p if p.is_dir() else p.parent for p in resolved]
    common = Path(*Path(directories[0]).parts)
    for directory in directories[1:]:
        while not directory.is_relative_to(common):
            common = common.parent
    return common


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
    """`cache`: parsed files are looked up and stored there (None: parse everything); `jobs`: processes
    for parsing the rest (None: the available cores). With a cache, each root module's findings are cached
    too (`findings_cache.py`), unless `use_findings_cache` is False."""
    rules = [rule for rule in all_rules() if config.is_selected(rule.id)]
    options = {rule.id: config.options_for(rule) for rule in rules}
    if cache is not None and use_findings_cache:
        from ddblint.findings_cache import scan_with_cache

        scan = scan_with_cache(paths, root=root, config=config, rules=rules, options=options, cache=cache, jobs=jobs)
    else:
        scan = _scan(paths, root=root, config=config, rules=rules, options=options, cache=cache, jobs=jobs)
    if cache is not None:
        cache.maybe_prune()
    loader, errors, findings = scan.loader, scan.errors, scan.findings
    # Policy JSON files that Terraform reads through file() were checked at their policy resource by now.
    standalone, json_errors = _standalone_policies(loader, scan.files_read, scan.json_files, paths, root)
    errors += json_errors
    if standalone is not None:
        findings += _run_rules(rules, options, [standalone], errors)
        scan.spans.update(_block_spans([standalone]))
    meta = {rule.id: rule for rule in META_RULES}
    findings.extend(
        Finding(
            rule_id=note.rule_id,
            rule_name=meta[note.rule_id].name,
            severity=Severity.INFO,
            address=note.address or note.file,
            location=Location(note.file, note.line),
            message=note.message,
            fix=_NOTE_FIXES[note.rule_id],
        )
        for note in scan.notes
    )
    findings.extend(
        Finding(
            rule_id=READ_OUTSIDE_ROOT.id,
            rule_name=READ_OUTSIDE_ROOT.name,
            severity=Severity.INFO,
            address=file,
            location=Location(file, line),
            message=message,
            fix=_NOTE_FIXES[READ_OUTSIDE_ROOT.id],
        )
        for file, line, message in sorted(scan.outside_reads)
    )
    findings = sorted(set(findings), key=Finding.sort_key)

    suppressions = [s for rel, text in sorted(scan.files.items()) for s in parse_suppressions(rel, text)]
    blocks = sorted(scan.spans, key=lambda s: (s.file, s.start_line, s.address))
    known = rules_by_id()
    processed = postprocess(
        findings, config=config, rules_by_id=known, suppressions=suppressions, blocks=blocks, baseline=None
    )
    unbaselined = processed.findings
    reported, baselined = (unbaselined, 0) if baseline is None else baseline.filter(unbaselined)
    report = Report(
        findings=sorted(reported, key=Finding.sort_key),
        errors=sorted(set(errors)),
        version=__version__,
        files_scanned=scan.files_scanned + (len(standalone.standalone_documents) if standalone else 0),
        suppressed=len(processed.suppressed),
        baselined=baselined,
    )
    return CheckResult(report, unbaselined)


@dataclass
class Scan:
    """What loading and the rules give for every root module, before the standalone policies and postprocess."""

    loader: TerraformLoader
    findings: list[Finding]  # the rules' own findings
    errors: list[InputError]  # input errors and rule crashes
    notes: list[Note]
    files: dict[str, str]  # every loaded .tf file's text, for suppression comments
    json_files: list[Path]
    files_scanned: int
    files_read: set[str]  # read through file()/templatefile()
    outside_reads: set[tuple[str, int, str]]
    spans: set[BlockSpan]


def _scan(
    paths: list[Path],
    *,
    root: Path,
    config: Config,
    rules: list[Rule],
    options: dict,
    cache: ParseCache | None,
    jobs: int | None,
) -> Scan:
    """Load every root module and run the rules on it, without the findings cache."""
    loader = TerraformLoader(root, excluded=config.is_excluded, cache=cache, jobs=jobs)
    loaded = loader.load(paths)
    errors = list(loaded.errors)
    findings = _run_rules(rules, options, loaded.models, errors)
    return Scan(
        loader=loader,
        findings=findings,
        errors=errors,
        notes=list(loaded.notes),
        files=loaded.files,
        json_files=loaded.json_files,
        files_scanned=loaded.files_scanned,
        files_read={rel for model in loaded.models for rel in model.files_read},
        outside_reads={read for model in loaded.models for read in model.outside_reads},
        spans=set(_block_spans(loaded.models)),
    )


def _run_rules(rules: list[Rule], options: dict, models: list[Model], errors: list[InputError]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        for model in models:
            try:
                findings.extend(rule.run(model, options[rule.id]))
            except Exception as error:  # a rule bug must not hide the other rules' findings
                message = f"internal error in rule {rule.id}: {type(error).__name__}: {error}"
                errors.append(InputError(model.module_dir, 0, message))
    return findings


def _standalone_policies(
    loader: TerraformLoader, read_by_terraform: set[str], json_files: list[Path], paths: list[Path], root: Path
) -> tuple[Model | None, list[InputError]]:
    explicit = {p.resolve() for p in paths if p.is_file()}
    model = Model(root_dir=root.resolve(), module_dir=".")
    errors: list[InputError] = []
    for path in json_files:
        rel = loader.rel(path)
        if rel in read_by_terraform:
            continue  # checked where Terraform reads it, at the policy resource
        value, error = load_policy_file(path, rel, explicit=path.resolve() in explicit)
        if error is not None:
            errors.append(error)
        if value is None:
            continue
        line = getattr(value, "line", 1)
        model.standalone_documents.append(build_document(value, rel, Location(rel, line)))
    return (model if model.standalone_documents else None), errors


def _block_spans(models: list[Model]) -> list[BlockSpan]:
    spans: set[BlockSpan] = set()
    for model in models:
        for resource in model.resources():
            block = resource.block
            spans.add(BlockSpan(resource.address, block.file, block.line, block.end_line))
        for instance in model.instances:
            if instance.call is not None:
                call = instance.call
                spans.add(BlockSpan(instance.prefix, call.file, call.line, call.end_line))
    return sorted(spans, key=lambda s: (s.file, s.start_line, s.address))

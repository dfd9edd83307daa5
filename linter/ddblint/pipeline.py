"""The one analysis pipeline: sources -> per-root model -> rules -> input findings -> suppressions,
configuration and baseline -> Report.

`ddblint check`, `ddblint plan` and `ddblint pre-commit` are front ends of it (`check.py`, `plan_check.py`,
`cli.py`). Every mode goes through the same steps:

1. **Sources.** The scanned paths are searched for root modules and policy JSON files inside the scan
   boundary (`scan_boundary`). In plan mode the one root module is the directory the plan was made in.
2. **Per-root model.** Each root module is loaded with the local modules it calls (`loaders/terraform.py`,
   parsing through the parse cache). A plan is one more layer of values over that model
   (`loaders.terraform.ValueLayer`), not a second pipeline.
3. **Rules.** Every selected rule runs on every model; each finding carries the root it was found in.
   With the findings cache, a root whose inputs did not change gives its stored findings instead of being
   loaded (`findings_cache.py`); plan mode does not use it (the plan's values change the findings).
4. **Input findings.** What the loader could not follow (DDB003) or refused to read because it is outside
   the scan boundary (DDB004) becomes findings of the registered DDB rules (`rules/ddb.py`).
5. **Post-processing** (`postprocess.py`): exclusions, selection, configured severities, suppression
   comments (DDB001/DDB002), then the baseline.
6. **One entry per source location** (`instance_groups.py`): the findings of one line in several module or
   resource instances become one entry that lists the instances; reporters format entries.
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ddblint import __version__
from ddblint.baseline import Baseline
from ddblint.config import Config
from ddblint.findings import Finding, InputError, Location, Report
from ddblint.findings_cache import scan_with_cache
from ddblint.instance_groups import group_instances
from ddblint.loaders.iam_json import load_policy_file
from ddblint.loaders.terraform import Note, TerraformLoader, ValueLayer
from ddblint.model import BlockView, Model
from ddblint.model.policy import build_document
from ddblint.parse_cache import ParseCache
from ddblint.postprocess import postprocess
from ddblint.rules import Rule, all_rules
from ddblint.rules.ddb import NOTE_FIXES, READ_OUTSIDE_ROOT
from ddblint.suppressions import BlockSpan, block_spans, parse_suppressions


@dataclass
class CheckResult:
    report: Report
    # Every finding before the baseline, for --write-baseline.
    unbaselined: list[Finding]


@dataclass(frozen=True)
class RuleSelection:
    """The selected rules, with their configured options."""

    rules: list[Rule]
    options: dict[str, dict]

    @classmethod
    def from_config(cls, config: Config) -> RuleSelection:
        rules = [rule for rule in all_rules() if config.is_selected(rule.id)]
        return cls(rules, {rule.id: config.options_for(rule) for rule in rules})

    def run(self, model: Model, errors: list[InputError], *, root: str | None = None) -> list[Finding]:
        """Every selected rule's findings on `model`, each with its root (default: the model's root module
        directory). A rule that raises adds an input error and does not hide the other rules' findings.

        With DDB004 selected, every attribute is evaluated, so each file() outside the scan boundary is
        noted whichever rules read it."""
        root = model.module_dir if root is None else root
        findings: list[Finding] = []
        for rule in self.rules:
            if not rule.checks_model:
                continue  # DDB rules: reported by the pipeline from what loading noted
            try:
                findings.extend(rule.run(model, self.options[rule.id]))
            except Exception as error:  # a rule bug must not hide the other rules' findings
                message = f"internal error in rule {rule.id}: {type(error).__name__}: {error}"
                errors.append(InputError(model.module_dir, 0, message))
        if any(rule.id == READ_OUTSIDE_ROOT.id for rule in self.rules):
            evaluate_every_attribute(model)
        return [f if f.root else dataclasses.replace(f, root=root) for f in findings]


def evaluate_every_attribute(model: Model) -> None:
    """Evaluate every attribute of every resource and nested block (values are cached on the model)."""
    pending: list[BlockView] = list(model.resources())
    while pending:
        view = pending.pop()
        for name in view.body.attributes:
            view.value(name)
        for block_type in {block.type for block in view.body.blocks}:
            pending.extend(view.blocks(block_type) or ())


@dataclass
class Scan:
    """What the sources and the rules give for every root module, before the input findings and postprocess."""

    loader: TerraformLoader
    findings: list[Finding]  # the rules' own findings
    errors: list[InputError]  # input errors and rule crashes
    notes: list[Note]
    files: dict[str, str]  # every loaded .tf file's text, for suppression comments
    json_files: list[Path]
    files_scanned: int
    files_read: set[str]  # read through file()/templatefile()
    outside_reads: set[tuple[str, int, str, str]]  # file, line, message, root
    spans: set[BlockSpan]
    models: list[Model] = field(default_factory=list)  # empty for roots served by the findings cache


def rules_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


def git_work_tree(path: Path) -> Path | None:
    """The top directory of the git work tree that holds `path`, or None outside git (or without git)."""
    directory = path if path.is_dir() else path.parent
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = result.stdout.strip()
    return Path(top).resolve() if result.returncode == 0 and top else None


def scan_boundary(paths: Iterable[Path], cwd: Path | None = None) -> Path:
    """What ddblint may read, the same in every mode, and what reported paths are relative to.

    For each path: the git work tree that holds it; outside git, the current directory when the path is
    inside it, else the path itself (its directory for a file). For several paths, the common ancestor of
    their boundaries."""
    cwd = (cwd or Path.cwd()).resolve()
    boundaries = []
    for path in paths:
        resolved = path.resolve()
        boundary = git_work_tree(resolved)
        if boundary is None:
            if resolved.is_relative_to(cwd):
                boundary = cwd
            else:
                boundary = resolved if resolved.is_dir() else resolved.parent
        boundaries.append(boundary)
    if not boundaries:
        return cwd
    common = boundaries[0]
    for boundary in boundaries[1:]:
        while not boundary.is_relative_to(common):
            common = common.parent
    return common


# -- 1-3: sources, per-root models, rules ----------------------------------------------------------------------
def scan_sources(
    paths: list[Path],
    *,
    root: Path,
    config: Config,
    selection: RuleSelection,
    cache: ParseCache | None = None,
    jobs: int | None = None,
    use_findings_cache: bool = True,
) -> Scan:
    """Every root module under `paths` (inside the boundary `root`), loaded and checked."""
    if cache is not None and use_findings_cache:
        cached = scan_with_cache(
            paths,
            root=root,
            config=config,
            rules=selection.rules,
            options=selection.options,
            cache=cache,
            jobs=jobs,
            run_rules=selection.run,
        )
        return Scan(
            loader=cached.loader,
            findings=cached.findings,
            errors=cached.errors,
            notes=cached.notes,
            files=cached.files,
            json_files=cached.json_files,
            files_scanned=cached.files_scanned,
            files_read=cached.files_read,
            outside_reads=cached.outside_reads,
            spans=cached.spans,
        )
    loader = TerraformLoader(root, excluded=config.is_excluded, cache=cache, jobs=jobs)
    _, json_files, roots = loader.find_roots(paths)
    return _scan_models(loader, [loader.build_model(directory) for directory in roots], json_files, selection)


def scan_planned_root(source: Path, layer: ValueLayer, *, root: Path, config: Config, selection: RuleSelection) -> Scan:
    """The root module in `source` with a plan's values laid over it, and the policy JSON files under it."""
    loader = TerraformLoader(root, excluded=config.is_excluded)
    _, json_files = loader.discover([source])
    return _scan_models(loader, [loader.build_model(source, layer)], json_files, selection)


def _scan_models(loader: TerraformLoader, models: list[Model], json_files: list[Path], selection) -> Scan:
    errors = list(loader.errors)
    findings = [finding for model in models for finding in selection.run(model, errors)]
    return Scan(
        loader=loader,
        findings=findings,
        errors=errors,
        notes=list(loader.notes),
        files=dict(loader.files),
        json_files=json_files,
        files_scanned=loader.files_scanned,
        files_read={rel for model in models for rel in model.files_read},
        outside_reads={(*read, model.module_dir) for model in models for read in model.outside_reads},
        spans=set(block_spans(models)),
        models=models,
    )


# -- 4-5: input findings, post-processing ---------------------------------------------------------------------
def finish(
    scan: Scan,
    *,
    paths: list[Path],
    root: Path,
    config: Config,
    selection: RuleSelection,
    baseline: Baseline | None = None,
    keep: Callable[[Finding], bool] | None = None,
) -> CheckResult:
    """Standalone policies, input findings, suppressions, configuration and baseline: the run's result.

    `keep`: applied after postprocess and before the baseline (`ddblint plan --changed-only`)."""
    errors, findings = list(scan.errors), list(scan.findings)
    spans = set(scan.spans)
    # Policy JSON files that Terraform reads through file() were checked at their policy resource by now.
    standalone, json_errors = _standalone_policies(scan.loader, scan.files_read, scan.json_files, paths, root)
    errors += json_errors
    if standalone is not None:
        findings += selection.run(standalone, errors, root="")
        spans.update(block_spans([standalone]))
    findings += input_findings(scan.notes, scan.outside_reads)
    findings = sorted(set(findings), key=Finding.sort_key)

    suppressions = [s for rel, text in sorted(scan.files.items()) for s in parse_suppressions(rel, text)]
    blocks = sorted(spans, key=lambda s: (s.file, s.start_line, s.address))
    processed = postprocess(
        findings, config=config, rules_by_id=rules_by_id(), suppressions=suppressions, blocks=blocks, baseline=None
    )
    unbaselined = processed.findings
    if keep is not None:
        unbaselined = [f for f in unbaselined if keep(f)]
    reported, baselined = reported_findings(unbaselined, baseline, root)
    report = Report(
        findings=reported,
        errors=sorted(set(errors)),
        version=__version__,
        files_scanned=scan.files_scanned + (len(standalone.standalone_documents) if standalone else 0),
        suppressed=len(processed.suppressed),
        baselined=baselined,
    )
    return CheckResult(report, unbaselined)


def reported_findings(
    unbaselined: Iterable[Finding], baseline: Baseline | None, boundary: Path
) -> tuple[list[Finding], int]:
    """The last step before the reporters: the baseline (per instance), then one entry per source location
    (`instance_groups.py`). Returns the entries, sorted, and how many instances the baseline hid."""
    remaining, baselined = (list(unbaselined), 0) if baseline is None else baseline.filter(unbaselined, boundary)
    return group_instances(remaining), baselined


def input_findings(notes: Iterable[Note], outside_reads: Iterable[tuple[str, int, str, str]]) -> list[Finding]:
    """DDB003/DDB004 findings for what the loader could not follow or would not read."""
    rules = rules_by_id()

    def finding(rule_id: str, address: str, file: str, line: int, message: str, root: str) -> Finding:
        rule = rules[rule_id]
        return Finding(
            rule_id=rule.id,
            rule_name=rule.name,
            severity=rule.severity,
            address=address,
            location=Location(file, line),
            message=message,
            fix=NOTE_FIXES[rule.id],
            root=root,
        )

    findings = [
        finding(note.rule_id, note.address or note.file, note.file, note.line, note.message, note.root)
        for note in notes
    ]
    findings += [
        finding(READ_OUTSIDE_ROOT.id, file, file, line, message, root)
        for file, line, message, root in sorted(outside_reads)
    ]
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

"""`ddblint plan PLAN.json`: run every rule on a Terraform plan, with findings at the `.tf` lines.

The model is the one `ddblint check` builds from the source directory, completed with what the plan knows
(`ddblint.loaders.plan`), so a configuration gives the same findings in both modes; suppression comments
in the `.tf` files apply as in `check`. `--changed-only` keeps the findings on resources the plan creates,
updates or replaces, and lists the risky changes it brings (`ddblint.plan_changes`).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from ddblint import __version__
from ddblint.baseline import Baseline
from ddblint.check import MODULE_NOT_LOADED, CheckResult, _block_spans, _run_rules, rules_by_id
from ddblint.config import Config
from ddblint.findings import Finding, InputError, Location, PlanChange, Report, Severity
from ddblint.loaders.plan import Plan, PlanLoader, has_configuration, read_plan, synthesize_configuration
from ddblint.loaders.terraform import InputErrorException
from ddblint.model import Model
from ddblint.model.expressions import references
from ddblint.plan_changes import risky_changes
from ddblint.postprocess import postprocess
from ddblint.rules import all_rules
from ddblint.suppressions import parse_suppressions

REDACTED = "(sensitive value)"
MIN_REDACTED_LENGTH = 3  # shorter sensitive values ("1", "on") never enter the model; redacting them would garble text


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run_plan(
    plan_path: Path,
    *,
    source: Path,
    root: Path,
    config: Config,
    baseline: Baseline | None = None,
    changed_only: bool = False,
) -> CheckResult:
    plan_rel = relative(plan_path, root)
    try:
        plan = read_plan(plan_path, plan_rel)
    except InputErrorException as error:
        return CheckResult(Report(findings=[], errors=[error.error], version=__version__), [])

    notes: list[str] = []
    errors: list[InputError] = []
    if has_configuration(source):
        loader = PlanLoader(root, plan, excluded=config.is_excluded)
        model = loader.build_plan_model(source)
        files, load_notes, scanned = loader.files, loader.notes, loader.files_scanned
        errors += loader.errors
        missing = sorted(
            c.address for c in plan.changes if c.mode == "managed" and c.after is not None and not _in_model(model, c)
        )
        if missing:
            notes.append(
                f"{len(missing)} resources of the plan are not in the configuration under "
                f"{relative(source, root) or '.'} (e.g. {missing[0]}): is --source the directory the plan was made in?"
            )
        findings = _check(model, config, errors)
    else:
        with tempfile.TemporaryDirectory(prefix="ddblint-plan-") as scratch:
            scratch_root = Path(scratch)
            module_dir = synthesize_configuration(plan, scratch_root)
            loader = PlanLoader(scratch_root, plan)
            model = loader.build_plan_model(module_dir)
            files, load_notes, scanned = {}, [], 0
            findings = _check(model, config, errors)
        # No .tf files: every location is the plan file, and no suppression comment can apply.
        findings = [dataclasses.replace(f, location=Location(plan_rel), related=()) for f in findings]
        errors = [InputError(plan_rel, 0, e.message) for e in errors]
        notes.append(
            f"no .tf files in {relative(source, root) or '.'}: findings point at {plan_rel}; "
            "pass --source DIR (the directory the plan was made in) for file:line locations and suppressions"
        )
    findings.extend(
        Finding(
            rule_id=MODULE_NOT_LOADED.id,
            rule_name=MODULE_NOT_LOADED.name,
            severity=Severity.INFO,
            address=note.address or note.file,
            location=Location(note.file, note.line),
            message=note.message,
            fix="run `terraform init` before ddblint, or scan the module's directory too",
        )
        for note in load_notes
    )
    findings = sorted(set(findings), key=Finding.sort_key)
    suppressions = [s for rel, text in sorted(files.items()) for s in parse_suppressions(rel, text)]
    processed = postprocess(
        findings,
        config=config,
        rules_by_id=rules_by_id(),
        suppressions=suppressions,
        blocks=_block_spans([model]) if files else [],
        baseline=None,
    )
    unbaselined = processed.findings
    changes: list[PlanChange] = []
    if changed_only:
        keep = changed_addresses(plan, model)
        unbaselined = [f for f in unbaselined if f.address in keep]
        changes = risky_changes(plan, model)
    reported, baselined = (unbaselined, 0) if baseline is None else baseline.filter(unbaselined)
    report = Report(
        findings=sorted(reported, key=Finding.sort_key),
        errors=sorted(set(errors)),
        version=__version__,
        files_scanned=scanned + 1,
        suppressed=len(processed.suppressed),
        baselined=baselined,
        plan_changes=changes,
        notes=notes,
    )
    return CheckResult(redact(report, plan), [redact_finding(f, plan.secrets) for f in unbaselined])


def _check(model: Model, config: Config, errors: list[InputError]) -> list[Finding]:
    rules = [rule for rule in all_rules() if config.is_selected(rule.id)]
    options = {rule.id: config.options_for(rule) for rule in rules}
    return _run_rules(rules, options, [model], errors)


def _in_model(model: Model, change) -> bool:
    return model.resource(change.address) is not None or model.resource(change.unkeyed_address) is not None


def changed_addresses(plan: Plan, model: Model) -> set[str]:
    """Resources the plan creates, updates or replaces, and the data sources they read (policy documents)."""
    changed = plan.changed_addresses()
    keep = set(changed)
    for address in changed:
        resource = model.resource(address)
        if resource is None:
            continue
        for attribute in resource.body.attributes.values():
            for path in references(attribute.expr):
                if len(path) >= 3 and path[0] == "data":
                    data_source = resource.sibling(f"data.{path[1]}.{path[2]}")
                    if data_source is not None:
                        keep.add(data_source.address)
    return keep


def redact_text(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_REDACTED_LENGTH and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_finding(finding: Finding, secrets: set[str]) -> Finding:
    if not secrets:
        return finding
    return dataclasses.replace(
        finding,
        message=redact_text(finding.message, secrets),
        fix=redact_text(finding.fix, secrets),
        address=redact_text(finding.address, secrets),
    )


def redact(report: Report, plan: Plan) -> Report:
    """The report with the text of every sensitive value of the plan replaced."""
    secrets = plan.secrets
    if not secrets:
        return report
    return dataclasses.replace(
        report,
        findings=[redact_finding(f, secrets) for f in report.findings],
        errors=[dataclasses.replace(e, message=redact_text(e.message, secrets)) for e in report.errors],
        plan_changes=[
            dataclasses.replace(c, message=redact_text(c.message, secrets), address=redact_text(c.address, secrets))
            for c in report.plan_changes
        ],
        notes=[redact_text(n, secrets) for n in report.notes],
    )

"""`ddblint plan PLAN.json`: the pipeline (`pipeline.py`) on the directory a plan was made in, with the
plan's values as one more layer over its model (`loaders.plan.value_layer`).

The model is the one `ddblint check` builds from the source directory, completed with what the plan knows,
so a configuration gives the same findings in both modes, inside the same scan boundary; suppression
comments in the `.tf` files apply as in `check`. `--changed-only` keeps the findings on resources the plan
creates, updates or replaces, and lists the risky changes it brings (`ddblint.plan_changes`).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from ddblint import __version__
from ddblint.baseline import Baseline
from ddblint.config import Config
from ddblint.findings import Finding, FunctionPermissionReview, InputError, Location, Report
from ddblint.loaders.plan import Plan, has_configuration, read_plan, synthesize_configuration, value_layer
from ddblint.loaders.terraform import InputErrorException
from ddblint.model import Model
from ddblint.model.expressions import references
from ddblint.pipeline import CheckResult, RuleSelection, finish, reported_findings, scan_planned_root
from ddblint.plan_changes import risky_changes
from ddblint.rules.iam import CODE_PERMISSION_MISSING, UNUSED_PERMISSION

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
    """`source`: the directory the plan was made in; `root`: the scan boundary (`pipeline.scan_boundary`)."""
    plan_rel = relative(plan_path, root)
    try:
        plan = read_plan(plan_path, plan_rel)
    except InputErrorException as error:
        return CheckResult(Report(findings=[], errors=[error.error], version=__version__), [])

    selection = RuleSelection.from_config(config)
    layer = value_layer(plan)
    notes: list[str] = []
    if has_configuration(source):
        scan = scan_planned_root(source, layer, root=root, config=config, selection=selection)
        model = scan.models[0]
        missing = sorted(
            c.address for c in plan.changes if c.mode == "managed" and c.after is not None and not _in_model(model, c)
        )
        if missing:
            notes.append(
                f"{len(missing)} resources of the plan are not in the configuration under "
                f"{relative(source, root) or '.'} (e.g. {missing[0]}): is --source the directory the plan was made in?"
            )
        keep = _changed_filter(plan, model) if changed_only else None
        result = finish(scan, paths=[source], root=root, config=config, selection=selection, keep=keep)
    else:
        with tempfile.TemporaryDirectory(prefix="ddblint-plan-") as scratch:
            scratch_root = Path(scratch)
            module_dir = synthesize_configuration(plan, scratch_root)
            scan = scan_planned_root(module_dir, layer, root=scratch_root, config=config, selection=selection)
            model = scan.models[0]
            keep = _changed_filter(plan, model) if changed_only else None
            result = finish(scan, paths=[module_dir], root=scratch_root, config=config, selection=selection, keep=keep)
            # No .tf files: every location is the plan file, and the stand-in files count for nothing.
            result = _at_plan_file(result, plan_rel, relative(source, root) or ".")
        notes.append(
            f"no .tf files in {relative(source, root) or '.'}: findings point at {plan_rel}; "
            "pass --source DIR (the directory the plan was made in) for file:line locations and suppressions"
        )
    unbaselined = result.unbaselined
    reported, baselined = reported_findings(unbaselined, baseline, root)
    report = dataclasses.replace(
        result.report,
        findings=reported,
        files_scanned=result.report.files_scanned + 1,
        baselined=baselined,
        plan_changes=risky_changes(plan, model) if changed_only else [],
        notes=notes,
        permission_reviews=permission_reviews(reported) if changed_only else [],
    )
    return CheckResult(redact(report, plan), [redact_finding(f, plan.secrets) for f in unbaselined])


def permission_reviews(findings: list[Finding]) -> list[FunctionPermissionReview]:
    """Per function with IAM107 or IAM108 findings among the reported (changed) ones: what its code needs that
    the role lacks, and what the role grants that the code no longer uses."""
    missing: dict[str, list[str]] = {}
    unused: dict[str, list[str]] = {}
    locations: dict[str, Location] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        for rule, found in ((CODE_PERMISSION_MISSING, missing), (UNUSED_PERMISSION, unused)):
            if finding.rule_id == rule.id:
                found.setdefault(finding.address, []).append(finding.message)
                locations.setdefault(finding.address, finding.location)
    return [
        FunctionPermissionReview(
            address, locations[address], tuple(missing.get(address, ())), tuple(unused.get(address, ()))
        )
        for address in sorted(locations)
    ]


def _changed_filter(plan: Plan, model: Model):
    keep = changed_addresses(plan, model)
    return lambda finding: finding.address in keep


def _at_plan_file(result: CheckResult, plan_rel: str, root: str) -> CheckResult:
    """Findings and errors of a stand-in configuration, moved to the plan file."""

    def moved(finding: Finding) -> Finding:
        return dataclasses.replace(finding, location=Location(plan_rel), related=(), root=root)

    findings = sorted({moved(f) for f in result.unbaselined}, key=Finding.sort_key)
    report = dataclasses.replace(
        result.report,
        findings=findings,
        errors=sorted({InputError(plan_rel, 0, e.message) for e in result.report.errors}),
        files_scanned=0,
    )
    return CheckResult(report, findings)


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
        instances=tuple(redact_text(address, secrets) for address in finding.instances),
        shared_message=redact_text(finding.shared_message, secrets),
        shared_fix=redact_text(finding.shared_fix, secrets),
        instance_texts=tuple(
            (redact_text(address, secrets), redact_text(message, secrets), redact_text(fix, secrets))
            for address, message, fix in finding.instance_texts
        ),
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
        permission_reviews=[
            dataclasses.replace(
                r,
                missing=tuple(redact_text(m, secrets) for m in r.missing),
                unused=tuple(redact_text(m, secrets) for m in r.unused),
            )
            for r in report.permission_reviews
        ],
    )

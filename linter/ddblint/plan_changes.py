"""Risky changes a Terraform plan brings, found by comparing each updated resource's before and after.

`ddblint plan --changed-only` lists them in its summary, so a reviewer sees at a glance that a pull
request loosens a mapping's retries, widens a policy or shortens a timeout, even when no rule fires on the
new configuration. Only updates and replacements are compared (a created resource has no "before"), and
sensitive attributes (`before_sensitive`/`after_sensitive`) are skipped: their values are never printed.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Iterator

from ddblint.findings import Location, PlanChange
from ddblint.loaders.plan import Plan, ResourceChange, marks_any
from ddblint.model import Model

UNLIMITED = -1  # maximum_retry_attempts / maximum_record_age_in_seconds: -1 means "until the record expires"

Check = Callable[[dict, dict], Iterator[str]]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _first(value: object) -> dict:
    """The first element of a nested block list (the provider's JSON for `x { ... }`)."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _limit_loosened(name: str, unit: str) -> Check:
    """An "at most N" setting where -1 or null (unset) means unlimited, and larger is looser."""

    def check(before: dict, after: dict) -> Iterator[str]:
        old, new = _number(before.get(name)), _number(after.get(name))
        if old is None or old == UNLIMITED:
            return  # it was unlimited (or unknown) already
        if new is None or new == UNLIMITED:
            yield f"{name} changes from {int(old)}{unit} to unlimited (-1)"
        elif new > old:
            yield f"{name} is raised from {int(old)}{unit} to {int(new)}{unit}"

    return check


def _lowered(name: str, unit: str, what: str) -> Check:
    def check(before: dict, after: dict) -> Iterator[str]:
        old, new = _number(before.get(name)), _number(after.get(name))
        if old is not None and new is not None and new < old:
            yield f"{name} is lowered from {int(old)}{unit} to {int(new)}{unit} ({what})"

    return check


def _turned_off(name: str, what: str) -> Check:
    def check(before: dict, after: dict) -> Iterator[str]:
        if before.get(name) is True and after.get(name) is not True:
            yield f"{name} changes from true to {json.dumps(after.get(name))} ({what})"

    return check


def _mapping_destination_removed(before: dict, after: dict) -> Iterator[str]:
    def on_failure(values: dict) -> object:
        return _first(_first(values.get("destination_config")).get("on_failure")).get("destination_arn")

    if on_failure(before) and not on_failure(after):
        yield "destination_config.on_failure is removed (failed batches are dropped without a record)"


def _partial_batch_removed(before: dict, after: dict) -> Iterator[str]:
    had = "ReportBatchItemFailures" in (before.get("function_response_types") or [])
    has = "ReportBatchItemFailures" in (after.get("function_response_types") or [])
    if had and not has:
        yield "function_response_types loses ReportBatchItemFailures (a failed record retries its whole batch)"


def _pitr_disabled(before: dict, after: dict) -> Iterator[str]:
    if _first(before.get("point_in_time_recovery")).get("enabled") is True and (
        _first(after.get("point_in_time_recovery")).get("enabled") is not True
    ):
        yield "point_in_time_recovery is turned off (no restore to a point in the last 35 days)"


def _reserved_concurrency_zero(before: dict, after: dict) -> Iterator[str]:
    if after.get("reserved_concurrent_executions") == 0 and before.get("reserved_concurrent_executions") != 0:
        yield "reserved_concurrent_executions becomes 0 (every invocation is throttled)"


def _policy_widened(*names: str) -> Check:
    def check(before: dict, after: dict) -> Iterator[str]:
        for name in names:
            old, new = _grants(before.get(name)), _grants(after.get(name))
            if old is None or new is None:
                continue
            added = sorted(g for g in new - old if not _covered(g, old))
            if added:
                shown = ", ".join(f"{action} on {resource}" for action, resource in added[:3])
                more = f" and {len(added) - 3} more" if len(added) > 3 else ""
                yield f"{name} now allows {shown}{more}"

    return check


def _inline_policies(before: dict, after: dict) -> Iterator[str]:
    def policies(values: dict) -> dict:
        return {
            p.get("name"): p.get("policy")
            for p in values.get("inline_policy") or []
            if isinstance(p, dict) and p.get("name")
        }

    old, new = policies(before), policies(after)
    for name, document in sorted(new.items()):
        yield from (
            message.replace("policy now", f"inline_policy {name!r} now", 1)
            for message in _policy_widened("policy")({"policy": old.get(name, "{}")}, {"policy": document})
        )


def _grants(document: object) -> set[tuple[str, str]] | None:
    """(action, resource) pairs an IAM policy JSON's Allow statements grant; None when it can't be read."""
    if not isinstance(document, str) or not document:
        return None
    try:
        parsed = json.loads(document)
    except ValueError:
        return None
    statements = parsed.get("Statement") if isinstance(parsed, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    grants: set[tuple[str, str]] = set()
    for statement in statements or []:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", statement.get("NotAction") and ["(everything but NotAction)"])
        resources = statement.get("Resource", statement.get("NotResource") and ["(everything but NotResource)"])
        principal = statement.get("Principal")
        if resources is None and principal is not None:  # trust policy: the principal is what widens
            resources = [f"principal {json.dumps(principal, sort_keys=True)}"]
        for action in [actions] if isinstance(actions, str) else actions or []:
            for resource in [resources] if isinstance(resources, str) else resources or []:
                grants.add((str(action).lower(), str(resource)))
    return grants


def _covered(grant: tuple[str, str], grants: set[tuple[str, str]]) -> bool:
    action, resource = grant
    return any(fnmatch.fnmatchcase(action, a) and fnmatch.fnmatchcase(resource, r) for a, r in grants)


CHECKS: dict[str, tuple[Check, ...]] = {
    "aws_lambda_event_source_mapping": (
        _limit_loosened("maximum_retry_attempts", ""),
        _limit_loosened("maximum_record_age_in_seconds", " s"),
        _turned_off("bisect_batch_on_function_error", "a poison record is no longer isolated by splitting the batch"),
        _mapping_destination_removed,
        _partial_batch_removed,
    ),
    "aws_lambda_function": (
        _lowered("timeout", " s", "calls that took longer now time out"),
        _reserved_concurrency_zero,
    ),
    "aws_sqs_queue": (
        _lowered("visibility_timeout_seconds", " s", "a message may be delivered again while still in work"),
        _lowered("message_retention_seconds", " s", "unprocessed messages are deleted sooner"),
    ),
    "aws_dynamodb_table": (
        _pitr_disabled,
        _turned_off("deletion_protection_enabled", "the table can be deleted by the next destroy or replacement"),
        _turned_off("stream_enabled", "stream consumers stop receiving changes"),
    ),
    "aws_cloudwatch_log_group": (_lowered("retention_in_days", " days", "logs are deleted sooner"),),
    "aws_iam_policy": (_policy_widened("policy"),),
    "aws_iam_role_policy": (_policy_widened("policy"),),
    "aws_iam_role": (_policy_widened("assume_role_policy"), _inline_policies),
    "aws_sqs_queue_policy": (_policy_widened("policy"),),
    "aws_sns_topic_policy": (_policy_widened("policy"),),
    "aws_vpc_endpoint": (_policy_widened("policy"),),
}


def _without_sensitive(values: object, mask: object) -> dict:
    if not isinstance(values, dict):
        return {}
    if not isinstance(mask, dict):
        return dict(values) if mask is not True else {}
    return {k: v for k, v in values.items() if not marks_any(mask.get(k))}


def _unknown(values: dict, mask: object) -> dict:
    """Drop attributes the plan does not know yet: they are not a change we can judge."""
    if not isinstance(mask, dict):
        return values
    return {k: v for k, v in values.items() if mask.get(k) is not True}


def changes_of(change: ResourceChange) -> list[str]:
    if change.mode != "managed" or ("update" not in change.actions and set(change.actions) != {"delete", "create"}):
        return []
    checks = CHECKS.get(change.type, ())
    before = _without_sensitive(change.before, change.before_sensitive)
    after = _unknown(_without_sensitive(change.after, change.after_sensitive), change.after_unknown)
    return [message for check in checks for message in check(before, after)]


def risky_changes(plan: Plan, model: Model | None = None) -> list[PlanChange]:
    """Every risky change of the plan, located at its resource's block when the model has it."""
    found: list[PlanChange] = []
    for change in plan.changes:
        messages = changes_of(change)
        if not messages:
            continue
        location = Location("")
        if model is not None:
            resource = model.resource(change.address) or model.resource(change.unkeyed_address)
            if resource is not None:
                location = resource.location
        found.extend(PlanChange(change.address, message, location) for message in messages)
    return sorted(found)

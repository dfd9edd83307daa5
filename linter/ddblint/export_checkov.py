"""`ddblint export checkov DIR`: ddblint's single-resource rules as checkov YAML custom policies.

Teams already on checkov get these rules in their checkov runs with
`checkov -d . --external-checks-dir DIR`. Only rules whose whole "fires when" is about one resource's own
attributes can be expressed in checkov's policy language; each policy carries the ddblint rule ID in its
`id` (`CKV2_DDBLINT_RTY401`) and its `name`. Where ddblint looks further (RTY404 also checks an SQS
source queue's redrive policy; LAM301's severity depends on the function's callers), the policy covers the
part checkov can see, and its name says so.

A checkov definition is the condition a resource must meet to PASS. A "stream source" mapping is one with
`starting_position` that is neither Kafka nor DocumentDB (see `not_a_stream`). checkov skips a condition
on a value it cannot resolve (a variable without a value), as ddblint stays silent on what it cannot know.
"""

from __future__ import annotations

import json
from pathlib import Path

from ddblint.findings import Severity
from ddblint.rules import Rule, get_rule

MAPPING = "aws_lambda_event_source_mapping"
FUNCTION = "aws_lambda_function"
TABLE = "aws_dynamodb_table"
SEVERITIES = {Severity.ERROR: "HIGH", Severity.WARNING: "MEDIUM", Severity.INFO: "LOW"}


def attribute(resource_type: str, name: str, operator: str, value: object = None) -> dict:
    condition: dict = {
        "cond_type": "attribute",
        "resource_types": [resource_type],
        "attribute": name,
        "operator": operator,
    }
    if value is not None:
        condition["value"] = value
    return condition


def not_a_stream() -> list[dict]:
    """Conditions of which any one says the mapping does not read a DynamoDB or Kinesis stream.

    Stream mappings are the ones with `starting_position` that are neither Kafka (`topics`) nor DocumentDB.
    The source ARN itself is not used: it is usually a reference (`aws_dynamodb_table.t.stream_arn`),
    which checkov cannot resolve, and it skips conditions on unresolved values.
    """
    return [
        attribute(MAPPING, "starting_position", "not_exists"),
        *other_sources(),
    ]


def other_sources() -> list[dict]:
    """Sources that are neither streams nor SQS: Kafka (MSK, self-managed), Amazon MQ, DocumentDB."""
    return [
        attribute(MAPPING, "topics", "exists"),
        attribute(MAPPING, "queues", "exists"),
        attribute(MAPPING, "document_db_event_source_config", "exists"),
    ]


def stream_mapping_passes_when(*conditions: dict) -> dict:
    return {"or": [*not_a_stream(), {"and": list(conditions)} if len(conditions) > 1 else conditions[0]]}


def bounded(name: str) -> tuple[dict, dict]:
    return attribute(MAPPING, name, "exists"), attribute(MAPPING, name, "not_equals", -1)


# Rule ID -> (what the policy covers, when it is narrower than the rule; the definition a resource must pass).
POLICIES: dict[str, tuple[str, dict]] = {
    "RTY401": ("", stream_mapping_passes_when(*bounded("maximum_retry_attempts"))),
    "RTY402": ("", stream_mapping_passes_when(*bounded("maximum_record_age_in_seconds"))),
    "RTY403": ("", stream_mapping_passes_when(attribute(MAPPING, "bisect_batch_on_function_error", "equals", True))),
    "RTY404": (
        "stream sources only",
        stream_mapping_passes_when(attribute(MAPPING, "destination_config.on_failure.destination_arn", "exists")),
    ),
    "RTY405": (
        "",
        {
            "or": [
                *other_sources(),
                attribute(MAPPING, "function_response_types", "contains", "ReportBatchItemFailures"),
            ]
        },
    ),
    "LAM301": ("", attribute(FUNCTION, "timeout", "exists")),
    "LAM303": (
        "",
        {
            "or": [
                attribute(FUNCTION, "timeout", "not_exists"),
                {
                    "and": [
                        attribute(FUNCTION, "timeout", "greater_than_or_equal", 1),
                        attribute(FUNCTION, "timeout", "less_than_or_equal", 900),
                    ]
                },
            ]
        },
    ),
    "LAM307": ("", attribute(FUNCTION, "reserved_concurrent_executions", "not_equals", 0)),
    "OPS601": ("", attribute(TABLE, "point_in_time_recovery.enabled", "equals", True)),
}


def policy_id(rule_id: str) -> str:
    return f"CKV2_DDBLINT_{rule_id}"


def policy(rule: Rule, scope: str, definition: dict) -> dict:
    name = f"ddblint {rule.id} {rule.name}: {rule.summary}"
    if scope:
        name += f" ({scope})"
    return {
        "metadata": {
            "id": policy_id(rule.id),
            "name": name,
            "category": "GENERAL_SECURITY",
            "severity": SEVERITIES[rule.severity],
            "guideline": rule.help_uri,
        },
        "definition": definition,
    }


def exportable_rules() -> list[Rule]:
    """The rules of POLICIES that are registered in this ddblint."""
    return [rule for rule in (get_rule(rule_id) for rule_id in sorted(POLICIES)) if rule is not None]


def export_checkov(directory: Path) -> list[Path]:
    """Write one `<ID>.yaml` policy per exportable rule into directory; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in exportable_rules():
        scope, definition = POLICIES[rule.id]
        path = directory / f"ddblint_{rule.id}.yaml"
        header = f"# Written by `ddblint export checkov`: ddblint rule {rule.id}. Regenerate it instead of editing.\n"
        path.write_text(header + to_yaml(policy(rule, scope, definition)), encoding="utf-8")
        written.append(path)
    return written


def to_yaml(value: object, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists and scalars; strings double-quoted (JSON strings are valid YAML)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}\n")
        return "".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = to_yaml(item, indent + 2)
                lines.append(f"{pad}- {nested[indent + 2 :]}")
            else:
                lines.append(f"{pad}- {_scalar(item)}\n")
        return "".join(lines)
    return f"{pad}{_scalar(value)}\n"


def _scalar(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(value)

"""STR2xx: stream wiring across resources (mapping -> table stream, function -> role -> policies).

(The module is `stream.py`, not `str.py`: a submodule named `str` would shadow the builtin in the package.)
"""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.findings import Finding, Severity
from ddblint.model import MISSING, Model, Resource
from ddblint.model.facts import facts_of
from ddblint.model.lambda_wiring import destination_value
from ddblint.model.policy import (
    RolePolicies,
    Tri,
    documents_allow,
    role_allows,
    role_grants_action_anywhere,
)
from ddblint.model.values import UNKNOWN, RefValue, as_text, origin_of
from ddblint.rules import Options, Rule

ESM_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html"
ESM_PERMISSIONS = "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-permissions"
PROVIDER_ESM = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_event_source_mapping"

STREAM_READ_PERMISSION_MISSING = Rule(
    id="STR201",
    name="stream-read-permission-missing",
    severity=Severity.ERROR,
    summary="the mapped function's role cannot read the DynamoDB stream the mapping reads",
    source_urls=(
        ESM_PERMISSIONS,
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaDynamoDBExecutionRole.html",
    ),
    tags=("stream", "iam", "cross-resource"),
)
STREAM_NOT_ENABLED = Rule(
    id="STR202",
    name="stream-not-enabled",
    severity=Severity.ERROR,
    summary="a mapping reads the stream of a table that has no stream enabled",
    source_urls=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#stream_enabled",
    ),
    tags=("stream", "cross-resource"),
)
DESTINATION_PERMISSION_MISSING = Rule(
    id="STR203",
    name="failure-destination-permission-missing",
    severity=Severity.ERROR,
    summary="the function's role cannot send to the mapping's on-failure destination",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-async-destinations",
        "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-errors",
    ),
    tags=("stream", "iam", "cross-resource"),
)
MAPPING_BEFORE_POLICY = Rule(
    id="STR204",
    name="mapping-before-policy",
    severity=Severity.WARNING,
    summary="the mapping may be created before the policy that lets it read its source",
    source_urls=(
        "https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on",
        PROVIDER_ESM,
        ESM_PERMISSIONS,
    ),
    tags=("stream", "iam", "ordering"),
)

DYNAMODB_STREAM_ACTIONS = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")
SOURCE_ACTIONS = {
    "dynamodb": DYNAMODB_STREAM_ACTIONS,
    "kinesis": ("kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"),
    "sqs": ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
}


def _wiring(model: Model, mapping: Resource) -> tuple[Resource, Resource, RolePolicies] | None:
    """The mapped function, its role and what is attached to it; None when any link is outside the scan."""
    wiring = facts_of(model).wiring(mapping)
    function = wiring.function
    if function is None:
        return None
    role = wiring.role
    if role is None or wiring.policies is None:
        return None
    return function, role, wiring.policies


# -- STR201 -----------------------------------------------------------------------------------------------
@STREAM_READ_PERMISSION_MISSING.check
def stream_read_permission_missing(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        if source.kind != "dynamodb" or source.value is UNKNOWN:
            continue
        wiring = _wiring(model, mapping)
        if wiring is None:
            continue
        function, role, policies = wiring
        missing = [a for a in DYNAMODB_STREAM_ACTIONS if role_allows(model, policies, a, source.value) is Tri.NO]
        if role_grants_action_anywhere(policies, "dynamodb:ListStreams") is Tri.NO:
            missing.append("dynamodb:ListStreams")
        if not missing:
            continue
        table = source.resource
        stream = f"the stream of {table.address}" if table is not None else f"stream {as_text(source.value)}"
        table_only = ""
        if table is not None and any(
            role_allows(model, policies, a, RefValue(table.address, "arn")) is not Tri.NO for a in missing[:1]
        ):
            table_only = " (granted on the table ARN, which does not cover its stream)"
        target = "the stream ARN"
        if table is not None and table.mode == "managed":
            # as the role's policy can name it: in the role's module, or through the outputs of the table's
            target = facts_of(model).module_interface.output_exposing(table, "stream_arn", role.instance) or target
        yield STREAM_READ_PERMISSION_MISSING.finding(
            mapping,
            at=mapping.location_of("event_source_arn"),
            message=f"{mapping.address} reads {stream}, but role {role.address} of {function.address} does not "
            f"grant {', '.join(missing)} on it{table_only}: creating the mapping fails with "
            '"Cannot access stream"',
            fix=f"allow {', '.join(a for a in missing if a != 'dynamodb:ListStreams') or 'the stream actions'} "
            f'on {target} (and dynamodb:ListStreams on "*"), or attach '
            "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
        )


# -- STR202 -----------------------------------------------------------------------------------------------
@STREAM_NOT_ENABLED.check
def stream_not_enabled(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        table = source.resource
        if source.kind != "dynamodb" or table is None or table.full_type != "aws_dynamodb_table":
            continue
        enabled = table.value("stream_enabled")
        view_type = table.value("stream_view_type")
        if enabled is UNKNOWN or view_type is UNKNOWN:
            continue
        if enabled is True and view_type not in (MISSING, None, ""):
            continue
        problem = (
            "has stream_enabled = false"
            if enabled is False
            else "does not set stream_enabled"
            if enabled is MISSING or enabled is None
            else "sets stream_enabled but no stream_view_type"
        )
        fix = facts_of(model).module_interface.setting_fix(
            table,
            "stream_enabled",
            "true",
            f'in {table.address} set stream_enabled = true and stream_view_type = "NEW_AND_OLD_IMAGES" '
            '(or "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY")',
            also='and stream_view_type = "NEW_AND_OLD_IMAGES" (or "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY") through '
            "the module input for it",
        )
        yield STREAM_NOT_ENABLED.finding(
            mapping,
            at=mapping.location_of("event_source_arn"),
            message=f"{mapping.address} reads the stream of {table.address}, which {problem}: the table has no "
            "stream ARN to read, so the mapping cannot be created",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- STR203 -----------------------------------------------------------------------------------------------
@DESTINATION_PERMISSION_MISSING.check
def failure_destination_permission_missing(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        destination = destination_value(mapping, "destination_config", "on_failure", "destination_arn")
        if destination is MISSING or destination is UNKNOWN or destination is None:
            continue
        service, target = _destination_service(model, destination)
        if service is None:
            continue
        wiring = _wiring(model, mapping)
        if wiring is None:
            continue
        function, role, policies = wiring
        action = "sqs:SendMessage" if service == "sqs" else "sns:Publish"
        if role_allows(model, policies, action, destination) is not Tri.NO:
            continue
        views = (mapping.blocks("destination_config") or [mapping])[0]
        destination = model.resource(target) if target.startswith(("aws_", "module.")) else None
        # as the role's policy can name it: in the role's module, or through the outputs of the destination's
        named = (
            facts_of(model).module_interface.output_exposing(destination, "arn", role.instance)
            if destination is not None
            else None
        )
        yield DESTINATION_PERMISSION_MISSING.finding(
            mapping,
            at=views.location_of(None) if views is not mapping else mapping.location,
            message=f"{mapping.address} sends failed batches to {target}, but role {role.address} of "
            f"{function.address} does not grant {action} on it: records that exhaust their retries are lost",
            fix=f"allow {action} on {named or 'the destination ARN'} in a policy attached to "
            + facts_of(model).module_interface.written_name(role, "name"),
        )


def _destination_service(model: Model, value: object) -> tuple[str | None, str]:
    origin = origin_of(value)
    if isinstance(origin, RefValue):
        resource = model.resource(origin.address)
        if resource is not None and resource.type in ("aws_sqs_queue", "aws_sns_topic"):
            return ("sqs" if resource.type == "aws_sqs_queue" else "sns"), f"{resource.address}"
        return None, ""
    if isinstance(value, str) and value.startswith("arn:"):
        parts = value.split(":")
        if len(parts) > 2 and parts[2] in ("sqs", "sns"):
            return parts[2], value
    return None, ""


# -- STR204 -----------------------------------------------------------------------------------------------
@MAPPING_BEFORE_POLICY.check
def mapping_before_policy(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        actions = SOURCE_ACTIONS.get(source.kind or "")
        if actions is None or source.value is UNKNOWN:
            continue
        wiring = _wiring(model, mapping)
        if wiring is None:
            continue
        _function, role, policies = wiring
        separate_needed: list[Resource] = []
        for action in actions:
            inline = [a for a in policies.attachments if not a.separate and a.document is not None]
            if documents_allow(model, [a.document for a in inline], action, source.value) is not Tri.NO:
                continue  # granted by the role itself (inline_policy, managed_policy_arns): created with the role
            granting = [
                a.via
                for a in policies.attachments
                if a.separate
                and a.document is not None
                and documents_allow(model, [a.document], action, source.value) is Tri.YES
            ]
            if not granting:
                break  # not granted at all (STR201's business) or not provably: stay silent
            separate_needed.extend(g for g in granting if g not in separate_needed)
        else:
            if not separate_needed:
                continue
            if any(facts_of(model).dependencies.depends_on(mapping, policy) for policy in separate_needed):
                continue
            names = ", ".join(p.address for p in separate_needed)
            fix = facts_of(model).module_interface.depends_on_fix(
                mapping,
                separate_needed[0],
                "the mapping",
                " (or move the statements into an inline_policy block of "
                f"{facts_of(model).module_interface.where_written(role)})",
            )
            yield MAPPING_BEFORE_POLICY.finding(
                mapping,
                message=f"{mapping.address} gets its permission to read its source from {names}, but nothing "
                "makes Terraform create that first: the mapping can be created before the grant exists and fail "
                "with an access error on the first apply",
                fix=fix.text,
                shared_fix=fix.shared,
            )

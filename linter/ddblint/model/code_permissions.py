"""What a function's identity policy must allow, as far as the scanned code shows it (IAM107, IAM108,
`ddblint policy`).

`FunctionPermissions` (one per function, made by `Facts.permissions`) joins three things:

- the calls its handler code makes (`HandlerCalls`, read by `ddblint.model.python_calls` or
  `ddblint.model.script_calls`), each (IAM action, target) resolved through the function's
  `environment.variables` into the ARN the role must allow (`code`), or listed as `unresolved`;
- what the Lambda service does with the function's role (`service`): the reads of its event source mappings,
  its failure destinations and dead-letter target;
- what every execution role needs (`baseline`): CloudWatch Logs on its log group, the ENI actions in a VPC, X-Ray
  when tracing is `Active`.

A target resolves when the environment variable's value refers to a resource of the matching type
(`TABLE_NAME = aws_dynamodb_table.orders.name`, `QUEUE_URL = aws_sqs_queue.q.url`, also through module outputs
and locals, as far as the model resolves them), or when a literal name, queue URL or ARN names a resource of the
scanned code, or is a complete ARN itself. Everything else is unresolved: rules stay silent on it and the policy
writer lists it, never guesses.

Each ARN is an `ArnValue`: its tokens for `ddblint.model.policy.role_allows`, the Terraform expression that
writes it in the function's module (`aws_dynamodb_table.orders.arn`, `"${aws_dynamodb_table.orders.arn}/index/*"`)
and, when every name in it is known, the ARN text for policy JSON (unknown partition, region and account as `*`).
Sources: the Service Authorization Reference's resource types for DynamoDB, SQS, SNS, S3, Kinesis and EventBridge
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
the Lambda execution role page (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ddblint.model.code_calls import CallSite, CallTarget, HandlerCalls, SdkCall
from ddblint.model.lambda_wiring import destination_value, function_by_reference, in_vpc
from ddblint.model.policy import (
    Hole,
    Statement,
    Tri,
    action_matches,
    arn_tokens,
    log_stream_arn_tokens,
    match_tokens,
)
from ddblint.model.values import MISSING, UNKNOWN, RefValue, TracedStr, origin_of, ref_of

if TYPE_CHECKING:
    from ddblint.model import Model, Resource
    from ddblint.model.facts import Facts

# The Terraform resource types that can stand for each (service, resource type) of a call target, with the
# attributes whose value names them: the name, URL, id or ARN that code passes to the SDK.
TARGET_RESOURCES: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("dynamodb", "table"): (("aws_dynamodb_table", "data.aws_dynamodb_table"), ("name", "id", "arn")),
    ("dynamodb", "index"): (("aws_dynamodb_table", "data.aws_dynamodb_table"), ("name", "id", "arn")),
    ("dynamodb", "stream"): (("aws_dynamodb_table", "data.aws_dynamodb_table"), ("stream_arn",)),
    ("sqs", "queue"): (("aws_sqs_queue", "data.aws_sqs_queue"), ("url", "id", "arn", "name")),
    ("sns", "topic"): (("aws_sns_topic", "data.aws_sns_topic"), ("arn", "id", "name")),
    ("s3", "bucket"): (("aws_s3_bucket", "data.aws_s3_bucket"), ("bucket", "id", "arn")),
    ("s3", "object"): (("aws_s3_bucket", "data.aws_s3_bucket"), ("bucket", "id", "arn")),
    ("kinesis", "stream"): (("aws_kinesis_stream", "data.aws_kinesis_stream"), ("name", "arn", "id")),
    ("lambda", "function"): (("aws_lambda_function",), ("function_name", "arn", "id")),
    ("events", "event-bus"): (
        ("aws_cloudwatch_event_bus", "data.aws_cloudwatch_event_bus"),
        ("name", "arn", "id"),
    ),
}
# What the code names for each resource type of a call target (an index query names its table).
NAMED_KIND = {
    "table": "table",
    "index": "table",
    "stream": "stream",
    "queue": "queue",
    "topic": "topic",
    "bucket": "bucket",
    "object": "bucket",
    "event-bus": "event bus",
    "function": "function",
}
# The attribute that holds the name of each type (what a literal name is compared with).
NAME_ATTRIBUTE = {
    "aws_dynamodb_table": "name",
    "data.aws_dynamodb_table": "name",
    "aws_sqs_queue": "name",
    "data.aws_sqs_queue": "name",
    "aws_sns_topic": "name",
    "data.aws_sns_topic": "name",
    "aws_s3_bucket": "bucket",
    "data.aws_s3_bucket": "bucket",
    "aws_kinesis_stream": "name",
    "data.aws_kinesis_stream": "name",
    "aws_cloudwatch_event_bus": "name",
    "data.aws_cloudwatch_event_bus": "name",
    "aws_lambda_function": "function_name",
}
# The resource part of each service's ARN before the name (Service Authorization Reference, resource types).
ARN_RESOURCE_PREFIX = {
    "dynamodb": "table/",
    "sqs": "",
    "sns": "",
    "s3": "",
    "kinesis": "stream/",
    "events": "event-bus/",
    "lambda": "function:",
}
# Services whose ARNs carry no region and account (S3 bucket and object ARNs).
GLOBAL_ARN_SERVICES = ("s3",)

# Lambda's own reads of an event source, by source kind (Lambda developer guide, "Execution role permissions" of
# with-ddb.html, with-sqs.html and with-kinesis.html; AWSLambdaDynamoDBExecutionRole, AWSLambdaSQSQueueExecutionRole,
# AWSLambdaKinesisExecutionRole).
MAPPING_READ_ACTIONS = {
    "dynamodb": (
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    ),
    "sqs": ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
    "kinesis": (
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
        "kinesis:ListStreams",
    ),
}
# A Kinesis mapping through an enhanced fan-out consumer also subscribes to the shard with the consumer's ARN.
KINESIS_CONSUMER_ACTIONS = ("kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer")
# What Lambda does with a failure destination or dead-letter target, by its resource type (Lambda developer guide,
# "Adding a destination": the execution role needs permission to send to it).
DESTINATION_ACTIONS = {
    "aws_sqs_queue": ("sqs:SendMessage",),
    "aws_sns_topic": ("sns:Publish",),
    "aws_lambda_function": ("lambda:InvokeFunction",),
    "aws_cloudwatch_event_bus": ("events:PutEvents",),
}
LOG_WRITE_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
# AWSLambdaVPCAccessExecutionRole: Lambda creates and removes the function's network interfaces with the role.
VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)
XRAY_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")

# Resource-based policies, by the resource type that holds one and the argument that names its resource: a
# statement there naming the function's role allows a call that the role's own policies do not (same account).
RESOURCE_POLICY_LINKS = {
    "aws_sqs_queue_policy": ("queue_url",),
    "aws_sns_topic_policy": ("arn",),
    "aws_s3_bucket_policy": ("bucket",),
    "aws_dynamodb_resource_policy": ("resource_arn",),
    "aws_kinesis_resource_policy": ("resource_arn",),
    "aws_cloudwatch_event_bus_policy": ("event_bus_name",),
    "aws_lambda_permission": ("function_name",),
}
# Resources that hold their resource-based policy in an argument of their own.
OWN_POLICY_TYPES = ("aws_sqs_queue", "aws_sns_topic", "aws_s3_bucket")

# The data actions IAM108 judges: what a function does with the items, messages, objects and records of the
# services its code calls (Service Authorization Reference). Management actions (CreateTable, SetQueueAttributes)
# and the reads Lambda makes for a mapping are not judged against the code.
DATA_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PartiQLSelect",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:PurgeQueue",
    "sns:Publish",
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
    "events:PutEvents",
)

KNOWN_ACTIONS = {
    a.lower(): a
    for a in (
        *DATA_ACTIONS,
        *(a for actions in MAPPING_READ_ACTIONS.values() for a in actions),
        *KINESIS_CONSUMER_ACTIONS,
        *(a for actions in DESTINATION_ACTIONS.values() for a in actions),
        "logs:CreateLogGroup",
        *LOG_WRITE_ACTIONS,
        *VPC_ACTIONS,
        *XRAY_ACTIONS,
        "dynamodb:TransactGetItems",
        "dynamodb:TransactWriteItems",
    )
}

# How an ARN's account-level holes are written in Terraform: the data sources the policy writer declares.
ACCOUNT_DATA_SOURCES = {
    "partition": ("data.aws_partition.current.partition", 'data "aws_partition" "current" {}'),
    "region": ("data.aws_region.current.id", 'data "aws_region" "current" {}'),
    "account": ("data.aws_caller_identity.current.account_id", 'data "aws_caller_identity" "current" {}'),
}
SQS_URL = re.compile(
    r"^https://(?:sqs\.)?(?P<region>[a-z0-9-]+)\.(?:queue\.)?amazonaws\.com(?P<cn>\.cn)?/(?P<account>\d{12})/(?P<name>[^/?#]+)$"
)


@dataclass(frozen=True)
class ArnValue:
    """An ARN the role must allow an action on."""

    tokens: tuple[object, ...]  # what `role_allows` compares (characters and `Hole`s)
    terraform: str | None  # the expression in the function's module: a reference or a quoted template
    text: str | None  # the ARN for policy JSON (unknown partition/region/account as `*`); None when a name is unknown
    resource: Resource | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """How messages name it: the Terraform expression, else the ARN text."""
        return self.terraform or self.text or "".join(t if isinstance(t, str) else "*" for t in self.tokens)

    @property
    def data_sources(self) -> list[str]:
        """The `data` blocks its Terraform expression uses (partition, region, account)."""
        text = self.terraform or ""
        return [block for reference, block in ACCOUNT_DATA_SOURCES.values() if reference in text]


ANY_RESOURCE = ArnValue(("*",), '"*"', "*")


@dataclass(frozen=True)
class Permission:
    """One action on one ARN that the function's role must allow, and why."""

    action: str  # "dynamodb:UpdateItem"
    arn: ArnValue
    reason: str  # "src/app.py:9", "aws_lambda_event_source_mapping.orders reads its event source", ...
    site: CallSite | None = None  # the handler call, for code permissions
    # The resource has a resource-based policy of its own, which may allow the call whatever the role says.
    resource_policy: bool = False


@dataclass(frozen=True)
class UnresolvedCall:
    """A call whose target could not be resolved: no rule judges it, the policy writer lists it."""

    action: str
    site: CallSite
    why: str  # "the table name is computed", "TABLE_NAME is not set", ...


@dataclass
class FunctionPermissions:
    """What the function's role must allow, as far as the scanned code shows it."""

    function: Resource
    calls: HandlerCalls | None  # None: no handler source in the repository
    code: list[Permission]  # resolved handler calls, in code order
    unresolved: list[UnresolvedCall]
    service: list[Permission]  # event source mapping reads and destinations
    baseline: list[Permission]  # logs, VPC network interfaces, X-Ray
    notes: list[str]  # what the policy writer could not resolve outside the code (a mapping source, a destination)

    @property
    def all(self) -> list[Permission]:
        return [*self.code, *self.service, *self.baseline]


@dataclass(frozen=True)
class UnusedGrant:
    """Data actions an Allow statement grants on one of its resources that no function of the role uses there."""

    statement: Statement
    resource: object  # the Resource entry as written
    unused: tuple[str, ...]  # the data actions granted there and not used, in DATA_ACTIONS order
    used: tuple[str, ...]  # what the role's functions use there in the services of `unused`, sorted
    patterns: tuple[str, ...]  # the statement's action patterns that grant the unused actions


class CodePermissions:
    """Resolves each function's permissions once (`Facts.permissions`)."""

    def __init__(self, model: Model, facts: Facts, calls_of: Callable[[Resource], HandlerCalls | None]):
        self.model = model
        self.facts = facts
        self.calls_of = calls_of
        self._by_function: dict[str, FunctionPermissions] = {}
        self._unused: dict[str, list[UnusedGrant] | None] = {}

    def of(self, function: Resource) -> FunctionPermissions:
        found = self._by_function.get(function.address)
        if found is None:
            found = self._by_function[function.address] = self._permissions(function)
        return found

    def _permissions(self, function: Resource) -> FunctionPermissions:
        calls = self.calls_of(function)
        code: list[Permission] = []
        unresolved: list[UnresolvedCall] = []
        for call in calls.calls if calls is not None else []:
            for action, target in call.needs:
                arn, why = self.resolve(function, call, target)
                if arn is None:
                    unresolved.append(UnresolvedCall(action, call.site, why))
                else:
                    governed = arn.resource is not None and arn.resource.address in self._with_resource_policy
                    reason = f"{call.site.file}:{call.site.line}"
                    code.append(Permission(action, arn, reason, call.site, resource_policy=governed))
        notes: list[str] = []
        service = self._mapping_reads(function, notes) + self._destinations(function, notes)
        return FunctionPermissions(function, calls, code, unresolved, service, self._baseline(function), notes)

    @cached_property
    def _with_resource_policy(self) -> set[str]:
        """The addresses of the resources that a resource-based policy of the scanned code is attached to."""
        found: set[str] = set()
        for type_, arguments in RESOURCE_POLICY_LINKS.items():
            for holder in self.model.resources(type_):
                for argument in arguments:
                    ref = ref_of(holder.value(argument))
                    if ref is not None:
                        found.add(ref.address)
        for type_ in OWN_POLICY_TYPES:
            found.update(r.address for r in self.model.resources(type_) if r.value("policy") not in (MISSING, None))
        return found

    # -- grants no code uses (IAM108) -----------------------------------------------------------------------
    def unused_grants(self, role: Resource) -> list[UnusedGrant] | None:
        """The data actions the role's own statements grant that no function of the role uses; None when that
        cannot be known: a function of the role without analysable source, with dynamic calls or unfollowed
        imports, or a function whose role is not known (it may be this one)."""
        if role.address not in self._unused:
            self._unused[role.address] = self._unused_grants(role)
        return self._unused[role.address]

    @cached_property
    def _functions_by_role(self) -> dict[str, list[Resource]] | None:
        """Role address -> the functions that run as it; None when some function's role is not known (it may be
        any role of the model)."""
        by_role: dict[str, list[Resource]] = {}
        for function in self.model.resources("aws_lambda_function"):
            role = self.facts.function_role(function)
            if role is None and not isinstance(function.value("role"), str):
                return None
            if role is not None:
                by_role.setdefault(role.address, []).append(function)
        return by_role

    def _unused_grants(self, role: Resource) -> list[UnusedGrant] | None:
        by_role = self._functions_by_role
        if by_role is None:
            return None
        functions = by_role.get(role.address, [])
        uses: list[tuple[str, tuple[object, ...] | None]] = []
        for function in functions:
            permissions = self.of(function)
            if permissions.calls is None or not permissions.calls.complete:
                return None
            uses += [(p.action.lower(), p.arn.tokens) for p in permissions.all]
            uses += [(u.action.lower(), None) for u in permissions.unresolved]  # on a resource not known
        if not functions:
            return None
        shared = self._statements_of_other_roles(role)
        grants: list[UnusedGrant] = []
        for document in self.facts.role_policies(role).documents:
            for statement in document.statements:
                if self.model.resource(statement.origin) is None:
                    continue  # an AWS-managed policy: not written here, not ours to trim
                if statement.origin in shared:
                    continue  # a policy other roles use too: their functions may need it
                grants += self._statement_unused(statement, uses)
        return grants

    def _statements_of_other_roles(self, role: Resource) -> set[str]:
        """Where the statements of the policies attached to the other roles of the model are written."""
        return {origin for origin, roles in self._roles_by_statement_origin.items() if roles - {role.address}}

    @cached_property
    def _roles_by_statement_origin(self) -> dict[str, set[str]]:
        """Where a statement is written -> the roles whose policies hold it."""
        roles: dict[str, set[str]] = {}
        for role in self.model.resources("aws_iam_role"):
            for document in self.facts.role_policies(role).documents:
                for statement in document.statements:
                    roles.setdefault(statement.origin, set()).add(role.address)
        return roles

    def _statement_unused(
        self, statement: Statement, uses: list[tuple[str, tuple[object, ...] | None]]
    ) -> list[UnusedGrant]:
        raw = statement.raw
        if statement.effect != "Allow" or "Action" not in raw or "Resource" not in raw or raw.get("Condition"):
            return []
        patterns = [p for p in statement.values("Action") or [] if isinstance(p, str)]
        if len(patterns) != len(statement.values("Action") or []):
            return []  # an action not known: it may be anything
        granted = {a: [p for p in patterns if action_matches(p, a) is Tri.YES] for a in DATA_ACTIONS}
        granted = {a: ps for a, ps in granted.items() if ps}
        if not granted:
            return []
        grants = []
        for resource in statement.values("Resource") or []:
            pattern = arn_tokens(self.model, resource, pattern=True)
            if pattern is None:
                continue
            here = [
                (action, tokens)
                for action, tokens in uses
                if tokens is None or match_tokens(pattern, list(tokens)) is not Tri.NO
            ]
            used_actions = {action for action, _ in here}
            unused = tuple(a for a in granted if a.lower() not in used_actions)
            if unused:
                services = {a.split(":", 1)[0].lower() for a in unused}
                shown = sorted({action_name(u) for u, _ in here if u.split(":", 1)[0] in services})
                by = tuple(dict.fromkeys(p for a in unused for p in granted[a]))
                grants.append(UnusedGrant(statement, resource, unused, tuple(shown), by))
        return grants

    # -- handler call targets ---------------------------------------------------------------------------
    def resolve(self, function: Resource, call: SdkCall, target: CallTarget) -> tuple[ArnValue | None, str]:
        """The ARN `target` stands for, or None with the reason it does not resolve."""
        if target.resource_type == "*":
            return ANY_RESOURCE, ""  # an action without resource-level permissions: granted on "*" only
        key = (call.service, target.resource_type)
        if key not in TARGET_RESOURCES:
            return None, f"{call.service} {target.resource_type} targets are not resolved"
        if target.name is None:
            return None, f"the {NAMED_KIND[target.resource_type]} is computed in the code"
        base: ArnValue | None
        if target.name.env is not None:
            value = environment_value(function, target.name.env)
            if value is MISSING:
                return None, f"{target.name.env} is not set in the function's environment"
            base = self._arn_of_value(function, key, value)
            if base is None:
                return None, f"{target.name.env} does not name a {NAMED_KIND[target.resource_type]} of the scanned code"
        elif target.name.literal is not None:
            base = self._arn_of_literal(function, key, target.name.literal)
            if base is None:
                return None, f"{target.name.literal!r} is not a {NAMED_KIND[target.resource_type]} of the scanned code"
        else:
            return None, f"the {NAMED_KIND[target.resource_type]} is not named"
        return _qualified(base, target), ""

    def _arn_of_value(self, function: Resource, key: tuple[str, str], value: object) -> ArnValue | None:
        types, attributes = TARGET_RESOURCES[key]
        origin = origin_of(value)
        if isinstance(origin, RefValue):
            resource = self.model.resource(origin.address)
            if resource is None or resource.full_type not in types or origin.attribute not in attributes:
                return None
            return self.resource_arn(function, resource, "stream_arn" if key == ("dynamodb", "stream") else "arn")
        if isinstance(value, str) and not isinstance(value, TracedStr):
            return self._arn_of_literal(function, key, str(value))
        return None

    def _arn_of_literal(self, function: Resource, key: tuple[str, str], literal: str) -> ArnValue | None:
        service = key[0]
        types, _ = TARGET_RESOURCES[key]
        name, arn = _name_in_literal(service, literal)
        if name is not None:
            named = [
                r
                for t in types
                for r in self.model.resources(t)
                if r.value(NAME_ATTRIBUTE[t]) == name and r.key is not UNKNOWN
            ]
            if len(named) == 1:
                return self.resource_arn(function, named[0], "stream_arn" if key == ("dynamodb", "stream") else "arn")
        if arn is not None:
            return ArnValue(tuple(arn), _quoted(arn), arn)
        if service == "events" and name == "default":
            return self.account_arn(service, "event-bus/default")
        return None

    def resource_arn(self, function: Resource, resource: Resource, attribute: str) -> ArnValue:
        """`resource.attribute` (an ARN attribute) as the function's module writes it."""
        ref = RefValue(resource.address, attribute)
        tokens = tuple(arn_tokens(self.model, ref, pattern=False) or [Hole(f"{resource.address}.{attribute}")])
        reference = relative_reference(function, ref)
        if reference is None:  # in another module: the ARN built from its known name, else not writable
            reference = terraform_template(function, tokens)
        return ArnValue(tokens, reference, json_text(tokens), resource)

    def account_arn(self, service: str, resource_part: str) -> ArnValue:
        """`arn:<partition>:<service>:<region>:<account>:<resource_part>` in the function's own account."""
        tokens = tuple(_arn_head(service) + list(resource_part))
        return ArnValue(tokens, terraform_template(None, tokens), json_text(tokens))

    # -- what Lambda does with the role -------------------------------------------------------------------
    def _mapping_reads(self, function: Resource, notes: list[str]) -> list[Permission]:
        permissions: list[Permission] = []
        for mapping in self.facts.mappings_of(function):
            source = self.facts.event_source(mapping)
            actions = MAPPING_READ_ACTIONS.get(source.kind or "")
            if actions is None:
                notes.append(f"{mapping.address}: the event source's kind is not known")
                continue
            arn = self._arn_of_source(function, source.value)
            if arn is None:
                notes.append(f"{mapping.address}: event_source_arn does not resolve")
                continue
            reason = f"{mapping.address} reads its event source"
            if source.resource is not None and source.resource.type == "aws_kinesis_stream_consumer":
                permissions += [Permission(a, arn, reason) for a in KINESIS_CONSUMER_ACTIONS]
                stream = self._arn_of_source(function, source.resource.value("stream_arn"))
                if stream is None:
                    notes.append(f"{source.resource.address}: stream_arn does not resolve")
                    continue
                arn = stream
            permissions += [Permission(a, arn, reason) for a in actions]
            destination = destination_value(mapping, "destination_config", "on_failure", "destination_arn")
            permissions += self._destination(
                function, f"on-failure destination of {mapping.address}", destination, notes
            )
        return permissions

    def _arn_of_source(self, function: Resource, value: object) -> ArnValue | None:
        origin = origin_of(value)
        if isinstance(origin, RefValue):
            resource = self.model.resource(origin.address)
            if resource is None:
                return None
            return self.resource_arn(function, resource, origin.attribute)
        if isinstance(value, str) and value.startswith("arn:"):
            return ArnValue(tuple(value), _quoted(value), str(value))
        return None

    def _destinations(self, function: Resource, notes: list[str]) -> list[Permission]:
        permissions: list[Permission] = []
        for view in function.blocks("dead_letter_config") or []:
            permissions += self._destination(
                function, "dead-letter target (dead_letter_config)", view.value("target_arn"), notes
            )
        for config in self.model.resources("aws_lambda_function_event_invoke_config"):
            if function_by_reference(self.model, config.value("function_name")) is not function:
                continue
            for outcome in ("on_failure", "on_success"):
                value = destination_value(config, "destination_config", outcome, "destination")
                permissions += self._destination(function, f"{outcome} destination of {config.address}", value, notes)
        return permissions

    def _destination(self, function: Resource, reason: str, value: object, notes: list[str]) -> list[Permission]:
        if value is MISSING or value is None:
            return []
        resource = self.model.referenced(value, *DESTINATION_ACTIONS)
        if resource is None:
            notes.append(f"{reason}: the destination does not resolve to a queue, topic, function or bus")
            return []
        arn = self.resource_arn(function, resource, "arn")
        return [Permission(a, arn, reason) for a in DESTINATION_ACTIONS[resource.full_type]]

    def _baseline(self, function: Resource) -> list[Permission]:
        permissions = self._logs(function)
        if in_vpc(function):
            reason = "network interfaces in the function's VPC (vpc_config)"
            permissions += [Permission(a, ANY_RESOURCE, reason) for a in VPC_ACTIONS]
        for view in function.blocks("tracing_config") or []:
            if view.value("mode") == "Active":
                reason = "X-Ray traces (tracing_config mode = Active)"
                permissions += [Permission(a, ANY_RESOURCE, reason) for a in XRAY_ACTIONS]
        return permissions

    def _logs(self, function: Resource) -> list[Permission]:
        group = log_group_of(self.model, function)
        if group is not None:
            ref = RefValue(group.address, "arn")
            tokens = tuple([*(arn_tokens(self.model, ref, pattern=False) or [Hole(f"{group.address}.arn")]), *":*"])
            reference = relative_reference(function, ref)
            terraform = f'"${{{reference}}}:*"' if reference else terraform_template(function, tokens)
            arn = ArnValue(tokens, terraform, json_text(tokens), group)
            return [Permission(a, arn, f"logs to {group.address}") for a in LOG_WRITE_ACTIONS]
        log_group: object = None
        for view in function.blocks("logging_config") or []:
            if view.has("log_group"):
                log_group = view.value("log_group")
        stream = log_stream_arn_tokens(function.value("function_name"), log_group)
        # `...:log-group:<name>:*`, the group and its streams; CreateLogGroup too, as the group is not defined
        tokens = (*stream[: -(len(":log-stream:") + 1)], *":*")
        arn = ArnValue(tokens, terraform_template(function, tokens), json_text(tokens))
        reason = "logs to the function's log group, which Lambda creates (no aws_cloudwatch_log_group defines it)"
        return [Permission(a, arn, reason) for a in ("logs:CreateLogGroup", *LOG_WRITE_ACTIONS)]


def action_name(action: str) -> str:
    """`dynamodb:getitem` -> `dynamodb:GetItem` for the actions this module knows, else as given."""
    return KNOWN_ACTIONS.get(action.lower(), action)


def log_group_of(model: Model, function: Resource) -> Resource | None:
    """The aws_cloudwatch_log_group the function logs to: the one its `logging_config.log_group` refers to or
    names, else the one named `/aws/lambda/<function_name>`; None when no group is known to be it."""
    expected: object = MISSING
    for view in function.blocks("logging_config") or []:
        if view.has("log_group"):
            expected = view.value("log_group")
    if expected is MISSING:
        name = function.value("function_name")
        if not isinstance(name, str):
            return None
        expected = f"/aws/lambda/{name}"
    ref = ref_of(expected)
    groups = model.resources("aws_cloudwatch_log_group")
    if ref is not None:
        found = [g for g in groups if g.address == ref.address]
    else:
        found = [g for g in groups if isinstance(expected, str) and g.value("name") == expected]
    return found[0] if len(found) == 1 else None


# -- values and ARNs ----------------------------------------------------------------------------------------
def environment_value(function: Resource, name: str) -> object:
    """The value of one of the function's environment variables: MISSING when not set, UNKNOWN when the
    variables cannot be read."""
    views = function.blocks("environment")
    if views is None:
        return UNKNOWN
    for view in views:
        variables = view.value("variables")
        if not isinstance(variables, dict):
            return UNKNOWN
        if name in variables:
            return variables[name]
    return MISSING


def _qualified(base: ArnValue, target: CallTarget) -> ArnValue:
    """The table's index ARN (`/index/<name>`, `/index/*`) or the bucket's object ARN (`/<key>`)."""
    if target.resource_type == "index":
        suffix = f"/index/{target.qualifier or '*'}"
    elif target.resource_type == "object":
        suffix = f"/{target.qualifier or '*'}"
    else:
        return base
    return _with_suffix(base, suffix)


def _with_suffix(base: ArnValue, suffix: str) -> ArnValue:
    terraform = None
    if base.terraform is not None:
        if base.terraform.startswith('"'):
            terraform = base.terraform[:-1] + _escaped(suffix) + '"'
        else:
            terraform = f'"${{{base.terraform}}}{_escaped(suffix)}"'
    text = base.text + suffix if base.text is not None else None
    return ArnValue((*base.tokens, *suffix), terraform, text, base.resource)


def _arn_head(service: str) -> list[object]:
    region: list[object] = [] if service in GLOBAL_ARN_SERVICES else [Hole("region")]
    account: list[object] = [] if service in GLOBAL_ARN_SERVICES else [Hole("account")]
    return [*"arn:", Hole("partition"), *f":{service}:", *region, ":", *account, ":"]


def _name_in_literal(service: str, literal: str) -> tuple[str | None, str | None]:
    """(the resource name a literal holds, the complete ARN it is or gives) for a name, an SQS URL or an ARN."""
    if literal.startswith("arn:"):
        parts = literal.split(":", 5)
        if len(parts) != 6 or parts[2] != service or "*" in literal:
            return None, None
        path = parts[5]
        prefix = ARN_RESOURCE_PREFIX[service]
        if not path.startswith(prefix):
            return None, None
        return re.split(r"[/:]", path[len(prefix) :], maxsplit=1)[0], literal
    if service == "sqs":
        url = SQS_URL.match(literal)
        if url is not None:
            partition = "aws-cn" if url["cn"] else "aws"
            return url["name"], f"arn:{partition}:sqs:{url['region']}:{url['account']}:{url['name']}"
    if "/" in literal or ":" in literal or not literal:
        return None, None
    return literal, None


def relative_reference(function: Resource | None, ref: RefValue) -> str | None:
    """`ref` as written in the function's module (`aws_dynamodb_table.orders.arn`), None from another module."""
    prefix = function.module_address if function is not None else ""
    if prefix:
        if not ref.address.startswith(prefix + "."):
            return None
        address = ref.address[len(prefix) + 1 :]
        if address.startswith("module."):
            return None
    else:
        address = ref.address
        if address.startswith("module."):
            return None
    return f"{address}.{ref.attribute}"


def terraform_template(function: Resource | None, tokens: tuple[object, ...]) -> str | None:
    """A quoted Terraform template for ARN tokens: partition, region and account from the data sources of
    ACCOUNT_DATA_SOURCES, other unknown parts as references in the function's module (a stream label of a table
    in another module as `*`); None when a part cannot be written there."""
    parts: list[str] = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(_escaped(token))
        elif isinstance(token, Hole) and token.id in ACCOUNT_DATA_SOURCES:
            parts.append(f"${{{ACCOUNT_DATA_SOURCES[token.id][0]}}}")
        elif isinstance(token, Hole) and "." in token.id:
            address, attribute = token.id.rsplit(".", 1)
            reference = relative_reference(function, RefValue(address, attribute))
            if reference is not None:
                parts.append(f"${{{reference}}}")
            elif attribute == "stream_label":
                parts.append("*")  # the table's streams: `*` names no other resource
            else:
                return None
        else:
            return None
    return '"' + "".join(parts) + '"'


def json_text(tokens: tuple[object, ...]) -> str | None:
    """The ARN for policy JSON: partition, region, account and a table's stream label as `*` when unknown; None
    when a name is not known (writing `*` for it would grant more than the code needs)."""
    parts: list[str] = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
        elif isinstance(token, Hole) and (token.id in ACCOUNT_DATA_SOURCES or token.id.endswith(".stream_label")):
            parts.append("*")  # the account's, or the table's streams: `*` names no other resource
        else:
            return None
    return "".join(parts)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${").replace("%{", "%%{")


def _quoted(text: str) -> str:
    return '"' + _escaped(text) + '"'


__all__ = [
    "ANY_RESOURCE",
    "ArnValue",
    "CodePermissions",
    "FunctionPermissions",
    "Permission",
    "UnresolvedCall",
    "UnusedGrant",
    "action_name",
    "environment_value",
    "json_text",
    "relative_reference",
    "terraform_template",
]

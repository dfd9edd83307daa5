"""How Lambda resources point at each other: mapping -> source and function, function -> role.

Each resolver accepts what users write: references (`aws_lambda_function.f.arn`, `.function_name`,
`.qualified_arn`, an `aws_lambda_alias`), values read from another resource (TracedStr), and literal names or ARNs
(`"orders-consumer"`, `"arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer:live"`). What cannot be
resolved gives None, and rules stay silent. Rules read these links through the model's facts
(`ddblint.model.facts.Facts`: `event_source`, `mapping_function`, `function_role`, `wiring`), which follow each
link once per model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ddblint.model import MISSING, Model, Resource
from ddblint.model.values import UNKNOWN, RefValue, Symbolic, origin_of

UNKNOWN_STREAM = "stream"  # a stream source whose kind (DynamoDB or Kinesis) is not known
STREAM_KINDS = ("dynamodb", "kinesis", UNKNOWN_STREAM)
DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000  # REST and WebSocket API integration timeout_milliseconds default
DEFAULT_HTTP_API_INTEGRATION_TIMEOUT_MS = 30_000  # HTTP API default (botocore apigatewayv2 TimeoutInMillis)


def function_by_reference(model: Model, value: object) -> Resource | None:
    """The aws_lambda_function a function_name / function ARN value names."""
    value = origin_of(value)
    if isinstance(value, RefValue):
        resource = model.resource(value.address)
        if resource is None:
            return None
        if resource.full_type in ("aws_lambda_function", "data.aws_lambda_function"):
            return resource if resource.full_type == "aws_lambda_function" else None
        if resource.full_type == "aws_lambda_alias":
            return function_by_reference(model, resource.value("function_name"))
        return _function_named_by(model, value)
    if isinstance(value, Symbolic) and UNKNOWN not in value.parts:  # two unknowns are not the same value
        return _function_named_by(model, value)
    if isinstance(value, str):
        name = _function_name_from_text(value)
        matches = [f for f in model.resources("aws_lambda_function") if f.value("function_name") == name]
        return matches[0] if len(matches) == 1 else None
    return None


def _function_named_by(model: Model, name: RefValue | Symbolic) -> Resource | None:
    """The one function whose `function_name` is this same reference or template (`random_pet.x.id`,
    `"${var.prefix}-orders"`): the same value, so the same function, though the name is not known."""
    matches = [f for f in model.resources("aws_lambda_function") if f.value("function_name") == name]
    return matches[0] if len(matches) == 1 else None


def _function_name_from_text(text: str) -> str:
    """`arn:aws:lambda:r:a:function:NAME[:qualifier]`, `NAME:qualifier` or `NAME` -> NAME."""
    if text.startswith("arn:"):
        parts = text.split(":")
        return parts[6] if len(parts) > 6 else text
    return text.split(":", 1)[0]


def mapping_function(model: Model, mapping: Resource) -> Resource | None:
    return function_by_reference(model, mapping.value("function_name"))


def function_role(model: Model, function: Resource) -> Resource | None:
    """The aws_iam_role defined in the scanned code that a function's `role` points at."""
    value = origin_of(function.value("role"))
    role = model.referenced(value, "aws_iam_role")
    if role is not None or not isinstance(value, str):
        return role
    if ":role/" in value:
        name = value.rsplit("/", 1)[-1]
        matches = [r for r in model.resources("aws_iam_role") if r.value("name") == name]
        return matches[0] if len(matches) == 1 else None
    return None


def in_vpc(function: Resource) -> bool:
    """The function has a vpc_config with subnets (known non-empty, or a reference)."""
    for view in function.blocks("vpc_config") or []:
        subnets = view.value("subnet_ids")
        if subnets is MISSING or subnets is None:
            continue
        if isinstance(subnets, list | tuple) and len(subnets) == 0:
            continue
        return True
    return False


@dataclass
class EventSource:
    """A mapping's `event_source_arn`: which service, and the resource when it is in the scanned code."""

    # "dynamodb", "kinesis", "sqs", "kafka", "mq", "docdb"; UNKNOWN_STREAM for a stream of unknown kind (the source
    # cannot be resolved, but the mapping has a starting_position); None when unknown
    kind: str | None
    value: object  # the evaluated ARN value (for policy evaluation)
    resource: Resource | None  # the table, stream or queue resource

    @property
    def is_stream(self) -> bool:
        return self.kind in STREAM_KINDS

    @property
    def record_expiry(self) -> str:
        """How long a record of this stream waits before it expires, as a phrase for messages."""
        return RECORD_EXPIRY.get(self.kind, RECORD_EXPIRY[UNKNOWN_STREAM])


# How long a record can stay in a stream, by source kind (DynamoDB Streams keep records 24 hours; a Kinesis
# stream's retention period is 24 hours by default, up to 8,760 hours).
RECORD_EXPIRY = {
    "dynamodb": "up to 24 hours on a DynamoDB stream",
    "kinesis": "after the Kinesis stream's retention period, 24 hours by default and up to 365 days",
    UNKNOWN_STREAM: "up to 24 hours on a DynamoDB stream, the retention period on a Kinesis stream",
}


_KIND_BY_TYPE = {
    "aws_dynamodb_table": "dynamodb",
    "data.aws_dynamodb_table": "dynamodb",
    "aws_kinesis_stream": "kinesis",
    "data.aws_kinesis_stream": "kinesis",
    "aws_kinesis_stream_consumer": "kinesis",
    "aws_sqs_queue": "sqs",
    "data.aws_sqs_queue": "sqs",
    "aws_msk_cluster": "kafka",
    "aws_mq_broker": "mq",
    "aws_docdb_cluster": "docdb",
}
# Settings only a Kafka or Amazon MQ source takes: with them, a starting_position does not make a stream.
_KAFKA_OR_MQ_SETTINGS = (
    "topics",
    "queues",
    "self_managed_event_source",
    "self_managed_kafka_event_source_config",
    "amazon_managed_kafka_event_source_config",
    "source_access_configuration",
)
_HOLE = "\x00"  # stands for an unknown part of an ARN


def event_source(model: Model, mapping: Resource) -> EventSource:
    """The kind of a mapping's source: from the resource its `event_source_arn` refers to (also through module
    inputs and outputs), else from a literal ARN's service and resource type. When neither tells, a mapping with
    a `starting_position` and no Kafka/MQ settings reads a stream of unknown kind (every stream source requires
    one, SQS takes none)."""
    if mapping.blocks("self_managed_event_source"):
        return EventSource("kafka", UNKNOWN, None)
    value = mapping.value("event_source_arn")
    if value is MISSING:
        return EventSource(None, UNKNOWN, None)
    kind, resource = _kind_of(model, value)
    if kind is None and _reads_a_stream(mapping):
        kind = UNKNOWN_STREAM
    return EventSource(kind, value, resource)


def _kind_of(model: Model, value: object) -> tuple[str | None, Resource | None]:
    origin = origin_of(value)
    if isinstance(origin, RefValue):
        resource = model.resource(origin.address)
        if resource is not None and resource.full_type in _KIND_BY_TYPE:
            return _KIND_BY_TYPE[resource.full_type], resource
        return None, None
    text = _arn_text(value)
    if text is None:
        return None, None
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or _HOLE in parts[2]:
        return None, None
    service, path = parts[2], parts[5]
    if service == "dynamodb" and re.fullmatch(r"table/[^/]+/stream/.+", path):
        return "dynamodb", _named(model, "aws_dynamodb_table", path.split("/")[1])
    if service == "kinesis" and re.fullmatch(r"stream/[^/]+(/consumer/.+)?", path):
        return "kinesis", _named(model, "aws_kinesis_stream", path.split("/")[1])
    if service == "sqs" and path and "/" not in path:
        return "sqs", _named(model, "aws_sqs_queue", path)
    if service == "kafka" and path.startswith("cluster/"):
        return "kafka", None
    if service == "mq" and path.startswith("broker:"):
        return "mq", None
    if service == "rds" and path.startswith("cluster:"):
        return "docdb", None
    return None, None


def _named(model: Model, type_: str, name: str) -> Resource | None:
    """The one resource of `type_` with that literal name, else None."""
    if _HOLE in name:
        return None
    matches = [r for r in model.resources(type_) if r.value("name") == name]
    return matches[0] if len(matches) == 1 else None


def _reads_a_stream(mapping: Resource) -> bool:
    if mapping.value("starting_position") is MISSING:
        return False
    return all(mapping.value(name) is MISSING and not mapping.blocks(name) for name in _KAFKA_OR_MQ_SETTINGS)


def _arn_text(value: object) -> str | None:
    """The text of an ARN, with each unknown part (a reference, a variable) replaced by a hole."""
    if isinstance(value, str):
        return value
    if isinstance(value, Symbolic):
        return "".join(part if isinstance(part, str) else _HOLE for part in value.parts)
    return None


def destination_value(view_owner: Resource, *path: str) -> object:
    """A value inside nested single blocks, e.g. ("destination_config", "on_failure", "destination_arn")."""
    views = [view_owner]
    for name in path[:-1]:
        nested = views[0].blocks(name)
        if nested is None:
            return UNKNOWN
        if not nested:
            return MISSING
        views = nested
    return views[0].value(path[-1])


@dataclass(eq=False)
class ApiIntegration:
    """An API Gateway integration (REST, HTTP or WebSocket API) and the function of the scanned code it calls."""

    model: Model
    integration: Resource
    function: Resource | None

    @cached_property
    def default_timeout_ms(self) -> int:
        """29 s for REST and WebSocket APIs, 30 s for HTTP APIs (and when the protocol is not known)."""
        if self.integration.type != "aws_apigatewayv2_integration":
            return DEFAULT_INTEGRATION_TIMEOUT_MS
        api = self.model.referenced(self.integration.value("api_id"), "aws_apigatewayv2_api")
        if api is not None and api.value("protocol_type") == "WEBSOCKET":
            return DEFAULT_INTEGRATION_TIMEOUT_MS
        return DEFAULT_HTTP_API_INTEGRATION_TIMEOUT_MS


def api_integrations(model: Model) -> list[ApiIntegration]:
    """Every API Gateway integration, REST (`uri`) first, then HTTP/WebSocket (`integration_uri`)."""
    integrations = [(i, "uri") for i in model.resources("aws_api_gateway_integration")] + [
        (i, "integration_uri") for i in model.resources("aws_apigatewayv2_integration")
    ]
    return [
        ApiIntegration(model, integration, function_by_reference(model, integration.value(attribute)))
        for integration, attribute in integrations
    ]

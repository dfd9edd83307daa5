"""LAM3xx: function settings (timeouts, VPC and log permissions, reserved concurrency)."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.findings import Finding, Severity
from ddblint.model import MISSING, Model, Resource
from ddblint.model.facts import facts_of
from ddblint.model.lambda_wiring import in_vpc
from ddblint.model.policy import Tri, log_stream_arn_tokens, role_allows
from ddblint.model.values import UNKNOWN, as_text
from ddblint.rules import Options, Rule

PROVIDER_FUNCTION = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function"
TIMEOUT_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html"
DEFAULT_TIMEOUT = 3  # seconds; provider schema: aws_lambda_function.timeout defaults to 3
DEFAULT_VISIBILITY_TIMEOUT = 30  # seconds; provider schema: aws_sqs_queue.visibility_timeout_seconds default

TIMEOUT_ABSENT = Rule(
    id="LAM301",
    name="timeout-absent",
    severity=Severity.WARNING,
    summary="a function has no timeout, so Lambda's 3-second default applies",
    source_urls=(TIMEOUT_DOC, PROVIDER_FUNCTION + "#timeout-1"),
    tags=("lambda", "timeout"),
)
TIMEOUT_TOO_SHORT = Rule(
    id="LAM302",
    name="timeout-too-short",
    severity=Severity.WARNING,
    summary="a function in a VPC or behind a mapping has a timeout below the threshold",
    source_urls=(TIMEOUT_DOC, "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html"),
    tags=("lambda", "timeout"),
    options={"min_timeout_seconds": 10},
)
TIMEOUT_OUT_OF_RANGE = Rule(
    id="LAM303",
    name="timeout-out-of-range",
    severity=Severity.ERROR,
    summary="a function's timeout is below 1 or above 900 seconds",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-Timeout",
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
    ),
    tags=("lambda", "timeout"),
)
TIMEOUT_EXCEEDS_CALLER = Rule(
    id="LAM304",
    name="timeout-exceeds-caller",
    severity=Severity.ERROR,
    summary="a function's timeout is longer than its caller waits (SQS visibility, API Gateway integration)",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-queueconfig",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#visibility_timeout_seconds-1",
    ),
    tags=("lambda", "timeout", "cross-resource"),
)
VPC_ENI_PERMISSION_MISSING = Rule(
    id="LAM305",
    name="vpc-eni-permission-missing",
    severity=Severity.ERROR,
    summary="a function in a VPC has a role that cannot manage its network interfaces",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html",
    ),
    tags=("lambda", "iam", "vpc"),
)
LOG_PERMISSION_MISSING = Rule(
    id="LAM306",
    name="log-permission-missing",
    severity=Severity.WARNING,
    summary="a function's role cannot write its logs",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html",
    ),
    tags=("lambda", "iam", "observability"),
)
ZERO_RESERVED_CONCURRENCY = Rule(
    id="LAM307",
    name="zero-reserved-concurrency",
    severity=Severity.ERROR,
    summary="reserved_concurrent_executions = 0 throttles every invocation",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
        PROVIDER_FUNCTION + "#reserved_concurrent_executions-1",
    ),
    tags=("lambda", "concurrency"),
)


def _timeout(function: Resource) -> object:
    """The function's timeout in seconds: its value, the 3 s default when absent, or UNKNOWN."""
    value = function.value("timeout")
    if value is MISSING:
        return DEFAULT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, int | float):
        return UNKNOWN
    return value


def _context(model: Model, function: Resource) -> list[str]:
    """Why a short timeout matters here: in a VPC, target of a mapping."""
    reasons = []
    if in_vpc(function):
        reasons.append("runs in a VPC")
    mappings = facts_of(model).mappings_of(function)
    if mappings:
        reasons.append(f"is the target of {mappings[0].address}")
    return reasons


def _timeout_risks(model: Model, function: Resource, seconds: str) -> str:
    """What a too short timeout breaks for this function, from its facts, naming only what the case has:
    "3 s leaves no time for the cold start in a VPC or the SDK's retries of a slow DynamoDB call; a timed-out
    stream batch is retried as a whole, blocking its shard". "" when nothing specific is known."""
    facts = facts_of(model)
    slow = []
    if in_vpc(function):
        slow.append("the cold start in a VPC")
    if facts.calls_dynamodb(function):
        slow.append("the SDK's retries of a slow DynamoDB call")
    sources = [facts.event_source(mapping) for mapping in facts.mappings_of(function)]
    if any(source.is_stream for source in sources):
        consequence = "a timed-out stream batch is retried as a whole, blocking its shard"
    elif any(source.kind == "sqs" for source in sources):
        consequence = "a timed-out SQS batch goes back to the queue and is received again"
    elif sources:
        consequence = "a timed-out batch is retried"
    else:
        consequence = ""
    parts = []
    if slow:
        parts.append(f"{seconds} s leaves no time for {' or '.join(slow)}")
    if consequence:
        parts.append(consequence)
    return "; ".join(parts)


# -- LAM301 -----------------------------------------------------------------------------------------------
@TIMEOUT_ABSENT.check
def timeout_absent(model: Model, options: Options) -> Iterator[Finding]:
    for function in model.resources("aws_lambda_function"):
        if function.has("timeout"):
            continue
        reasons = _context(model, function)
        severity = Severity.ERROR if reasons else Severity.WARNING
        why = ""
        if reasons:
            risks = _timeout_risks(model, function, as_text(DEFAULT_TIMEOUT))
            why = f" It {' and '.join(reasons)}" + (f": {risks}." if risks else ".")
        fix = facts_of(model).module_interface.setting_fix(
            function,
            "timeout",
            "30",
            "set timeout explicitly, e.g. timeout = 30 (seconds; at most 900), sized to the slowest call",
        )
        yield TIMEOUT_ABSENT.finding(
            function,
            severity=severity,
            message=f"{function.address} sets no timeout, so Lambda's default of {DEFAULT_TIMEOUT} s applies.{why}",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- LAM302 -----------------------------------------------------------------------------------------------
@TIMEOUT_TOO_SHORT.check
def timeout_too_short(model: Model, options: Options) -> Iterator[Finding]:
    threshold = options["min_timeout_seconds"]
    for function in model.resources("aws_lambda_function"):
        if not function.has("timeout"):
            continue  # LAM301 reports the default
        timeout = _timeout(function)
        if timeout is UNKNOWN or timeout >= threshold or timeout < 1:
            continue
        reasons = _context(model, function)
        if not reasons:
            continue
        fix = facts_of(model).module_interface.setting_fix(
            function,
            "timeout",
            as_text(threshold),
            f"raise timeout to at least {as_text(threshold)} (option min_timeout_seconds sets this threshold)",
        )
        yield TIMEOUT_TOO_SHORT.finding(
            function,
            at=function.location_of("timeout"),
            message=f"{function.address} has timeout = {as_text(timeout)} s, below the {as_text(threshold)} s "
            f"minimum for a function that {' and '.join(reasons)}"
            + (f": {risks}" if (risks := _timeout_risks(model, function, as_text(timeout))) else ""),
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- LAM303 -----------------------------------------------------------------------------------------------
@TIMEOUT_OUT_OF_RANGE.check
def timeout_out_of_range(model: Model, options: Options) -> Iterator[Finding]:
    for function in model.resources("aws_lambda_function"):
        if not function.has("timeout"):
            continue
        timeout = _timeout(function)
        if timeout is UNKNOWN or 1 <= timeout <= 900:
            continue
        fix = facts_of(model).module_interface.setting_fix(
            function,
            "timeout",
            "900" if timeout > 900 else "1",
            "set timeout between 1 and 900; for longer work use Step Functions or split the batch",
        )
        yield TIMEOUT_OUT_OF_RANGE.finding(
            function,
            at=function.location_of("timeout"),
            message=f"{function.address} has timeout = {as_text(timeout)} s; Lambda accepts 1 to 900 seconds, "
            "so the apply fails with InvalidParameterValueException",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- LAM304 -----------------------------------------------------------------------------------------------
@TIMEOUT_EXCEEDS_CALLER.check
def timeout_exceeds_caller(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        queue = source.resource
        if source.kind != "sqs" or queue is None or queue.full_type != "aws_sqs_queue":
            continue
        function = facts_of(model).mapping_function(mapping)
        if function is None:
            continue
        timeout = _timeout(function)
        visibility = queue.value("visibility_timeout_seconds")
        if visibility is MISSING:
            visibility = DEFAULT_VISIBILITY_TIMEOUT
        if timeout is UNKNOWN or not isinstance(visibility, int | float) or isinstance(visibility, bool):
            continue
        if visibility >= timeout:
            continue
        fix = facts_of(model).module_interface.setting_fix(
            queue,
            "visibility_timeout_seconds",
            as_text(6 * timeout),
            f"set visibility_timeout_seconds on {queue.address} to at least 6 x the function timeout "
            f"({as_text(6 * timeout)})",
        )
        yield TIMEOUT_EXCEEDS_CALLER.finding(
            mapping,
            at=mapping.location_of("event_source_arn"),
            message=f"{queue.address} has visibility_timeout_seconds = {as_text(visibility)}, below the timeout "
            f"of {function.address} ({as_text(timeout)} s): AWS rejects the mapping, and messages would reappear "
            "while still being processed",
            fix=fix.text,
            shared_fix=fix.shared,
        )
    yield from _api_gateway_timeouts(model)


def _api_gateway_timeouts(model: Model) -> Iterator[Finding]:
    for caller in facts_of(model).api_integrations:
        function, integration = caller.function, caller.integration
        if function is None:
            continue
        timeout = _timeout(function)
        limit = integration.value("timeout_milliseconds")
        if limit is MISSING:
            limit = caller.default_timeout_ms
        if timeout is UNKNOWN or not isinstance(limit, int | float) or isinstance(limit, bool):
            continue
        if timeout * 1000 <= limit:
            continue
        fix = facts_of(model).module_interface.setting_fix(
            function,
            "timeout",
            as_text(limit // 1000),
            f"lower the function timeout to at most {as_text(limit // 1000)} s, or make the work asynchronous",
        )
        yield TIMEOUT_EXCEEDS_CALLER.finding(
            function,
            severity=Severity.WARNING,
            at=function.location_of("timeout"),
            message=f"{function.address} may run {as_text(timeout)} s, but {integration.address} gives up after "
            f"{as_text(limit)} ms: callers get a 504 while the function keeps running (and writing)",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- LAM305 -----------------------------------------------------------------------------------------------
ENI_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")


@VPC_ENI_PERMISSION_MISSING.check
def vpc_eni_permission_missing(model: Model, options: Options) -> Iterator[Finding]:
    for function in model.resources("aws_lambda_function"):
        if not in_vpc(function):
            continue
        role = facts_of(model).function_role(function)
        if role is None:
            continue
        policies = facts_of(model).role_policies(role)
        missing = [a for a in ENI_ACTIONS if role_allows(model, policies, a, "*") is Tri.NO]
        if not missing:
            continue
        yield VPC_ENI_PERMISSION_MISSING.finding(
            function,
            message=f"{function.address} runs in a VPC, but role {role.address} does not grant "
            f"{', '.join(missing)}: Lambda cannot create the function's network interfaces and the apply fails",
            fix="attach arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole to "
            + facts_of(model).module_interface.written_name(role, "name"),
        )


# -- LAM306 -----------------------------------------------------------------------------------------------
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")


@LOG_PERMISSION_MISSING.check
def log_permission_missing(model: Model, options: Options) -> Iterator[Finding]:
    for function in model.resources("aws_lambda_function"):
        role = facts_of(model).function_role(function)
        if role is None:
            continue
        policies = facts_of(model).role_policies(role)
        target = log_stream_arn_tokens(function.value("function_name"), _custom_log_group(function))
        missing = [a for a in LOG_ACTIONS if role_allows(model, policies, a, target) is Tri.NO]
        if not missing:
            continue
        group = _custom_log_group(function)
        name = function.value("function_name")
        if isinstance(group, str):
            group_text = as_text(group)
        elif group is None and isinstance(name, str):
            group_text = f"/aws/lambda/{as_text(name)}"
        else:
            group_text = "/aws/lambda/<function name>"
        arn = f"arn:aws:logs:*:*:log-group:{group_text}:*" if "<" not in group_text else None
        yield LOG_PERMISSION_MISSING.finding(
            function,
            message=f"role {role.address} of {function.address} does not grant {', '.join(missing)} on the "
            f"function's log group {group_text}: its logs, and the errors that explain a failure, are dropped",
            fix="attach arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole to "
            f"{facts_of(model).module_interface.written_name(role, 'name')}, or "
            + (
                f'allow logs:CreateLogStream and logs:PutLogEvents on "{arn}" (or on the log group resource\'s '
                'arn followed by ":*")'
                if arn
                else 'allow logs:CreateLogStream and logs:PutLogEvents on "${aws_cloudwatch_log_group.<name>.arn}:*"'
            ),
        )


def _custom_log_group(function: Resource) -> object:
    """`logging_config.log_group` when written (a name or UNKNOWN), else None (the /aws/lambda/<name> group)."""
    views = function.blocks("logging_config")
    if views is None:
        return UNKNOWN
    for view in views:
        value = view.value("log_group")
        if value is not MISSING and value is not None:
            return value
    return None


# -- LAM307 -----------------------------------------------------------------------------------------------
@ZERO_RESERVED_CONCURRENCY.check
def zero_reserved_concurrency(model: Model, options: Options) -> Iterator[Finding]:
    for function in model.resources("aws_lambda_function"):
        value = function.value("reserved_concurrent_executions")
        if isinstance(value, bool) or value != 0:
            continue
        fix = facts_of(model).module_interface.setting_fix(
            function,
            "reserved_concurrent_executions",
            "-1",
            "remove reserved_concurrent_executions (or set -1 for no reservation), or a positive limit",
        )
        yield ZERO_RESERVED_CONCURRENCY.finding(
            function,
            at=function.location_of("reserved_concurrent_executions"),
            message=f"{function.address} has reserved_concurrent_executions = 0: every invocation is throttled, "
            "and a stream mapping stops making progress",
            fix=fix.text,
            shared_fix=fix.shared,
        )

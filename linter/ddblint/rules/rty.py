"""RTY4xx: retries and failure handling of event source mappings and asynchronous invocations."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.findings import Finding, Severity
from ddblint.model import MISSING, Model, Resource
from ddblint.model.facts import facts_of
from ddblint.model.lambda_wiring import EventSource, destination_value, function_by_reference
from ddblint.model.values import UNKNOWN, as_text
from ddblint.rules import Options, Rule

PROVIDER_ESM = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_event_source_mapping"
STREAM_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-errors"
KINESIS_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-errors"
BATCH_FAILURES = "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html"

ESM_UNBOUNDED_RETRIES = Rule(
    id="RTY401",
    name="esm-unbounded-retries",
    severity=Severity.ERROR,
    summary="a stream mapping retries a failing batch until its records expire",
    source_urls=(STREAM_ERRORS, KINESIS_ERRORS, PROVIDER_ESM + "#maximum_retry_attempts-1"),
    tags=("retries", "stream"),
)
ESM_UNBOUNDED_RECORD_AGE = Rule(
    id="RTY402",
    name="esm-unbounded-record-age",
    severity=Severity.WARNING,
    summary="a stream mapping keeps retrying records of any age",
    source_urls=(STREAM_ERRORS, PROVIDER_ESM + "#maximum_record_age_in_seconds-1"),
    tags=("retries", "stream"),
)
ESM_NO_BISECT = Rule(
    id="RTY403",
    name="esm-no-bisect",
    severity=Severity.WARNING,
    summary="a stream mapping does not split a failing batch to isolate the bad record",
    source_urls=(STREAM_ERRORS, PROVIDER_ESM + "#bisect_batch_on_function_error-1"),
    tags=("retries", "stream"),
)
ESM_NO_FAILURE_DESTINATION = Rule(
    id="RTY404",
    name="esm-no-failure-destination",
    severity=Severity.ERROR,
    summary="records that exhaust their retries are dropped without trace",
    source_urls=(
        STREAM_ERRORS,
        "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#services-sqs-errorhandling",
        PROVIDER_ESM + "#destination_config-1",
    ),
    tags=("retries", "stream", "sqs"),
)
ESM_NO_PARTIAL_BATCH_RESPONSE = Rule(
    id="RTY405",
    name="esm-no-partial-batch-response",
    severity=Severity.WARNING,
    summary="one failed record makes the whole batch retry",
    source_urls=(
        BATCH_FAILURES,
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting",
        PROVIDER_ESM + "#function_response_types-1",
    ),
    tags=("retries", "stream", "sqs"),
)
ASYNC_NO_FAILURE_HANDLING = Rule(
    id="RTY407",
    name="async-no-failure-handling",
    severity=Severity.WARNING,
    summary="an asynchronously invoked function drops events that fail all retries",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html",
    ),
    tags=("retries", "async"),
)


def _stream_mappings(model: Model) -> Iterator[tuple[Resource, EventSource]]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        if source.is_stream:
            yield mapping, source


def _source_text(mapping: Resource, source: EventSource) -> str:
    if source.resource is not None:
        noun = "stream of" if source.kind == "dynamodb" else "stream"
        return f"the {noun} {source.resource.address}"
    return "its stream"


# -- RTY401 -----------------------------------------------------------------------------------------------
@ESM_UNBOUNDED_RETRIES.check
def esm_unbounded_retries(model: Model, options: Options) -> Iterator[Finding]:
    for mapping, source in _stream_mappings(model):
        value = mapping.value("maximum_retry_attempts")
        if value is UNKNOWN or (value is not MISSING and value != -1):
            continue
        stated = (
            "does not set maximum_retry_attempts (the default -1 applies)"
            if value is MISSING
            else ("sets maximum_retry_attempts = -1")
        )
        fix = facts_of(model).module_interface.setting_fix(
            mapping,
            "maximum_retry_attempts",
            "3",
            "set maximum_retry_attempts = 3 (0-10000) together with an on_failure destination",
            also="give the mapping an on_failure destination too",
        )
        yield ESM_UNBOUNDED_RETRIES.finding(
            mapping,
            at=mapping.location_of("maximum_retry_attempts"),
            message=f"{mapping.address} reads {_source_text(mapping, source)} and {stated}: a poison record is "
            f"retried until it expires ({source.record_expiry}), blocking its shard while the "
            "records behind it age out",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- RTY402 -----------------------------------------------------------------------------------------------
@ESM_UNBOUNDED_RECORD_AGE.check
def esm_unbounded_record_age(model: Model, options: Options) -> Iterator[Finding]:
    for mapping, _source in _stream_mappings(model):
        value = mapping.value("maximum_record_age_in_seconds")
        if value is UNKNOWN or (value is not MISSING and value != -1):
            continue
        stated = (
            "does not set maximum_record_age_in_seconds (the default -1 applies)"
            if value is MISSING
            else ("sets maximum_record_age_in_seconds = -1")
        )
        fix = facts_of(model).module_interface.setting_fix(
            mapping,
            "maximum_record_age_in_seconds",
            "3600",
            "set maximum_record_age_in_seconds = 3600 (60-604800), sized to how stale a change may be",
        )
        yield ESM_UNBOUNDED_RECORD_AGE.finding(
            mapping,
            at=mapping.location_of("maximum_record_age_in_seconds"),
            message=f"{mapping.address} {stated}: records are retried at any age, so after an outage the "
            "function works through hours-old changes before it sees new ones",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- RTY403 -----------------------------------------------------------------------------------------------
@ESM_NO_BISECT.check
def esm_no_bisect(model: Model, options: Options) -> Iterator[Finding]:
    for mapping, _source in _stream_mappings(model):
        value = mapping.value("bisect_batch_on_function_error")
        if value is True or value is UNKNOWN:
            continue
        stated = (
            "does not set bisect_batch_on_function_error (default false)"
            if value is MISSING
            else (f"sets bisect_batch_on_function_error = {as_text(value)}")
        )
        fix = facts_of(model).module_interface.setting_fix(
            mapping, "bisect_batch_on_function_error", "true", "set bisect_batch_on_function_error = true"
        )
        yield ESM_NO_BISECT.finding(
            mapping,
            at=mapping.location_of("bisect_batch_on_function_error"),
            message=f"{mapping.address} {stated}: when one record fails, the whole batch is retried as it is, and "
            "the good records in it are processed again on every attempt",
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- RTY404 -----------------------------------------------------------------------------------------------
@ESM_NO_FAILURE_DESTINATION.check
def esm_no_failure_destination(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        if source.is_stream:
            destination = destination_value(mapping, "destination_config", "on_failure", "destination_arn")
            if destination is not MISSING and destination is not None:
                continue
            fix = facts_of(model).module_interface.setting_fix(
                mapping,
                "destination_config.on_failure.destination_arn",
                "aws_sqs_queue.<failures>.arn",
                "add destination_config { on_failure { destination_arn = aws_sqs_queue.<failures>.arn } } "
                "and grant the role sqs:SendMessage on that queue",
                also="grant the function's role sqs:SendMessage on that queue",
            )
            yield ESM_NO_FAILURE_DESTINATION.finding(
                mapping,
                message=f"{mapping.address} reads {_source_text(mapping, source)} with no "
                "destination_config.on_failure: a batch that exhausts its retries or expires is skipped and its "
                "records are lost without a trace",
                fix=fix.text,
                shared_fix=fix.shared,
            )
        elif source.kind == "sqs" and source.resource is not None and source.resource.type == "aws_sqs_queue":
            queue = source.resource
            if queue.value("redrive_policy") is not MISSING or _has_redrive_resource(model, queue):
                continue
            fix = facts_of(model).module_interface.setting_fix(
                queue,
                "redrive_policy",
                "jsonencode({ deadLetterTargetArn = aws_sqs_queue.<dead_letters>.arn, maxReceiveCount = 5 })",
                f"give {queue.address} a redrive_policy with deadLetterTargetArn and maxReceiveCount (e.g. 5)",
            )
            yield ESM_NO_FAILURE_DESTINATION.finding(
                mapping,
                message=f"{mapping.address} reads {queue.address}, which has no redrive_policy: a message that "
                "keeps failing is retried until the queue's retention period deletes it",
                fix=fix.text,
                shared_fix=fix.shared,
            )


def _has_redrive_resource(model: Model, queue: Resource) -> bool:
    for redrive in model.resources("aws_sqs_queue_redrive_policy"):
        url = redrive.value("queue_url")
        if url is UNKNOWN or model.referenced(url) is queue:
            return True
    return False


# -- RTY405 -----------------------------------------------------------------------------------------------
@ESM_NO_PARTIAL_BATCH_RESPONSE.check
def esm_no_partial_batch_response(model: Model, options: Options) -> Iterator[Finding]:
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        source = facts_of(model).event_source(mapping)
        if not (source.is_stream or source.kind == "sqs"):
            continue
        types = mapping.value("function_response_types")
        if types is UNKNOWN or (isinstance(types, list) and "ReportBatchItemFailures" in types):
            continue
        if isinstance(types, list) and any(t is UNKNOWN for t in types):
            continue
        if source.kind == "sqs" and _one_message_batches(mapping):
            continue  # each invocation gets one message: a partial batch response cannot help
        fix = facts_of(model).module_interface.setting_fix(
            mapping,
            "function_response_types",
            '["ReportBatchItemFailures"]',
            'set function_response_types = ["ReportBatchItemFailures"] and return {"batchItemFailures": '
            '[{"itemIdentifier": ...}]} from the handler',
            also='return {"batchItemFailures": [{"itemIdentifier": ...}]} from the handler',
        )
        yield ESM_NO_PARTIAL_BATCH_RESPONSE.finding(
            mapping,
            at=mapping.location_of("function_response_types"),
            message=f'{mapping.address} does not set function_response_types = ["ReportBatchItemFailures"]: the '
            "handler cannot report which record failed, so one bad record makes the whole batch retry",
            fix=fix.text,
            shared_fix=fix.shared,
        )


def _one_message_batches(mapping: Resource) -> bool:
    """`batch_size = 1` with no batching window: every batch holds exactly one message."""
    window = mapping.value("maximum_batching_window_in_seconds")
    return mapping.value("batch_size") == 1 and (window is MISSING or window == 0)


# -- RTY407 -----------------------------------------------------------------------------------------------
ASYNC_PRINCIPALS = {
    "s3.amazonaws.com": "S3",
    "sns.amazonaws.com": "SNS",
    "events.amazonaws.com": "EventBridge",
}


@ASYNC_NO_FAILURE_HANDLING.check
def async_no_failure_handling(model: Model, options: Options) -> Iterator[Finding]:
    invoked: dict[str, tuple[Resource, Resource, str]] = {}
    for permission in model.resources("aws_lambda_permission"):
        principal = permission.value("principal")
        service = ASYNC_PRINCIPALS.get(principal) if isinstance(principal, str) else None
        if service is None:
            continue
        function = function_by_reference(model, permission.value("function_name"))
        if function is not None and function.address not in invoked:
            invoked[function.address] = (function, permission, service)
    configs = model.resources("aws_lambda_function_event_invoke_config")
    for function, permission, service in invoked.values():
        dead_letter = [v for v in function.blocks("dead_letter_config") or [] if v.value("target_arn") is not MISSING]
        if dead_letter or function.blocks("dead_letter_config") is None:
            continue
        handled = False
        for config in configs:
            config_function = config.value("function_name")
            if config_function is UNKNOWN:
                handled = True
                continue
            if function_by_reference(model, config_function) is not function:
                continue
            destination = destination_value(config, "destination_config", "on_failure", "destination")
            if destination is not MISSING and destination is not None:
                handled = True
        if handled:
            continue
        yield ASYNC_NO_FAILURE_HANDLING.finding(
            function,
            message=f"{function.address} is invoked asynchronously by {service} ({permission.address}) and has "
            "neither a dead_letter_config nor an on-failure destination: an event that fails its two retries is "
            "discarded",
            fix="add an aws_lambda_function_event_invoke_config with destination_config { on_failure { destination "
            "= aws_sqs_queue.<failures>.arn } } (or dead_letter_config { target_arn = ... })",
        )


# -- RTY406 -----------------------------------------------------------------------------------------------
# The arithmetic lives in ddblint.model.sdk_retries (botocore's own retry model); the handler's clients come
# from the model's facts (`Facts.handler_code`). sdk_retries loads botocore's data, so it is imported on use.
BOTOCORE_RETRIES = "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html"
BOTOCORE_CONFIG = "https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html"
BOTOCORE_RETRY_DATA = "https://github.com/boto/botocore/blob/develop/botocore/data/_retry.json"
BOTOCORE_STANDARD = "https://github.com/boto/botocore/blob/develop/botocore/retries/standard.py"
SDK_RETRY_BEHAVIOR = "https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html"
LAMBDA_TIMEOUT = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html"
LAMBDA_DEFAULT_TIMEOUT = 3  # seconds, when `timeout` is not set (provider docs: aws_lambda_function.timeout)
LAMBDA_MAX_TIMEOUT = 900

CLIENT_RETRY_BUDGET_EXCEEDS_TIMEOUT = Rule(
    id="RTY406",
    name="client-retry-budget-exceeds-timeout",
    severity=Severity.WARNING,
    summary="the function's AWS SDK retries can take longer than the function timeout",
    source_urls=(
        BOTOCORE_RETRIES,
        BOTOCORE_CONFIG,
        SDK_RETRY_BEHAVIOR,
        BOTOCORE_STANDARD,
        BOTOCORE_RETRY_DATA,
        LAMBDA_TIMEOUT,
    ),
    tags=("retries", "lambda", "sdk"),
)


@CLIENT_RETRY_BUDGET_EXCEEDS_TIMEOUT.check
def client_retry_budget_exceeds_timeout(model: Model, options: Options) -> Iterator[Finding]:
    for function in model.resources("aws_lambda_function"):
        finding = _rty406_function(model, function)
        if finding is not None:
            yield finding


def _rty406_function(model: Model, function: Resource) -> Finding | None:
    from ddblint.model.sdk_retries import settings_for, worst_case

    timeout = function.value("timeout")
    timeout_is_default = timeout is MISSING
    if timeout_is_default:
        timeout = LAMBDA_DEFAULT_TIMEOUT
    if isinstance(timeout, str):
        try:
            timeout = float(timeout)
        except ValueError:
            return None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        return None  # UNKNOWN, a reference: stay silent
    environ, env_line = _rty406_environment(function)
    facts = facts_of(model)
    fallback = "dynamodb" if facts.names_dynamodb(function) else None
    source = facts.handler_code(function)
    clients = source.clients(environ) if source is not None else []
    candidates = []
    for client in clients or [None]:
        settings = settings_for(client, environ, path=source.path if source else "", fallback_service=fallback)
        if settings is None or not settings.explicit:
            continue  # unresolvable, or nothing set explicitly: botocore's defaults are not this rule's concern
        case = worst_case(settings)
        if case is not None and case.total > timeout:
            candidates.append((case.total, client, settings, case))
    if not candidates:
        return None
    _, client, settings, case = max(candidates, key=lambda c: c[0])
    from_env = settings.attempts_source.startswith("AWS_") or settings.mode_source == "AWS_RETRY_MODE"
    at = function.location
    if from_env and env_line:
        at = type(at)(at.file, env_line)
    fix, shared_fix = _rty406_fix(model, function, settings, client, case, timeout)
    return CLIENT_RETRY_BUDGET_EXCEEDS_TIMEOUT.finding(
        function,
        at=at,
        message=_rty406_message(function, source, client, settings, case, timeout, timeout_is_default),
        fix=fix,
        shared_fix=shared_fix,
    )


def _rty406_environment(function: Resource) -> tuple[dict | None, int]:
    """The function's environment variables (str values; UNKNOWN for unknown ones), None when unknown."""
    blocks = function.blocks("environment")
    if blocks is None:
        return None, 0
    if not blocks:
        return {}, 0
    view = blocks[0]
    variables = view.value("variables")
    if variables is MISSING or variables is None:
        return {}, view.line
    if not isinstance(variables, dict):
        return None, view.line
    environ: dict[str, object] = {}
    for key, value in variables.items():
        if isinstance(value, bool):
            environ[str(key)] = "true" if value else "false"
        elif isinstance(value, int | float):
            environ[str(key)] = str(int(value)) if float(value).is_integer() else str(value)
        elif isinstance(value, str):
            environ[str(key)] = str(value)
        else:
            environ[str(key)] = UNKNOWN
    return environ, view.line


def _rty406_message(function, source, client, settings, case, timeout, timeout_is_default) -> str:
    where = ""
    if client is not None and source is not None:
        where = f"{client.service or 'SDK'} client at {source.path}:{client.line}: "
    mode = f"botocore {case.mode} mode"
    if case.mode_is_default:
        mode += " (botocore's default)"
    elif settings.mode_source == "AWS_RETRY_MODE":
        mode += " (AWS_RETRY_MODE)"
    if case.attempts_are_default:
        service = case.service or "this client"
        attempts = f"{case.attempts} attempts (botocore's default for {service})"
    else:
        attempts = settings.attempts_source
    if case.mode == "adaptive":
        mode += ", back-off only (rate-limit waits not counted)"
    limit = f"timeout {_rty406_num(timeout)} s" + (" (the default: timeout is not set)" if timeout_is_default else "")
    return f"{where}{mode}, {attempts}: {case.arithmetic()} > {limit}"


def _rty406_fix(model, function, settings, client, case, timeout) -> tuple[str, str]:
    """The fix, and (when it names the module block of the function's instance) the fix for every instance."""
    import dataclasses
    import math

    from ddblint.model.sdk_retries import attempts_that_fit, worst_case

    advice = []
    if case.mode == "legacy" and settings.total_max_attempts is None:
        fits = attempts_that_fit(dataclasses.replace(settings, total_max_attempts=case.attempts), timeout)
    else:
        fits = attempts_that_fit(settings, timeout)
    if fits is not None:
        if settings.attempts_source.startswith("retries max_attempts"):
            advice.append(f"lower retries max_attempts to {fits - 1}")
        elif settings.attempts_source.startswith("total_max_attempts"):
            advice.append(f"lower total_max_attempts to {fits}")
        elif client is not None and client.config_line:
            advice.append(f'set retries={{"total_max_attempts": {fits}}} in the Config')
        else:
            advice.append(f"set AWS_MAX_ATTEMPTS to {fits} in environment.variables")
    if case.read_timeout is not None or case.connect_timeout is not None:
        one = worst_case(settings, 1)
        if fits is None or (one is not None and one.socket > 0):
            advice.append("lower read_timeout/connect_timeout")
    needed = math.ceil(case.total)
    shared = list(advice)
    if needed <= LAMBDA_MAX_TIMEOUT:
        raised = facts_of(model).module_interface.setting_fix(
            function, "timeout", str(needed), f"raise timeout to at least {needed}"
        )
        advice.append(raised.text)
        shared.append(raised.shared or raised.text)
    tail = " so the worst case fits in the function timeout"
    text = ", or ".join(advice) + tail
    every = ", or ".join(shared) + tail
    return text, every if every != text else ""


def _rty406_num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

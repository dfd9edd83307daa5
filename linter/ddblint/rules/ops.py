"""OPS6xx: table and operations (PITR, autoscaling, iterator-age alarms, key schema, log retention)."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.findings import Finding, Location, Severity
from ddblint.model import MISSING, Model, Resource
from ddblint.model.facts import facts_of
from ddblint.model.handler_code import KEY_METHODS, KeyCall
from ddblint.model.policy import Tri
from ddblint.model.values import UNKNOWN, ref_of
from ddblint.rules import Options, Rule

TABLE_DOC = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table"

TABLE_NO_PITR = Rule(
    id="OPS601",
    name="table-no-pitr",
    severity=Severity.WARNING,
    summary="a DynamoDB table has point-in-time recovery off",
    source_urls=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html",
        TABLE_DOC,
    ),
    tags=("dynamodb", "backup"),
)
PROVISIONED_WITHOUT_AUTOSCALING = Rule(
    id="OPS602",
    name="provisioned-without-autoscaling",
    severity=Severity.WARNING,
    summary="a provisioned DynamoDB table or index has no autoscaling target for its capacity",
    source_urls=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/appautoscaling_target",
        TABLE_DOC,
    ),
    tags=("dynamodb", "capacity"),
)
STREAM_NO_ITERATOR_AGE_ALARM = Rule(
    id="OPS603",
    name="stream-no-iterator-age-alarm",
    severity=Severity.WARNING,
    summary="a stream consumer function has no IteratorAge alarm",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_metric_alarm",
    ),
    tags=("lambda", "streams", "monitoring"),
)
LOG_RETENTION_MISSING = Rule(
    id="OPS605",
    name="log-retention-missing",
    severity=Severity.INFO,
    summary="a function's log group has no retention (logs are kept forever)",
    source_urls=(
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group",
    ),
    tags=("lambda", "logs", "cost"),
)


def _existing(model: Model, type_: str) -> list[Resource]:
    """Resources that certainly exist as written (an unknown count/for_each may mean zero or several)."""
    return [r for r in model.resources(type_) if r.key is not UNKNOWN]


# -- OPS601 -----------------------------------------------------------------------------------------------
@TABLE_NO_PITR.check
def table_no_pitr(model: Model, options: Options) -> Iterator[Finding]:
    for table in _existing(model, "aws_dynamodb_table"):
        blocks = table.blocks("point_in_time_recovery")
        if blocks is None:
            continue
        enabled = blocks[0].value("enabled") if blocks else MISSING
        if enabled is True or (enabled is not MISSING and enabled is not False):
            continue  # on, or unknown
        at = blocks[0].location_of("enabled") if blocks else table.location
        fix = facts_of(model).module_interface.setting_fix(
            table,
            "point_in_time_recovery.enabled",
            "true",
            "add point_in_time_recovery { enabled = true } (restores to any second of the last 35 days)",
        )
        yield TABLE_NO_PITR.finding(
            table,
            at=at,
            message=(
                f"{table.address} has point-in-time recovery off: a bad deploy or a faulty write loop can only be "
                "undone from on-demand backups, if any exist"
            ),
            fix=fix.text,
            shared_fix=fix.shared,
        )


# -- OPS602 -----------------------------------------------------------------------------------------------
def _dimension_targets(model: Model) -> tuple[set[tuple[str, str]], bool]:
    """(resource_id, scalable_dimension) pairs of the DynamoDB autoscaling targets, and whether some are unknown."""
    known: set[tuple[str, str]] = set()
    unknown = False
    for target in model.resources("aws_appautoscaling_target"):
        namespace = target.value("service_namespace")
        if isinstance(namespace, str) and namespace != "dynamodb":
            continue
        resource_id = target.value("resource_id")
        dimension = target.value("scalable_dimension")
        if target.key is UNKNOWN or not isinstance(resource_id, str) or not isinstance(dimension, str):
            unknown = True
            continue
        known.add((str(resource_id), str(dimension)))
    return known, unknown


@PROVISIONED_WITHOUT_AUTOSCALING.check
def provisioned_without_autoscaling(model: Model, options: Options) -> Iterator[Finding]:
    targets, unknown = _dimension_targets(model)
    if unknown:
        return  # a target we cannot read may cover any table
    for table in _existing(model, "aws_dynamodb_table"):
        mode = table.value("billing_mode")
        if mode is MISSING:
            mode = "PROVISIONED"  # the provider's default
        if mode != "PROVISIONED":
            continue  # PAY_PER_REQUEST, or unknown
        name = table.value("name")
        if not isinstance(name, str):
            continue
        opaque = facts_of(model).opaque_inputs
        if opaque.mention(table.address) or name in opaque.strings:
            continue  # a module we cannot read is given this table: it may scale it
        wanted = [
            (f"table/{name}", "dynamodb:table:ReadCapacityUnits", "table read"),
            (f"table/{name}", "dynamodb:table:WriteCapacityUnits", "table write"),
        ]
        indexes = table.blocks("global_secondary_index")
        if indexes is None:
            continue
        for index in indexes:
            index_name = index.value("name")
            if not isinstance(index_name, str):
                continue
            wanted += [
                (f"table/{name}/index/{index_name}", "dynamodb:index:ReadCapacityUnits", f"index {index_name} read"),
                (f"table/{name}/index/{index_name}", "dynamodb:index:WriteCapacityUnits", f"index {index_name} write"),
            ]
        missing = [label for resource_id, dimension, label in wanted if (resource_id, dimension) not in targets]
        if not missing:
            continue
        yield PROVISIONED_WITHOUT_AUTOSCALING.finding(
            table,
            at=table.location_of("billing_mode"),
            message=(
                f"{table.address} uses PROVISIONED capacity"
                + (" (the provider's default billing_mode)" if not table.has("billing_mode") else "")
                + f" with no aws_appautoscaling_target for its {', '.join(missing)} capacity: a traffic peak above "
                "the fixed capacity is throttled (ProvisionedThroughputExceededException)"
            ),
            fix=(
                f'add aws_appautoscaling_target resources with service_namespace = "dynamodb", resource_id = '
                f'"table/{name}" and scalable_dimension = "dynamodb:table:ReadCapacityUnits" (and Write, and per '
                'index), each with a target-tracking aws_appautoscaling_policy; or set billing_mode = "PAY_PER_REQUEST"'
            ),
        )


# -- OPS603 -----------------------------------------------------------------------------------------------
def _names_function(model: Model, value: object, function: Resource) -> Tri:
    ref = ref_of(value)
    if ref is not None:
        if ref.address == function.address:
            return Tri.YES
        target = model.referenced(ref)
        return Tri.MAYBE if target is None or target.mode == "data" else Tri.NO
    name = function.value("function_name")
    if isinstance(value, str) and isinstance(name, str):
        return Tri.YES if value == name else Tri.NO
    return Tri.MAYBE


def _equals(value: object, expected: str) -> Tri:
    if isinstance(value, str):
        return Tri.YES if value == expected else Tri.NO
    return Tri.MAYBE


def _metric_matches(model: Model, view, function: Resource) -> Tri:
    """Is this metric (an alarm or a metric_query's metric block) Lambda's IteratorAge for the function?"""
    name = _equals(view.value("metric_name"), "IteratorAge")
    namespace = _equals(view.value("namespace"), "AWS/Lambda")
    dimensions = view.value("dimensions")
    if dimensions is MISSING or dimensions is None:
        dimension = Tri.NO
    elif isinstance(dimensions, dict):
        dimension = (
            _names_function(model, dimensions["FunctionName"], function) if "FunctionName" in dimensions else Tri.NO
        )
    else:
        dimension = Tri.MAYBE
    return min(name, namespace, dimension)


def _alarm_covers(model: Model, alarm: Resource, function: Resource) -> Tri:
    result = _metric_matches(model, alarm, function) if alarm.has("metric_name") else Tri.NO
    queries = alarm.blocks("metric_query")
    if queries is None:
        return Tri.MAYBE
    for query in queries:
        metrics = query.blocks("metric")
        if metrics is None:
            return Tri.MAYBE
        for metric in metrics:
            result = max(result, _metric_matches(model, metric, function))
    if alarm.key is UNKNOWN:
        result = min(result, Tri.MAYBE)
    return result


@STREAM_NO_ITERATOR_AGE_ALARM.check
def stream_no_iterator_age_alarm(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    seen: set[str] = set()
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        if not facts.event_source(mapping).is_stream:
            continue
        function = facts.mapping_function(mapping)
        if function is None or function.key is UNKNOWN or function.address in seen:
            continue
        seen.add(function.address)
        opaque = facts_of(model).opaque_inputs
        if opaque.mention(function.address) or function.value("function_name") in opaque.strings:
            continue  # a module we cannot read is given this function: it may define the alarm
        alarms = model.resources("aws_cloudwatch_metric_alarm")
        if max((_alarm_covers(model, a, function) for a in alarms), default=Tri.NO) is not Tri.NO:
            continue
        name = function.value("function_name")
        interface = facts.module_interface
        reference = interface.output_exposing(function, "function_name")
        shown = f'"{name}"' if isinstance(name, str) else reference or "<function name>"
        alarm = (
            'add an aws_cloudwatch_metric_alarm with namespace = "AWS/Lambda", metric_name = "IteratorAge", '
            'statistic = "Maximum", dimensions = { FunctionName = %s } and a threshold such as 60000 ms'
        )
        unexposed = shared_unexposed = ""
        call = interface.call_of(function)
        if shown == "<function name>" and call is not None:
            remedy = (
                "add one to the module, or the alarm inside it"
                if interface.editable(function.instance)
                else "ask its maintainer for one"
            )
            unexposed = f"; {call.label} exposes no output with the function name: {remedy}"
            shared_unexposed = f"; the module exposes no output with the function name: {remedy}"
        yield STREAM_NO_ITERATOR_AGE_ALARM.finding(
            function,
            related=(mapping.location,),
            message=(
                f"{function.address} consumes a stream through {mapping.address} and no aws_cloudwatch_metric_alarm "
                "watches its IteratorAge: a consumer stuck on a poison batch or falling behind goes unnoticed until "
                f"records expire ({facts.event_source(mapping).record_expiry})"
            ),
            fix=alarm % shown + unexposed,
            shared_fix=alarm % ("the function name of each instance" if isinstance(name, str) else shown)
            + shared_unexposed,
        )


# -- OPS605 -----------------------------------------------------------------------------------------------
def _log_group_match(model: Model, group: Resource, expected: object) -> Tri:
    ref = ref_of(expected)
    if ref is not None:
        return Tri.YES if ref.address == group.address else Tri.NO
    name = group.value("name")
    if name is MISSING:
        prefix = group.value("name_prefix")
        if isinstance(prefix, str) and isinstance(expected, str):
            return Tri.MAYBE if expected.startswith(prefix) else Tri.NO
        return Tri.MAYBE
    if isinstance(name, str) and isinstance(expected, str):
        result = Tri.YES if name == expected else Tri.NO
    else:
        result = Tri.MAYBE
    if group.key is UNKNOWN:
        result = min(result, Tri.MAYBE)
    return result


@LOG_RETENTION_MISSING.check
def log_retention_missing(model: Model, options: Options) -> Iterator[Finding]:
    for function in _existing(model, "aws_lambda_function"):
        name = function.value("function_name")
        configs = function.blocks("logging_config")
        if configs is None:
            continue
        if configs and configs[0].has("log_group"):
            expected: object = configs[0].value("log_group")  # the group it names, whatever the function's name
            if not isinstance(expected, str) and ref_of(expected) is None:
                continue
        elif isinstance(name, str):
            expected = f"/aws/lambda/{name}"
        else:
            continue
        opaque = facts_of(model).opaque_inputs
        if opaque.mention(function.address) or name in opaque.strings or expected in opaque.strings:
            continue  # a module we cannot read is given this function: it may create the log group
        groups = model.resources("aws_cloudwatch_log_group")
        matches = [(g, _log_group_match(model, g, expected)) for g in groups]
        if any(m is Tri.MAYBE for _, m in matches):
            continue
        found = [g for g, m in matches if m is Tri.YES]
        shown = expected if isinstance(expected, str) else str(expected)
        if not found:
            # what is written for every instance of the function's line: its name comes from each instance
            every = "/aws/lambda/<function name>" if configs == [] or not configs[0].has("log_group") else "<log group>"
            yield LOG_RETENTION_MISSING.finding(
                function,
                message=(
                    f"no aws_cloudwatch_log_group named {shown} is defined: Lambda creates it on the first invocation "
                    f"with retention 'Never expire', so {function.address}'s logs are stored (and billed) forever"
                ),
                fix=(
                    f'add resource "aws_cloudwatch_log_group" with name = "{shown}" and retention_in_days = 30 '
                    "(or what your retention policy requires)"
                ),
                shared_message=(
                    f"no aws_cloudwatch_log_group named {every} of each instance is defined: Lambda creates it on "
                    f"the first invocation with retention 'Never expire', so {function.address}'s logs are stored "
                    "(and billed) forever"
                ),
                shared_fix=(
                    f'add resource "aws_cloudwatch_log_group" with name = "{every}" for each instance and '
                    "retention_in_days = 30 (or what your retention policy requires)"
                ),
            )
            continue
        for group in found:
            retention = group.value("retention_in_days")
            if retention is not MISSING and retention != 0:
                continue  # a retention, or unknown
            fix = facts_of(model).module_interface.setting_fix(
                group,
                "retention_in_days",
                "30",
                f"set retention_in_days = 30 on {group.address} (or what your retention policy requires)",
            )
            yield LOG_RETENTION_MISSING.finding(
                function,
                related=(group.location_of("retention_in_days"),),
                message=(
                    f"{group.address} ({shown}) has no retention_in_days: {function.address}'s logs never expire "
                    "and are billed forever"
                ),
                fix=fix.text,
                shared_message=(
                    f"{group.address} has no retention_in_days: {function.address}'s logs never expire and are "
                    "billed forever"
                ),
                shared_fix=fix.shared,
            )


# -- OPS604 -----------------------------------------------------------------------------------------------
KEY_SCHEMA_MISMATCH = Rule(
    id="OPS604",
    name="key-schema-mismatch",
    severity=Severity.ERROR,
    summary="the handler's DynamoDB key attribute names differ from the table's key schema",
    source_urls=(
        "https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/dynamodb/table/get_item.html",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html#HowItWorks.CoreComponents.PrimaryKey",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html",
        TABLE_DOC,
    ),
    tags=("dynamodb", "handler", "correctness"),
)

# The ValidationException message DynamoDB returns for each kind of mismatch.
ERRORS = {
    "put_item": "One or more parameter values were invalid: Missing the key ... in the item",
    "query": "Query condition missed key schema element",
}


def _key_schema(table: Resource, index_name: str | None) -> tuple[str, str | None] | None:
    """(hash key, range key) of the table or one of its indexes, None when unknown."""
    owner = table
    if index_name is not None:
        found = None
        for kind in ("global_secondary_index", "local_secondary_index"):
            for view in table.blocks(kind) or []:
                if view.value("name") == index_name:
                    found = view
        if found is None:
            return None
        owner = found
    hash_key = owner.value("hash_key")
    if index_name is not None and owner is not table and not owner.has("hash_key"):
        hash_key = table.value("hash_key")  # a local secondary index shares the table's hash key
    range_key = owner.value("range_key")
    if not isinstance(hash_key, str):
        return None
    if range_key is MISSING or range_key is None:
        return str(hash_key), None
    if not isinstance(range_key, str):
        return None
    return str(hash_key), str(range_key)


def _mismatch(call: KeyCall, schema: tuple[str, str | None]) -> str | None:
    """A description of how the call's key names differ from the schema, None when they match or are unknown."""
    hash_key, range_key = schema
    expected = {hash_key} | ({range_key} if range_key else set())
    shown_schema = f"hash_key {hash_key!r}" + (f", range_key {range_key!r}" if range_key else "")
    names = call.names
    if names is None:
        return None
    if call.method in KEY_METHODS:
        if names == expected:
            return None
        return f"{call.method}(Key=...) uses {sorted(names)} but the key schema is {shown_schema}"
    if call.method == "put_item":
        if expected <= names:
            return None
        return f"put_item(Item=...) lacks {sorted(expected - names)} of the key schema ({shown_schema})"
    if call.method == "query":
        if names <= expected and hash_key in names:
            return None
        return f"query(KeyConditionExpression=...) uses {sorted(names)} but the key schema is {shown_schema}"
    return None


@KEY_SCHEMA_MISMATCH.check
def key_schema_mismatch(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    for function in _existing(model, "aws_lambda_function"):
        tables = facts.environment_tables(function)
        if not tables:
            continue
        code = facts.handler_code(function)
        if code is None:
            continue
        for call in code.key_calls:
            table = tables.get(call.table_variable)
            if table is None or call.index is UNKNOWN:
                continue
            index = call.index if isinstance(call.index, str) else None
            schema = _key_schema(table, index)
            if schema is None:
                continue
            problem = _mismatch(call, schema)
            if problem is None:
                continue
            where = f"{code.path}:{call.line}"
            target = table.address + (f" index {index!r}" if index is not None else "")
            yield KEY_SCHEMA_MISMATCH.finding(
                function,
                at=function.location_of("handler"),
                related=(Location(code.path, call.line),),
                message=(
                    f"{where}: {problem} of {target}: DynamoDB rejects the call with ValidationException "
                    f'("{ERRORS.get(call.method, "The provided key element does not match the schema")}")'
                ),
                fix=f"use the attribute names of {target}'s key schema in the handler, or change the table's keys",
            )

"""Which IAM actions an AWS SDK call needs, offline, from the AWS data that ships with ddblint's dependencies.

Sources, in the order they are consulted:

- **Operation names** come from botocore's service models (`botocore/data/<service>/<version>/service-2.json`):
  a boto3 client method is the operation name through botocore's own `xform_name` (`update_item` ->
  `UpdateItem`), a JavaScript SDK v3 command is the operation name plus `Command` (`UpdateItemCommand`).
  boto3 resource methods (`Table.put_item`, `Object.get`, `Queue.send_messages`) come from boto3's resource
  models (`boto3/data/<service>/<version>/resources-1.json`). Models load lazily, once per service.
- **Actions and resource types** come from parliament's `iam_definition.json` (AWS's Service Authorization
  Reference as data): an operation's action has the operation's name unless AWS documents otherwise, and a call
  needs it only on a resource type the action accepts. An action parliament does not know gives nothing: never a
  guess.
- **Documented exceptions**, where the action is not named like the operation:
  - DynamoDB transactions: there is no `TransactWriteItems` or `TransactGetItems` action. "Permissions for Put,
    Update, Delete, and Get actions are governed by the permissions used for the underlying PutItem, UpdateItem,
    DeleteItem, and GetItem operations. For the ConditionCheck action, you can use the
    dynamodb:ConditionCheckItem permission" (Amazon DynamoDB Developer Guide, "Using IAM with DynamoDB
    transactions", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html):
    `transaction_needs`.
  - DynamoDB PartiQL: `ExecuteStatement` needs `dynamodb:PartiQLSelect`, `PartiQLInsert`, `PartiQLUpdate` or
    `PartiQLDelete` by the statement's verb, on the table (or `table/<t>/index/<i>` for a select on an index)
    ("IAM security policies with PartiQL for DynamoDB",
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html): `statement_needs`.
  - SQS batch calls are authorised by the single-message action: `SendMessageBatch` by `sqs:SendMessage`,
    `DeleteMessageBatch` by `sqs:DeleteMessage`, `ChangeMessageVisibilityBatch` by `sqs:ChangeMessageVisibility`
    (Amazon SQS API Reference of each batch action; the SQS actions table of the Service Authorization
    Reference lists no batch actions). SNS `PublishBatch` is authorised by `sns:Publish` (Amazon SNS API
    Reference, PublishBatch).
  - S3 operations authorised by another action (Amazon S3 User Guide, "Required permissions for Amazon S3 API
    operations", https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html):
    `HeadObject` by `s3:GetObject`, `HeadBucket`/`ListObjects`/`ListObjectsV2` by `s3:ListBucket`,
    `ListObjectVersions` by `s3:ListBucketVersions`, `DeleteObjects` by `s3:DeleteObject`, `ListParts` by
    `s3:ListMultipartUploadParts`, `ListMultipartUploads` by `s3:ListBucketMultipartUploads`, and the multipart
    upload steps `CreateMultipartUpload`, `UploadPart` and `CompleteMultipartUpload` by `s3:PutObject`
    ("Multipart upload API and permissions",
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions).
  - boto3's managed transfers (`boto3/s3/inject.py`): `upload_file`/`upload_fileobj` run `PutObject` or a
    multipart upload, both authorised by `s3:PutObject`; `download_file`/`download_fileobj` run `HeadObject`
    and `GetObject`, both authorised by `s3:GetObject`. A failed multipart upload is aborted with
    `AbortMultipartUpload` (`s3:AbortMultipartUpload`), which only cleans up after a failure and is not needed
    for the call to succeed, so it is not listed. `Table.batch_writer()` (`boto3/dynamodb/table.py`) sends
    `BatchWriteItem`. A paginator (`get_paginator("query")`) runs the paginated operation, a waiter
    (`get_waiter("table_exists")`) the operation its botocore waiter model polls.
  - S3 `CopyObject` (and `UploadPartCopy`, and boto3's managed `copy`) needs `s3:GetObject` on the source object
    and `s3:PutObject` on the destination (Amazon S3 API Reference, CopyObject, "Permissions"): `copy_needs`.
  - Lambda's `Invoke` (and `InvokeWithResponseStream`) is authorised by `lambda:InvokeFunction` (AWS Lambda API
    Reference, Invoke).
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterable, Sequence

from ddblint.model import boto3_resources
from ddblint.model.code_calls import CallTarget, TargetName

# Operations authorised by an action of another name (see the module docstring for the AWS source of each).
OPERATION_ACTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sqs", "SendMessageBatch"): ("SendMessage",),
    ("sqs", "DeleteMessageBatch"): ("DeleteMessage",),
    ("sqs", "ChangeMessageVisibilityBatch"): ("ChangeMessageVisibility",),
    ("sns", "PublishBatch"): ("Publish",),
    ("s3", "HeadObject"): ("GetObject",),
    ("s3", "HeadBucket"): ("ListBucket",),
    ("s3", "ListObjects"): ("ListBucket",),
    ("s3", "ListObjectsV2"): ("ListBucket",),
    ("s3", "ListObjectVersions"): ("ListBucketVersions",),
    ("s3", "DeleteObjects"): ("DeleteObject",),
    ("s3", "ListParts"): ("ListMultipartUploadParts",),
    ("s3", "ListMultipartUploads"): ("ListBucketMultipartUploads",),
    ("s3", "CreateMultipartUpload"): ("PutObject",),
    ("s3", "UploadPart"): ("PutObject",),
    ("s3", "CompleteMultipartUpload"): ("PutObject",),
    ("lambda", "Invoke"): ("InvokeFunction",),
    ("lambda", "InvokeWithResponseStream"): ("InvokeFunction",),
}

# Methods boto3 adds in code rather than in its models, with the operation whose permission they need (see the
# module docstring): S3's managed transfers, on the client and on the resources `boto3/s3/inject.py` gives them,
# and DynamoDB's `Table.batch_writer` (`boto3/dynamodb/table.py`).
TRANSFER_OPERATIONS = {
    "upload_file": "PutObject",
    "upload_fileobj": "PutObject",
    "download_file": "GetObject",
    "download_fileobj": "GetObject",
    "copy": "CopyObject",
}
BATCH_WRITER_METHOD = ("dynamodb", "Table", "batch_writer")  # sends BatchWriteItem


# The kinds of a DynamoDB transaction's items, with the action each needs on its table (transaction_needs).
TRANSACTION_ITEM_ACTIONS: dict[str, dict[str, str]] = {
    "TransactWriteItems": {
        "Put": "dynamodb:PutItem",
        "Update": "dynamodb:UpdateItem",
        "Delete": "dynamodb:DeleteItem",
        "ConditionCheck": "dynamodb:ConditionCheckItem",
    },
    "TransactGetItems": {"Get": "dynamodb:GetItem"},
}

# The verb of a PartiQL statement and the action it needs (statement_needs).
STATEMENT_ACTIONS = {
    "select": "dynamodb:PartiQLSelect",
    "insert": "dynamodb:PartiQLInsert",
    "update": "dynamodb:PartiQLUpdate",
    "delete": "dynamodb:PartiQLDelete",
}

# The request parameter that names a call's resource, per IAM service prefix and resource type, and the one that
# qualifies it (the index a query reads, the object key), from the services' API references. A name parameter
# may hold a name, a URL (`QueueUrl`) or an ARN; the permission facts resolve each to the resource.
TARGET_PARAMETERS: dict[tuple[str, str], tuple[tuple[str, ...], str | None]] = {
    ("dynamodb", "table"): (("TableName",), None),
    ("dynamodb", "index"): (("TableName",), "IndexName"),
    ("sqs", "queue"): (("QueueUrl", "QueueName"), None),
    ("sns", "topic"): (("TopicArn", "TargetArn"), None),
    ("s3", "bucket"): (("Bucket",), None),
    ("s3", "object"): (("Bucket",), "Key"),
    ("kinesis", "stream"): (("StreamARN", "StreamName"), None),
    ("events", "event-bus"): (("EventBusName",), None),  # PutEvents: in each of Entries; absent: "default"
    ("lambda", "function"): (("FunctionName",), None),
    ("states", "statemachine"): (("stateMachineArn",), None),
}

# The target of an action that supports no resource-level permissions: its statement must name `*`.
ANY_RESOURCE = CallTarget(resource_type="*", name=TargetName(literal="*"))


# -- AWS data, loaded lazily ---------------------------------------------------------------------------------
@functools.cache
def _botocore_loader():
    from botocore.loaders import Loader

    return Loader()


@functools.cache
def _service_model(service: str) -> dict | None:
    """botocore's `service-2` model of a boto3 client name, None for a name botocore does not know."""
    if not service or not re.fullmatch(r"[a-z0-9-]+", service):
        return None
    try:
        return _botocore_loader().load_service_model(service, "service-2")
    except Exception:  # botocore raises UnknownServiceError / DataNotFoundError for names it does not know
        return None


@functools.cache
def _methods(service: str) -> dict[str, str]:
    """boto3 client method name -> operation name, by botocore's `xform_name` (what boto3 itself does)."""
    from botocore import xform_name

    model = _service_model(service)
    return {xform_name(operation): operation for operation in model["operations"]} if model else {}


@functools.cache
def _iam_definition() -> dict[str, dict[str, tuple[str, ...]]]:
    """IAM prefix -> {action name: the resource types it accepts}, from parliament's IAM definition."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import parliament

    services: dict[str, dict[str, tuple[str, ...]]] = {}
    for service in parliament.iam_definition:
        actions = services.setdefault(service["prefix"], {})
        for privilege in service["privileges"]:
            types = (r["resource_type"].rstrip("*") for r in privilege["resource_types"])
            actions[privilege["privilege"]] = tuple(t for t in types if t)
    return services


# -- names -------------------------------------------------------------------------------------------------
@functools.cache
def service_for_client(name: str) -> str | None:
    """The IAM service prefix of a boto3 client name (`stepfunctions` -> `states`, `cloudwatch` ->
    `cloudwatch`), from botocore's metadata (`signingName`, `endpointPrefix`) checked against the IAM
    definition; None for a name botocore does not know."""
    model = _service_model(name)
    if model is None:
        return None
    metadata = model.get("metadata", {})
    prefixes = _iam_definition()
    for candidate in (metadata.get("signingName"), metadata.get("endpointPrefix"), name):
        if candidate in prefixes:
            return candidate
    return None


def client_methods(service: str) -> frozenset[str]:
    """The boto3 client method names of a service's operations (`put_item`, `query`, ...)."""
    return frozenset(_methods(service))


def operation_for_method(service: str, method: str) -> str | None:
    """The API operation a boto3 client method of `service` (a boto3 client name) calls: `update_item` ->
    `UpdateItem`, `upload_file` -> `PutObject`; None when the method is not an operation of the service."""
    return _methods(service).get(method) or _injected_operation(service, method, None)


@functools.cache
def operation_for_waiter(service: str, waiter: str) -> str | None:
    """The operation a boto3 waiter polls, from botocore's waiter model (`waiters-2`): ("dynamodb",
    "table_exists") -> `DescribeTable`; None for a waiter the service does not have."""
    if _service_model(service) is None:
        return None
    from botocore import xform_name

    try:
        waiters = _botocore_loader().load_service_model(service, "waiters-2")["waiters"]
    except Exception:  # no waiter model for this service
        return None
    return next((w["operation"] for name, w in waiters.items() if xform_name(name) == waiter), None)


def operation_for_resource_method(service: str, resource: str, method: str) -> str | None:
    """The API operation a boto3 resource method calls: ("dynamodb", "Table", "put_item") -> `PutItem`,
    ("s3", "Object", "get") -> `GetObject`, ("sqs", "Queue", "send_messages") -> `SendMessageBatch`; the
    service resource (`boto3.resource("dynamodb").batch_write_item`) is `resource=""`. Managed transfers and
    `batch_writer` count as well (`Bucket.upload_file` -> `PutObject`)."""
    if _service_model(service) is None:
        return None
    return boto3_resources.action_operation(service, resource, method) or _injected_operation(service, method, resource)


def _injected_operation(service: str, method: str, resource: str | None) -> str | None:
    """The operation of a method boto3 adds in code to a client (`resource=None`) or resource."""
    if (service, resource, method) == BATCH_WRITER_METHOD:
        return "BatchWriteItem"
    operation = TRANSFER_OPERATIONS.get(method) if service == "s3" else None
    if operation is None or boto3_resources.injected_parameters(service, method, resource) is None:
        return None
    return operation


def operation_for_command(service: str, command: str) -> str | None:
    """The API operation of a JavaScript SDK command or method of `service` (the botocore service name of the
    client package: `@aws-sdk/client-dynamodb` -> "dynamodb"): v3 commands (`UpdateItemCommand` ->
    `UpdateItem`), v2 client methods (`updateItem`), and the DynamoDB document client's commands and methods
    (`@aws-sdk/lib-dynamodb` `PutCommand` -> `PutItem`, `BatchGetCommand` -> `BatchGetItem`,
    `TransactWriteCommand` -> `TransactWriteItems`; v2 `DocumentClient.put`), which name the operation without
    its `Item`/`Items` suffix. None when it is not an operation of the service."""
    model = _service_model(service)
    if model is None or not command:
        return None
    name = command.removesuffix("Command") if command != "Command" else command
    name = name[:1].upper() + name[1:]
    operations = model["operations"]
    candidates = [name]
    if service == "dynamodb":  # the document client drops the operation's Item/Items suffix
        candidates += [name + "Item", name + "Items"]
    return next((c for c in candidates if c in operations), None)


@functools.cache
def resource_types(service: str, operation: str) -> tuple[str, ...]:
    """The resource types (Service Authorization Reference names) the action(s) of an operation accept:
    ("dynamodb", "Query") -> ("table", "index"), ("s3", "HeadObject") -> ("object",); () when the action
    supports no resource-level permissions or is not known."""
    types: list[str] = []
    for action in _action_names(service, operation):
        for resource_type in _iam_definition().get(service, {}).get(action, ()):
            if resource_type not in types:
                types.append(resource_type)
    return tuple(types)


@functools.cache
def request_target(service: str, operation: str, present: frozenset[str]) -> tuple[str, str | None, str | None]:
    """How a call's request names its target: (resource type, name parameter, qualifier parameter), given the
    request parameters the call sets (a frozenset: answers are cached). An index query (`IndexName` set on
    `Query`/`Scan`) targets the `index`; otherwise the first resource type the operation's action accepts whose
    name parameter is set, else the first it accepts with a known name parameter (the name parameter is then
    None: the target cannot be named). ("*", None, None) for an operation whose action supports no
    resource-level permissions."""
    types = resource_types(service, operation)
    if not types:
        return ("*", None, None)
    accepted = [t for t in types if (service, t) in TARGET_PARAMETERS]
    if not accepted:  # a resource type whose request parameter is not known here: the target cannot be named
        return (types[0], None, None)
    if "index" in accepted and "IndexName" in present:
        return ("index", "TableName" if "TableName" in present else None, "IndexName")
    for resource_type in accepted:
        if resource_type == "index":
            continue
        names, qualifier = TARGET_PARAMETERS[(service, resource_type)]
        for name in names:
            if name in present:
                return (resource_type, name, qualifier)
    first = next((t for t in accepted if t != "index"), accepted[0])
    return (first, None, TARGET_PARAMETERS[(service, first)][1])


def _action_names(service: str, operation: str) -> tuple[str, ...]:
    return OPERATION_ACTIONS.get((service, operation), (operation,))


# -- needs -------------------------------------------------------------------------------------------------
def needs(service: str, operation: str, target: CallTarget) -> tuple[tuple[str, CallTarget], ...]:
    """The IAM actions an ordinary call of `operation` on `target` needs, each with the target it needs it on.

    `service` is the IAM prefix (`service_for_client`). An action that accepts the target's resource type is
    needed on the target; an action that supports no resource-level permissions is needed on `*`
    (`ANY_RESOURCE`). Nothing for an action parliament does not know, for a target type the action does not
    accept, and for transactions and PartiQL statements (`transaction_needs`, `statement_needs`)."""
    actions = _iam_definition().get(service)
    if actions is None:
        return ()
    result: list[tuple[str, CallTarget]] = []
    for name in _action_names(service, operation):
        accepted = actions.get(name)
        if accepted is None:
            continue
        if not accepted:
            result.append((f"{service}:{name}", ANY_RESOURCE))
        elif target.resource_type in accepted:
            result.append((f"{service}:{name}", target))
    return tuple(result)


def copy_needs(source: CallTarget, destination: CallTarget) -> tuple[tuple[str, CallTarget], ...]:
    """What an S3 copy needs: `s3:GetObject` on the source object, `s3:PutObject` on the destination object."""
    return needs("s3", "GetObject", source) + needs("s3", "PutObject", destination)


def transaction_needs(operation: str, items: Iterable[tuple[str, CallTarget]]) -> tuple[tuple[str, CallTarget], ...]:
    """What a DynamoDB transaction needs: for `TransactWriteItems` each `Put`/`Update`/`Delete`/`ConditionCheck`
    item needs `dynamodb:PutItem`/`UpdateItem`/`DeleteItem`/`ConditionCheckItem` on its table, for
    `TransactGetItems` each `Get` item `dynamodb:GetItem`; in item order, without repeats. An item kind the
    operation does not have gives nothing."""
    kinds = TRANSACTION_ITEM_ACTIONS.get(operation, {})
    result: list[tuple[str, CallTarget]] = []
    for kind, target in items:
        action = kinds.get(kind)
        if action is not None and (action, target) not in result:
            result.append((action, target))
    return tuple(result)


# PartiQL tokens: a quoted identifier, a string or other literal, a word, or one other character.
_PARTIQL_TOKEN = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'|[A-Za-z0-9_.\-]+|\S')
_PARTIQL_KEYWORDS = frozenset({"from", "into", "set", "where", "value", "select", "insert", "update", "delete"})
_PARTIQL_NAME = re.compile(r'"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_.\-]*')


def statement_target(statement: str) -> tuple[str, str, str | None] | None:
    """(action, table, index) of a PartiQL statement for DynamoDB (`SELECT * FROM "orders"."by_day"` ->
    ("dynamodb:PartiQLSelect", "orders", "by_day")), read the way DynamoDB's PartiQL reference writes the four
    statements: `SELECT ... FROM table[.index]`, `INSERT INTO table VALUE ...`, `UPDATE table SET ...`,
    `DELETE FROM table WHERE ...`. None when the statement is not one of them."""
    tokens = _PARTIQL_TOKEN.findall(statement)
    if not tokens:
        return None
    verb = tokens[0].lower()
    action = STATEMENT_ACTIONS.get(verb)
    if action is None:
        return None
    keyword = {"select": "from", "delete": "from", "insert": "into"}.get(verb)
    position = 1
    if keyword is not None:
        lowered = [t.lower() for t in tokens]
        if keyword not in lowered[1:]:
            return None
        position = lowered.index(keyword, 1) + 1
    parts = _qualified_name(tokens[position:])
    if parts is None:
        return None
    table, index = parts
    if index is not None and verb != "select":
        return None
    return action, table, index


def _qualified_name(tokens: list[str]) -> tuple[str, str | None] | None:
    """`table`, `"table"` or `"table"."index"` at the start of `tokens` (unquoted dots join the words)."""
    if not tokens or not _PARTIQL_NAME.fullmatch(tokens[0]) or tokens[0].lower() in _PARTIQL_KEYWORDS:
        return None
    first = tokens[0]
    if first.startswith('"'):
        table = first[1:-1].replace('""', '"')
        if len(tokens) >= 3 and tokens[1] == "." and _PARTIQL_NAME.fullmatch(tokens[2]):
            index = tokens[2][1:-1].replace('""', '"') if tokens[2].startswith('"') else tokens[2]
            return table, index
        return table, None
    table, _, index = first.partition(".")
    return (table, index or None) if table else None


def statement_needs(statement: str, table: TargetName | None) -> tuple[tuple[str, CallTarget], ...]:
    """What `ExecuteStatement` of a PartiQL statement needs: the verb's PartiQL action on the table the
    statement names (`table` overrides it when the caller resolved the name, e.g. through an f-string with an
    environment variable), or on its index for a select from `"table"."index"`. Nothing when the statement's
    verb cannot be read."""
    parsed = statement_target(statement)
    if parsed is None:
        return ()
    action, written, index = parsed
    name = table or TargetName(literal=written)
    if index is not None:
        return ((action, CallTarget("index", name, index)),)
    return ((action, CallTarget("table", name)),)


# Stands for a part of a statement the code computes, while the statement's text is read.
_PART = "ddblint_part_{}"


def built_statement_needs(
    parts: Sequence[object],
    name_of: Callable[[object], TargetName | None],
    text_of: Callable[[object], str | None],
) -> tuple[tuple[str, CallTarget], ...]:
    """What `ExecuteStatement` needs for a statement the code builds (a Python f-string or concatenation, a
    JavaScript template literal) from `parts`: literal text (str) and values. The verb must be literal text; the
    table is named when it is exactly one value (`name_of` names it: `f'SELECT * FROM "{TABLE}"'`), unknown
    when a value is only part of it; an index that is one value is named when `text_of` gives its text."""
    text = ""
    values: dict[str, object] = {}
    for position, part in enumerate(parts):
        if isinstance(part, str):
            text += part
        else:
            placeholder = _PART.format(position)
            values[placeholder] = part
            text += placeholder
    parsed = statement_target(text)
    if parsed is None:
        return ()
    action, table, index = parsed
    if table in values:
        name = name_of(values[table])
    elif any(placeholder in table for placeholder in values):
        name = None
    else:
        name = TargetName(literal=table)
    if index is None:
        return ((action, CallTarget("table", name)),)
    if any(placeholder in index for placeholder in values):
        found = values.get(index)
        index = text_of(found) if found is not None else None
    return ((action, CallTarget("index", name, index)),)


__all__ = [
    "ANY_RESOURCE",
    "built_statement_needs",
    "client_methods",
    "copy_needs",
    "needs",
    "operation_for_command",
    "operation_for_method",
    "operation_for_resource_method",
    "operation_for_waiter",
    "request_target",
    "resource_types",
    "service_for_client",
    "statement_needs",
    "statement_target",
    "transaction_needs",
]

"""The AWS SDK calls a Python handler makes, read from its source with `ast` (never imported or executed).

`python_calls(package)` parses the handler file and every local module it imports (`import db`, `from . import
db`, `from lib.db import put_order`, resolved against the package root and the importing file's directory, read
through the package's `SourceReader`), and returns `HandlerCalls` (`ddblint.model.code_calls`). How modules,
scopes and values are read (environment variables, clients, resources, local functions and classes) is
`ddblint.model.python_source`.

A call is an SDK call when its callee is a bound method of an SDK object that names an operation of the service
model (`sdk_actions.operation_for_method` / `operation_for_resource_method`), `paginate` of a paginator or `wait`
of a waiter, or a presigned URL or POST (used later with the function's credentials).
Targets are read from the request parameters the service's API names (`sdk_actions.request_target`), filled
from the call's keywords, a literal dict spread into them (`**params`), and a resource's identifiers; batch
`RequestItems` keyed by table names, transaction `TransactItems`, PartiQL statements and EventBridge `Entries`
give one target per table, statement or bus. A name from an environment variable becomes `TargetName(env=...)`,
a literal `TargetName(literal=...)`, anything else `name=None`.

`HandlerCalls.dynamic` gets the calls whose operation or actions cannot be named statically: `getattr(client,
name)` with a computed name, a client whose service name is computed, a paginator or waiter whose name is
computed, transactions and PartiQL statements the code builds (these are also in `calls`, with the needs that
could be read), expressions nested too deep to evaluate, and calls of a method named like an operation of a
service the code uses on an object whose origin cannot be read (a parameter no local call site fills), since
that may well be an SDK call. A client of a service botocore does not know is ignored, and a method named like
an operation on an object that is not an SDK object is not a call. `unfollowed` gets relative imports that
cannot be read, local modules that exist but cannot be read or parsed, and modules beyond `MAX_FILES`. An import
of a library that calls AWS on the code's behalf (`AWS_CALLING_MODULES`: PynamoDB, Powertools' idempotency, ...)
is in `dynamic` too: its calls cannot be seen.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ddblint.model import boto3_resources, sdk_actions
from ddblint.model.code_calls import (
    CallSite,
    CallTarget,
    HandlerCalls,
    HandlerPackage,
    SdkCall,
    TargetName,
)
from ddblint.model.python_source import (
    MAX_FILES,
    NONE_VALUE,
    BoundMethod,
    Choice,
    Client,
    ComputedMethod,
    DictValue,
    Env,
    ListValue,
    Paginator,
    Reader,
    Resource,
    Scope,
    dotted_name,
)
from ddblint.model.source_strings import Template, Text

SITE_TEXT_LIMIT = 80  # characters of a call's text in its CallSite
# Libraries that call AWS APIs on the code's behalf, with clients of their own this reader does not follow: an
# import of one (or of a module below it) makes the calls incomplete. PynamoDB (DynamoDB models), AWS SDK for
# pandas (awswrangler), s3fs and smart_open (S3 files), the AWS Encryption SDKs (KMS), and the Powertools for AWS
# Lambda utilities documented to call AWS (idempotency and feature flags: DynamoDB or AppConfig; parameters: SSM,
# Secrets Manager, AppConfig, DynamoDB; streaming: S3; data masking: KMS).
AWS_CALLING_MODULES = (
    "pynamodb",
    "awswrangler",
    "s3fs",
    "smart_open",
    "aws_encryption_sdk",
    "dynamodb_encryption_sdk",
    "aws_lambda_powertools.utilities.idempotency",
    "aws_lambda_powertools.utilities.feature_flags",
    "aws_lambda_powertools.utilities.parameters",
    "aws_lambda_powertools.utilities.streaming",
    "aws_lambda_powertools.utilities.data_masking",
)


# -- calls -----------------------------------------------------------------------------------------------------
class CallReader:
    """Turns the calls of a read package into `SdkCall`s and dynamic sites."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.calls: list[SdkCall] = []
        self.dynamic: list[CallSite] = []
        self.unknown_receivers: list[tuple[str, CallSite]] = []
        self.services: set[str] = set()

    def run(self) -> None:
        for node, scope in self.reader.calls:
            try:
                self.read(node, scope)
            except RecursionError:  # an expression nested too deep to evaluate: the call cannot be read
                self.dynamic.append(self.site(node, scope))
        for node, scope in self.reader.references:
            try:
                if isinstance(self.reader.value(node.func, scope), BoundMethod):
                    self.read(node, scope)
            except RecursionError:
                self.dynamic.append(self.site(node, scope))
        self._unknown_receivers()
        sites: list[tuple[ast.AST, str]] = []
        for node, path, dotted in self.reader.external_imports:
            calls_aws = any(dotted == m or dotted.startswith(m + ".") for m in AWS_CALLING_MODULES)
            if calls_aws and (node, path) not in sites:
                sites.append((node, path))
                names = ", ".join(alias.name for alias in node.names)
                module = node.module if isinstance(node, ast.ImportFrom) else None
                text = f"from {module} import {names}" if module is not None else f"import {names}"
                self.dynamic.append(CallSite(path, node.lineno, node.col_offset + 1, _shortened(text)))

    def read(self, node: ast.Call, scope: Scope) -> None:
        func = self.reader.value(node.func, scope)
        if isinstance(func, Choice):  # one of several methods: each may be the one called
            for alternative in func.values:
                if isinstance(alternative, BoundMethod):
                    self._read_method(alternative, node, scope)
            return
        if isinstance(func, ComputedMethod):
            self.dynamic.append(self.site(node, scope))
            return
        if not isinstance(func, BoundMethod):
            if func is None and isinstance(node.func, ast.Attribute):
                receiver = self.reader.value(node.func.value, scope)
                if (receiver is None or receiver is NONE_VALUE) and _unknown_origin(node.func.value):
                    self.unknown_receivers.append((node.func.attr, self.site(node, scope)))
            return
        self._read_method(func, node, scope)

    def _read_method(self, func: BoundMethod, node: ast.Call, scope: Scope) -> None:
        owner, method = func.owner, func.method
        if isinstance(owner, Client):
            if owner.service is None:
                self.dynamic.append(self.site(node, scope))
                return
            self.services.add(owner.service)
            self._client_call(owner.service, method, node, scope)
        elif isinstance(owner, Resource):
            self.services.add(owner.service)
            self._resource_call(owner, method, node, scope)
        elif isinstance(owner, Paginator) and method in ("paginate", "wait"):
            if owner.operation is None:  # `get_paginator(name)` with a computed name
                self.dynamic.append(self.site(node, scope))
                return
            self.services.add(owner.service)
            parameters = self._keywords(node, scope)
            self._record(owner.service, owner.operation, parameters, node, scope)

    def _client_call(self, service: str, method: str, node: ast.Call, scope: Scope) -> None:
        if method in ("generate_presigned_url", "generate_presigned_post"):
            self._presigned(service, method, node, scope)
            return
        operation = sdk_actions.operation_for_method(service, method)
        if operation is None:
            return
        parameters = self._keywords(node, scope)
        positional = boto3_resources.injected_parameters(service, method)
        if positional is not None:
            parameters = self._positional(positional, node, scope) | parameters
        self._record(service, operation, parameters, node, scope)

    def _presigned(self, service: str, method: str, node: ast.Call, scope: Scope) -> None:
        """A presigned URL or POST is used with the role's credentials: its operation needs the action."""
        keywords = self._keywords(node, scope)
        if method == "generate_presigned_post":
            operation = "PutObject"
            parameters = {k: v for k, v in keywords.items() if k in ("Bucket", "Key")}
            parameters |= self._positional(("Bucket", "Key"), node, scope)
        else:
            name = keywords.get("ClientMethod")
            if name is None and node.args:
                name = self.reader.value(node.args[0], scope)
            operation = sdk_actions.operation_for_method(service, name.value) if isinstance(name, Text) else None
            if operation is None:
                self.dynamic.append(self.site(node, scope))
                return
            params = keywords.get("Params")
            if params is None and len(node.args) > 1:
                params = self.reader.value(node.args[1], scope)
            parameters = _literal_keys(params) if isinstance(params, DictValue) else {"**": None}
        self._record(service, operation, parameters, node, scope)

    def _resource_call(self, owner: Resource, method: str, node: ast.Call, scope: Scope) -> None:
        operation = sdk_actions.operation_for_resource_method(owner.service, owner.resource, method)
        if operation is None:
            return
        parameters: dict[str, object] = {}
        for parameter, identifier in boto3_resources.identifier_parameters(owner.service, owner.resource):
            parameters[parameter] = owner.identifier(identifier)
        positional = boto3_resources.injected_parameters(owner.service, method, owner.resource)
        if positional is not None:
            client_parameters = boto3_resources.injected_parameters(owner.service, method) or ()
            filled = [p for p in client_parameters if p not in positional]
            values = [owner.identifier(i) for i in boto3_resources.identifiers(owner.service, owner.resource)]
            parameters = dict(zip(filled, values, strict=False))
            parameters |= self._positional(positional, node, scope)
        parameters |= self._keywords(node, scope)
        self._record(owner.service, operation, parameters, node, scope)

    def _keywords(self, node: ast.Call, scope: Scope) -> dict[str, object]:
        parameters: dict[str, object] = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                spread = self.reader.value(keyword.value, scope)
                if isinstance(spread, DictValue):
                    parameters |= _literal_keys(spread)
                else:
                    parameters["**"] = None
            else:
                parameters[keyword.arg] = self.reader.value(keyword.value, scope)
        return parameters

    def _positional(self, names: tuple[str, ...], node: ast.Call, scope: Scope) -> dict[str, object]:
        return {name: self.reader.value(arg, scope) for name, arg in zip(names, node.args, strict=False)}

    # -- needs ----------------------------------------------------------------------------------------------
    def _record(self, client: str, operation: str, parameters: dict[str, object], node: ast.Call, scope: Scope) -> None:
        service = sdk_actions.service_for_client(client)
        if service is None:
            return
        site = self.site(node, scope)
        needs, readable = self._needs(service, operation, parameters)
        self.calls.append(SdkCall(service, operation, needs, site))
        if not readable:
            self.dynamic.append(site)

    def _needs(self, service: str, operation: str, parameters: dict[str, object]) -> tuple[tuple, bool]:
        """(needs, whether the actions could be read)."""
        if service == "dynamodb" and operation in sdk_actions.TRANSACTION_ITEM_ACTIONS:
            return self._transaction(operation, parameters.get("TransactItems"))
        if service == "dynamodb" and operation in ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"):
            return self._statements(operation, parameters)
        if service == "dynamodb" and operation in ("BatchWriteItem", "BatchGetItem") and "TableName" not in parameters:
            # the client's RequestItems keyed by table; `Table.batch_writer()` names its table instead
            return self._batch(service, operation, parameters.get("RequestItems")), True
        if service == "events" and operation == "PutEvents":
            return self._events(parameters.get("Entries")), True
        if service == "s3" and operation in ("CopyObject", "UploadPartCopy"):
            source = _copy_source(parameters.get("CopySource"))
            needs = [sdk_actions.copy_needs(source, t) for t in self._targets(service, "PutObject", parameters)]
            return _unique(n for found in needs for n in found), True
        targets = self._targets(service, operation, parameters)
        return _unique(n for target in targets for n in sdk_actions.needs(service, operation, target)), True

    def _targets(self, service: str, operation: str, parameters: dict[str, object]) -> list[CallTarget]:
        """The call's target, one per alternative when its name is one of several."""
        present = frozenset(p for p in parameters if p != "**")
        spread = "**" in parameters
        resource_type, name_parameter, qualifier_parameter = sdk_actions.request_target(service, operation, present)
        names = _target_names(parameters.get(name_parameter)) if name_parameter else [None]
        if spread and "index" in sdk_actions.resource_types(service, operation) and resource_type != "index":
            names = [None]  # the spread may hold an IndexName
        qualifier = None
        if resource_type == "index":
            index = parameters.get("IndexName")
            qualifier = index.value if isinstance(index, Text) else None
        elif qualifier_parameter is not None:
            qualifier = _pattern(parameters.get(qualifier_parameter)) if qualifier_parameter in parameters else "*"
        return [CallTarget(resource_type, name, qualifier) for name in names]

    def _transaction(self, operation: str, items: object) -> tuple[tuple, bool]:
        if not isinstance(items, ListValue):
            return (), False
        kinds: list[tuple[str, CallTarget]] = []
        readable = True
        for item in items.items:
            if not isinstance(item, DictValue) or not item.complete or len(item.items) != 1:
                readable = False
                continue
            kind, body = item.items[0]
            if not isinstance(kind, Text) or not isinstance(body, DictValue):
                readable = False
                continue
            found, table = body.get("TableName")
            kinds += [(kind.value, CallTarget("table", name)) for name in (_target_names(table) if found else [None])]
        return sdk_actions.transaction_needs(operation, kinds), readable

    def _statements(self, operation: str, parameters: dict[str, object]) -> tuple[tuple, bool]:
        if operation == "ExecuteStatement":
            statements = [parameters.get("Statement")]
        else:
            listed = parameters.get("Statements" if operation == "BatchExecuteStatement" else "TransactStatements")
            if not isinstance(listed, ListValue):
                return (), False
            statements = [item.get("Statement")[1] if isinstance(item, DictValue) else None for item in listed.items]
        needs: list = []
        readable = True
        for statement in statements:
            found = _statement_needs(statement)
            if not found:
                readable = False
            needs.extend(n for n in found if n not in needs)
        return tuple(needs), readable

    def _batch(self, service: str, operation: str, request_items: object) -> tuple:
        if not isinstance(request_items, DictValue):
            return sdk_actions.needs(service, operation, CallTarget("table", None))
        needs: list = []
        for key, _ in request_items.items:
            for name in _target_names(key):
                for need in sdk_actions.needs(service, operation, CallTarget("table", name)):
                    if need not in needs:
                        needs.append(need)
        if not request_items.complete:
            needs.extend(n for n in sdk_actions.needs(service, operation, CallTarget("table", None)) if n not in needs)
        return tuple(needs)

    def _events(self, entries: object) -> tuple:
        targets: list[CallTarget] = []
        if isinstance(entries, ListValue):
            for entry in entries.items:
                if isinstance(entry, DictValue):
                    found, bus = entry.get("EventBusName")
                    if not found and entry.complete:
                        bus = Text("default")  # PutEvents sends to the default bus without one
                    targets.append(CallTarget("event-bus", _target_name(bus)))
                else:
                    targets.append(CallTarget("event-bus", None))
        else:
            targets.append(CallTarget("event-bus", None))
        needs: list = []
        for target in targets:
            needs.extend(n for n in sdk_actions.needs("events", "PutEvents", target) if n not in needs)
        return tuple(needs)

    # -- sites ----------------------------------------------------------------------------------------------
    def site(self, node: ast.Call, scope: Scope) -> CallSite:
        callee = dotted_name(node.func)
        if callee is None:
            try:
                callee = ast.unparse(node.func)
            except (ValueError, RecursionError):  # an expression too deep to print
                callee = "call"
        text = f"{callee}(...)" if node.args or node.keywords else f"{callee}()"
        return CallSite(scope.module.path, node.lineno, node.col_offset + 1, _shortened(text))

    def _unknown_receivers(self) -> None:
        """Calls of a method named like an operation of a service the code uses, on an object of unknown
        origin, may be SDK calls: they are dynamic."""
        if not self.unknown_receivers:
            return
        names: set[str] = set()
        for service in self.services | self.reader.created_services:
            names.update(sdk_actions.client_methods(service))
        for method, site in self.unknown_receivers:
            if method in names and site not in self.dynamic:
                self.dynamic.append(site)


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SITE_TEXT_LIMIT else text[: SITE_TEXT_LIMIT - 3] + "..."


def _unknown_origin(node: ast.AST) -> bool:
    """A receiver that may hold any object (a name, attribute, item or call result), not a literal."""
    return isinstance(node, ast.Name | ast.Attribute | ast.Subscript | ast.Call | ast.Await)


def _literal_keys(value: DictValue) -> dict[str, object]:
    parameters = {key.value: item for key, item in value.items if isinstance(key, Text)}
    if not value.complete or any(not isinstance(key, Text) for key, _ in value.items):
        parameters["**"] = None
    return parameters


def _target_names(value: object) -> list[TargetName | None]:
    """The names a value gives, one per alternative of a Choice."""
    if isinstance(value, Choice):
        return [_target_name(alternative) for alternative in value.values]
    return [_target_name(value)]


def _unique(needs: Iterable[tuple[str, CallTarget]]) -> tuple[tuple[str, CallTarget], ...]:
    return tuple(dict.fromkeys(needs))


def _target_name(value: object) -> TargetName | None:
    if isinstance(value, Env):
        return TargetName(env=value.variable)
    if isinstance(value, Text) and value.value:
        return TargetName(literal=value.value)
    return None


def _pattern(value: object) -> str:
    if isinstance(value, Text):
        return value.value
    if isinstance(value, Template):
        return value.pattern()
    return "*"


def _copy_source(value: object) -> CallTarget:
    """S3 `CopySource`: "bucket/key" or {"Bucket": ..., "Key": ...}."""
    if isinstance(value, DictValue):
        _, bucket = value.get("Bucket")
        found, key = value.get("Key")
        return CallTarget("object", _target_name(bucket), _pattern(key) if found else "*")
    if isinstance(value, Text) and "/" in value.value.lstrip("/"):
        bucket, _, key = value.value.lstrip("/").partition("/")
        return CallTarget("object", TargetName(literal=bucket), key.split("?")[0])
    return CallTarget("object", None, "*")


def _text_of(value: object) -> str | None:
    return value.value if isinstance(value, Text) else None


def _statement_needs(statement: object) -> tuple:
    """PartiQL needs of a literal statement, or of an f-string or concatenation whose verb is literal (the
    table is named when it is exactly one formatted value, e.g. `f'SELECT * FROM "{TABLE}"'`)."""
    if isinstance(statement, Text):
        return sdk_actions.statement_needs(statement.value, None)
    if not isinstance(statement, Template):
        return ()
    return sdk_actions.built_statement_needs(statement.parts, _target_name, _text_of)


# -- entry point -----------------------------------------------------------------------------------------------
def python_calls(package: HandlerPackage) -> HandlerCalls:
    """Every AWS SDK call the Python handler's code makes, as far as it can be read."""
    reader = Reader(package)
    handler = reader.load(reader.handler_file)
    if handler is None:
        return HandlerCalls("python", (), unfollowed=[package.handler_file])
    reader.collect()
    calls = CallReader(reader)
    calls.run()
    return HandlerCalls(
        "python", tuple(reader.order), calls=calls.calls, dynamic=calls.dynamic, unfollowed=reader.unfollowed
    )


__all__ = ["MAX_FILES", "python_calls"]

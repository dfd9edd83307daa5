"""boto3's resource models (`boto3/data/<service>/<version>/resources-1.json`), read as data.

A boto3 resource (`boto3.resource("dynamodb").Table(name)`, `s3.Bucket(name).Object(key)`) is a set of
identifiers (a Table's `Name`, an Object's `BucketName` and `Key`) plus methods that call client operations with
those identifiers filled in as request parameters (`Table.put_item` calls `PutItem` with `TableName` = the
table's `Name`). This module answers, per service and resource type: which resource a constructor or
sub-resource method makes and from which identifiers, which operation a method calls, and which request
parameters the identifiers fill. Models load lazily, once per service; a service without a resource model has no
resources.

boto3 also adds methods in code that its models do not describe (`boto3/s3/inject.py`: `upload_file`,
`download_file`, ... on the client, `Bucket` and `Object`; `boto3/dynamodb/table.py`: `Table.batch_writer`).
`injected_parameters` gives their positional parameter names, read from boto3's own functions.
"""

from __future__ import annotations

import functools
import inspect
import os
from dataclasses import dataclass

SERVICE_RESOURCE = ""  # the resource type name of the service resource itself (`boto3.resource("s3")`)


@dataclass(frozen=True)
class SubResource:
    """What a constructor or sub-resource method makes: the resource type and where each identifier comes
    from, in the model's order: a parent identifier's name, or None for the next argument of the call."""

    resource: str
    identifiers: tuple[tuple[str, str | None], ...]


@functools.cache
def _loader():
    import boto3
    from botocore.loaders import Loader

    return Loader(extra_search_paths=[os.path.join(os.path.dirname(boto3.__file__), "data")])


@functools.cache
def _model(service: str) -> dict:
    try:
        return _loader().load_service_model(service, "resources-1")
    except Exception:  # botocore raises DataNotFoundError / UnknownServiceError: no resource model
        return {}


def _definition(service: str, resource: str) -> dict:
    model = _model(service)
    if resource == SERVICE_RESOURCE:
        return model.get("service", {})
    return model.get("resources", {}).get(resource, {})


def resource_exists(service: str, resource: str) -> bool:
    return bool(_definition(service, resource)) or (resource == SERVICE_RESOURCE and bool(_model(service)))


def identifiers(service: str, resource: str) -> tuple[str, ...]:
    """The identifier names of a resource type, in the model's order (`Object`: `BucketName`, `Key`)."""
    return tuple(i["name"] for i in _definition(service, resource).get("identifiers", ()))


@functools.cache
def _methods(service: str, resource: str) -> dict[str, dict]:
    """boto3 method name -> the model's action (with `request`) or load definition. Batch actions belong to
    collections (`bucket.objects.delete()`), not to the resource, and are not methods of it."""
    from botocore import xform_name

    definition = _definition(service, resource)
    methods: dict[str, dict] = {}
    for name, action in definition.get("actions", {}).items():
        methods[xform_name(name)] = action
    if "load" in definition:
        methods["load"] = methods["reload"] = definition["load"]
    return methods


def action_operation(service: str, resource: str, method: str) -> str | None:
    """The operation a resource method calls (`Table.query` -> `Query`, `Object.get` -> `GetObject`)."""
    action = _methods(service, resource).get(method)
    return action["request"]["operation"] if action else None


@functools.cache
def identifier_parameters(service: str, resource: str) -> tuple[tuple[str, str], ...]:
    """(request parameter, identifier) pairs the resource's methods fill from its identifiers
    (`Table`: TableName <- Name; `Object`: Bucket <- BucketName, Key <- Key)."""
    pairs: list[tuple[str, str]] = []
    for action in _methods(service, resource).values():
        for param in action["request"].get("params", ()):
            if param.get("source") == "identifier" and "[" not in param["target"] and "." not in param["target"]:
                pair = (param["target"], param["name"])
                if pair not in pairs:
                    pairs.append(pair)
    return tuple(pairs)


@functools.cache
def subresource(service: str, resource: str, method: str) -> SubResource | None:
    """What `resource.<method>(...)` makes when it is a constructor of another resource
    (`dynamodb.Table(name)`, `bucket.Object(key)`), None otherwise."""
    has = _definition(service, resource).get("has", {}).get(method)
    if has is None and resource == SERVICE_RESOURCE and method in _model(service).get("resources", {}):
        # boto3 gives the service resource a constructor for every resource type, all identifiers from the
        # arguments (`boto3.resources.model.ResourceModel._get_has_definition`)
        return SubResource(method, tuple((name, None) for name in identifiers(service, method)))
    if not has or "resource" not in has:
        return None
    made = has["resource"]
    sources: list[tuple[str, str | None]] = []
    for identifier in made.get("identifiers", ()):
        if identifier.get("source") == "identifier":
            sources.append((identifier["target"], identifier["name"]))
        elif identifier.get("source") == "input":
            sources.append((identifier["target"], None))
        else:
            return None  # an identifier from a response or data: not a constructor
    return SubResource(made["type"], tuple(sources))


@functools.cache
def injected_parameters(service: str, method: str, resource: str | None = None) -> tuple[str, ...] | None:
    """The positional parameter names of a transfer method boto3 adds to the S3 client (`resource=None`:
    `upload_file(Filename, Bucket, Key, ...)`) or to an S3 resource (`Bucket.upload_file(Filename, Key, ...)`),
    read from `boto3.s3.inject`; None when boto3 adds no such method."""
    if service != "s3" or method.startswith("_"):
        return None
    from boto3.s3 import inject

    name = method if resource is None else f"{resource.lower()}_{method}"
    function = getattr(inject, name, None)
    if not inspect.isfunction(function):
        return None
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
    return tuple(parameters[1:])  # without self


__all__ = [
    "SERVICE_RESOURCE",
    "SubResource",
    "action_operation",
    "identifier_parameters",
    "identifiers",
    "injected_parameters",
    "resource_exists",
    "subresource",
]

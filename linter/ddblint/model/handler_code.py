"""Handler code facts: what a function's Python handler file does with the AWS SDK, read with `ast`.

The file itself is found and read by the loader (`ddblint.loaders.handler`), which the model asks through its
`handler_finder`; the code is never imported or executed. From the parsed file this module derives:

- `HandlerCode.clients(environ)`: the SDK clients it creates and their retry configuration
  (`ddblint.model.sdk_retries`);
- `HandlerCode.key_calls`: its DynamoDB item calls (`get_item`, `update_item`, `delete_item`, `put_item`,
  `query`), each with the environment variable that names its table, the index it queries and the key
  attribute names it uses.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from ddblint.model.values import UNKNOWN

if TYPE_CHECKING:
    from ddblint.model import Resource
    from ddblint.model.code_calls import HandlerPackage
    from ddblint.model.sdk_retries import ClientConfig

KEY_METHODS = ("get_item", "update_item", "delete_item")
ITEM_METHODS = (*KEY_METHODS, "put_item", "query")


@dataclass
class HandlerSource:
    """The handler file of a function, parsed."""

    path: str  # the file, relative to the scan root (POSIX separators)
    tree: ast.Module  # ast.parse() of the file; the code is never imported or executed
    handler_name: str  # the function name after the last dot of `handler` ("handler" in "app.main.handler")
    text: str  # the file's text (UTF-8)


class HandlerFinder(Protocol):
    """What the loader gives the model to find a function's handler file."""

    def find(self, function: Resource) -> HandlerSource | None:
        """The parsed Python handler file, None when there is none to read."""
        ...

    def package(self, function: Resource) -> HandlerPackage | None:
        """The handler package in any language read (Python, JavaScript, TypeScript), None when not found."""
        ...


@dataclass(frozen=True)
class KeyCall:
    """One DynamoDB item call in the handler, with the key attribute names it uses."""

    line: int
    method: str  # get_item, update_item, delete_item, put_item or query
    table_variable: str  # the environment variable whose value names the table
    index: object  # the IndexName of a query (a string), None without one, UNKNOWN when not a literal
    names: frozenset[str] | None  # Key's names, Item's names (put_item) or the key condition's; None if unknown


class HandlerCode:
    """The facts of one function's handler file (`Facts.handler_code` makes one per function)."""

    def __init__(self, source: HandlerSource):
        self.source = source

    @property
    def path(self) -> str:
        return self.source.path

    def clients(self, environ: dict | None) -> list[ClientConfig]:
        """The SDK clients the file creates, with the retry settings they get in this environment."""
        # Imported here: botocore's data takes a tenth of a second to load, and only RTY406 needs it.
        from ddblint.model.sdk_retries import client_configs

        return client_configs(self.source.tree, environ)

    @cached_property
    def key_calls(self) -> list[KeyCall]:
        """Every DynamoDB item call whose table is named by an environment variable, in `ast.walk` order."""
        tree = self.source.tree
        aliases = _bindings(tree)
        calls = []
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
                continue
            method = call.func.attr
            if method not in ITEM_METHODS:
                continue
            variable = _call_table(call, aliases)
            if variable is None:
                continue
            index: object = None
            if method == "query":
                written = _keyword(call, "IndexName")
                if written is not None:
                    literal = isinstance(written, ast.Constant) and isinstance(written.value, str)
                    index = written.value if literal else UNKNOWN  # type: ignore[union-attr]
            calls.append(KeyCall(call.lineno, method, variable, index, _names(call, method)))
        return calls


def _names(call: ast.Call, method: str) -> frozenset[str] | None:
    if method in KEY_METHODS:
        names = _dict_keys(_keyword(call, "Key"))
    elif method == "put_item":
        names = _dict_keys(_keyword(call, "Item"))
    else:
        names = _condition_names(call)
    return frozenset(names) if names is not None else None


def _env_name(node: ast.AST, aliases: dict[str, object]) -> str | None:
    """`os.environ["X"]`, `os.environ.get("X", ...)`, `os.getenv("X")`, `environ["X"]` or a name bound to one."""
    if isinstance(node, ast.Name):
        bound = aliases.get(node.id)
        return bound[1] if isinstance(bound, tuple) and bound[0] == "env" else None
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        func = node.func
        getter = (
            isinstance(func, ast.Attribute)
            and (
                (func.attr == "get" and _is_environ(func.value))
                or (func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os")
            )
        ) or (isinstance(func, ast.Name) and func.id == "getenv")
        if getter and isinstance(node.args[0].value, str):
            return node.args[0].value
    return None


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _bindings(tree: ast.Module) -> dict[str, object]:
    """Simple names bound to an environment variable ("env", X) or to a Table of one ("table", X).

    A name assigned more than once with different meanings is dropped (we cannot tell which one a call sees).
    """
    aliases: dict[str, object] = {}
    conflicting: set[str] = set()
    assignments = [n for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.AnnAssign)]
    for _ in range(2):  # a second pass resolves names bound through earlier names
        for node in assignments:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if value is None:
                continue
            meaning: object = None
            env = _env_name(value, aliases)
            if env is not None:
                meaning = ("env", env)
            elif (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "Table"
                and value.args
            ):
                table_env = _env_name(value.args[0], aliases)
                meaning = ("table", table_env) if table_env is not None else None
            for target in targets:
                name = (
                    target.id
                    if isinstance(target, ast.Name)
                    else (target.attr if isinstance(target, ast.Attribute) else None)
                )
                if name is None:
                    continue
                if name in aliases and aliases[name] != meaning:
                    conflicting.add(name)
                aliases[name] = meaning
    for name in conflicting:
        aliases.pop(name, None)
    return aliases


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _dict_keys(node: ast.AST | None) -> set[str] | None:
    """The constant string keys of a dict literal, None when it is not one (or has `**` parts)."""
    if not isinstance(node, ast.Dict):
        return None
    keys: set[str] = set()
    for key in node.keys:
        if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
            return None
        keys.add(key.value)
    return keys


def _condition_names(call: ast.Call) -> set[str] | None:
    """Attribute names in a query's KeyConditionExpression (a string, or boto3 `Key("x")` conditions)."""
    expression = _keyword(call, "KeyConditionExpression")
    if expression is None:
        return None
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        placeholders = _dict_values(_keyword(call, "ExpressionAttributeNames"))
        names: set[str] = set()
        for token in re.findall(r"(?<![:\w#])#?[A-Za-z_]\w*", expression.value):
            if token.lower() in ("and", "between", "begins_with"):
                continue
            if token.startswith("#"):
                if placeholders is None or token not in placeholders:
                    return None
                names.add(placeholders[token])
            else:
                names.add(token)
        return names or None
    names = set()
    for node in ast.walk(expression):
        if isinstance(node, ast.Call):
            func = node.func
            is_key = (isinstance(func, ast.Name) and func.id == "Key") or (
                isinstance(func, ast.Attribute) and func.attr == "Key"
            )
            if is_key:
                if (
                    not node.args
                    or not isinstance(node.args[0], ast.Constant)
                    or not isinstance(node.args[0].value, str)
                ):
                    return None
                names.add(node.args[0].value)
    return names or None


def _dict_values(node: ast.AST | None) -> dict[str, str] | None:
    if not isinstance(node, ast.Dict):
        return None
    result: dict[str, str] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(value, ast.Constant)):
            return None
        if not isinstance(key.value, str) or not isinstance(value.value, str):
            return None
        result[key.value] = value.value
    return result


def _call_table(call: ast.Call, aliases: dict[str, object]) -> str | None:
    """The environment variable that names the table of an item call, None when it cannot be told."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    table_name = _keyword(call, "TableName")
    if table_name is not None:  # the client API
        return _env_name(table_name, aliases) or None
    target = func.value
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else None
    bound = aliases.get(name) if name else None
    if isinstance(bound, tuple) and bound[0] == "table":
        return bound[1] or None
    if (
        isinstance(target, ast.Call)
        and isinstance(target.func, ast.Attribute)
        and target.func.attr == "Table"
        and target.args
    ):
        return _env_name(target.args[0], aliases) or None
    return None

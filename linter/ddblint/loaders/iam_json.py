"""Standalone IAM policy JSON files.

They are decoded with the line of every object and array (`ddblint.loaders.json_lines`), so a finding on a
statement points at the statement's line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ddblint.findings import InputError
from ddblint.loaders.json_lines import JsonWithLinesError, loads_with_lines
from ddblint.loaders.terraform import InputErrorException, read_text
from ddblint.model.functions import ends_in_json_string
from ddblint.model.values import UNKNOWN, Symbolic

# `${name}`, `${expression}` and `%{ directive }` in Terraform's template syntax. IAM's own policy variables
# (`${aws:username}`, `${*}`, `${?}`, `${$}`) are not: their names hold a colon or are one special character.
_TEMPLATE_SEQUENCE = re.compile(r"(?<!\$)\$\{(?![*?$]\})(?![\w-]+:[\w/-]+\})|(?<!%)%\{")
# Statement elements of CloudWatch Logs data protection policies (aws_cloudwatch_log_data_protection_policy),
# which are not IAM's.
_DATA_PROTECTION_ELEMENTS = ("DataIdentifier", "Operation")


def looks_like_policy(value: object) -> bool:
    """An IAM policy document: an object with a Statement whose statements are IAM's, not a CloudWatch Logs
    data protection policy's."""
    if not isinstance(value, dict) or "Statement" not in value:
        return False
    statements = value["Statement"]
    for statement in statements if isinstance(statements, list) else [statements]:
        if isinstance(statement, dict) and any(k in statement for k in _DATA_PROTECTION_ELEMENTS):
            return False
    return True


def is_template(text: str) -> bool:
    """Text in Terraform's template syntax (`${...}` interpolations, `%{...}` directives): a file that
    `templatefile()` renders. Where `templatefile()` reads it, the policy it renders is checked at the resource
    that uses it; a template nothing reads is checked on its own with every interpolation unknown."""
    return _TEMPLATE_SEQUENCE.search(text) is not None


def _render_unknown(text: str) -> str | None:
    """The template with each `${...}` interpolation replaced by a marker (a whole JSON string where the
    interpolation stands outside a string), keeping every line where it was; None for templates with
    `%{...}` directives (loops and conditions) or an unclosed interpolation, which are not rendered."""
    out: list[str] = []
    position, in_string = 0, False
    while True:
        match = _TEMPLATE_SEQUENCE.search(text, position)
        if match is None:
            out.append(text[position:])
            return "".join(out)
        if match.group().startswith("%"):
            return None
        before = text[position : match.start()]
        in_string = ends_in_json_string(before, in_string)
        end = _interpolation_end(text, match.end())
        if end is None:
            return None
        newlines = text.count("\n", match.start(), end)
        out += [before, _UNKNOWN_MARK if in_string else f'"{_UNKNOWN_MARK}"', "\n" * newlines if not in_string else ""]
        if in_string and newlines:
            return None  # a line break inside a JSON string: not a document that decodes
        position = end


_UNKNOWN_MARK = "\ue000"


def _interpolation_end(text: str, start: int) -> int | None:
    """The position after the `}` that closes an interpolation opened just before `start`."""
    depth, quote, escaped = 1, False, False
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quote = False
        elif char == '"':
            quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _restore_unknown(value: object) -> object:
    """Markers back to UNKNOWN: a whole string, or the unknown parts of a `Symbolic` string."""
    if isinstance(value, str) and _UNKNOWN_MARK in value:
        if value == _UNKNOWN_MARK:
            return UNKNOWN
        pieces = value.split(_UNKNOWN_MARK)
        parts: list[object] = []
        for index, piece in enumerate(pieces):
            if index:
                parts.append(UNKNOWN)
            if piece:
                parts.append(piece)
        return Symbolic(tuple(parts))  # type: ignore[arg-type]
    if isinstance(value, dict):
        for key in list(value):
            value[key] = _restore_unknown(value[key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = _restore_unknown(item)
    return value


def load_policy_file(path: Path, rel: str, explicit: bool) -> tuple[object | None, InputError | None]:
    """A standalone policy document, or (None, None) for JSON that is not a policy (package.json, ...).

    Invalid JSON is an error when the file was named explicitly or mentions "Statement"; other broken
    JSON files in a tree (editor settings with comments) are not ours to judge. A template (`${...}`
    interpolations) is read with every interpolation unknown, and is never an input error.
    """
    try:
        text = read_text(path, rel)
    except InputErrorException as error:
        return None, error.error if explicit else None
    template = is_template(text)
    if template:
        rendered = _render_unknown(text)
        if rendered is None:
            return None, None  # directives or an odd interpolation: not judged on its own
        text = rendered
    try:
        value = _restore_unknown(loads_with_lines(text)) if template else loads_with_lines(text)
    except JsonWithLinesError as error:
        if template:
            return None, None  # what Terraform renders from it is not known: no input error for a template
        if explicit or '"Statement"' in text:
            return None, InputError(rel, error.line, error.message)
        return None, None
    return (value, None) if looks_like_policy(value) else (None, None)

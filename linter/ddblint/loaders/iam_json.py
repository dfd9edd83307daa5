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
    `templatefile()` renders, not a document on its own. Where `templatefile()` reads it, the policy it renders
    is checked at the resource that uses it."""
    return _TEMPLATE_SEQUENCE.search(text) is not None


def load_policy_file(path: Path, rel: str, explicit: bool) -> tuple[object | None, InputError | None]:
    """A standalone policy document, or (None, None) for JSON that is not a policy (package.json, ...).

    Invalid JSON is an error when the file was named explicitly or mentions "Statement"; other broken
    JSON files in a tree (editor settings with comments) are not ours to judge.
    """
    try:
        text = read_text(path, rel)
    except InputErrorException as error:
        return None, error.error if explicit else None
    if is_template(text):
        return None, None
    try:
        value = loads_with_lines(text)
    except JsonWithLinesError as error:
        if explicit or '"Statement"' in text:
            return None, InputError(rel, error.line, error.message)
        return None, None
    return (value, None) if looks_like_policy(value) else (None, None)

"""Standalone IAM policy JSON files.

They are decoded with the line of every object and array (`ddblint.loaders.json_lines`), so a finding on a
statement points at the statement's line.
"""

from __future__ import annotations

from pathlib import Path

from ddblint.findings import InputError
from ddblint.loaders.json_lines import JsonWithLinesError, loads_with_lines
from ddblint.loaders.terraform import InputErrorException, read_text


def looks_like_policy(value: object) -> bool:
    return isinstance(value, dict) and "Statement" in value


def load_policy_file(path: Path, rel: str, explicit: bool) -> tuple[object | None, InputError | None]:
    """A standalone policy document, or (None, None) for JSON that is not a policy (package.json, ...).

    Invalid JSON is an error when the file was named explicitly or mentions "Statement"; other broken
    JSON files in a tree (editor settings with comments) are not ours to judge.
    """
    try:
        text = read_text(path, rel)
    except InputErrorException as error:
        return None, error.error if explicit else None
    try:
        value = loads_with_lines(text)
    except JsonWithLinesError as error:
        if explicit or '"Statement"' in text:
            return None, InputError(rel, error.line, error.message)
        return None, None
    return (value, None) if looks_like_policy(value) else (None, None)

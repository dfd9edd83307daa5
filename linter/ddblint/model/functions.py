"""Terraform's built-in functions, as far as a static linter can evaluate them.

Each function takes evaluated arguments and returns a value or UNKNOWN; it never raises for odd input
(the evaluator turns TypeError/ValueError into UNKNOWN). Functions not listed here evaluate to UNKNOWN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ddblint.model.values import UNKNOWN, HclList, HclObject, JsonText, RefValue, Symbolic, is_known

_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
# A file read by file()/templatefile() may start with a UTF-8 byte order mark (saved on Windows): normal input.
_BYTE_ORDER_MARK = "\ufeff"


def to_number(value: object) -> object:
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return UNKNOWN


def _known(*values: object) -> bool:
    return all(is_known(v) for v in values)


def jsonencode(value: object) -> object:
    return JsonText(value)


def decode_json_text(text: object) -> object:
    """Decode a JSON string that may contain symbolic parts (heredoc or file() with interpolations)."""
    if isinstance(text, JsonText):
        return text.value
    if isinstance(text, str):
        return json.loads(text.removeprefix(_BYTE_ORDER_MARK))
    if isinstance(text, Symbolic):
        # Replace each symbolic part with a placeholder, decode, then put the parts back into the strings.
        # An unknown part outside a JSON string (`"Resource": ${var.arns}` in a template) is an unknown value
        # of any type: it becomes a whole string placeholder, so the rest of the document still decodes.
        symbols: list[object] = []
        pieces = []
        in_string = False
        for part in text.parts:
            if isinstance(part, str):
                pieces.append(part if pieces or symbols else part.removeprefix(_BYTE_ORDER_MARK))
                in_string = ends_in_json_string(part, in_string)
            else:
                placeholder = f"\ue000{len(symbols)}\ue001"
                pieces.append(placeholder if in_string or part is not UNKNOWN else f'"{placeholder}"')
                symbols.append(part)
        return _restore(json.loads("".join(pieces)), symbols)
    return UNKNOWN


def ends_in_json_string(text: str, in_string: bool) -> bool:
    """Whether JSON text that starts inside a string (or not) ends inside one."""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif in_string and char == "\\":
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string


def json_template_parts(value: object) -> list[object]:
    """`jsonencode(value)` as template parts: JSON text, with each `RefValue` or `Symbolic` string inside its
    quotes and each UNKNOWN value as an UNKNOWN part, so a template that embeds a partly known `jsonencode`
    keeps its known parts (`decode_json_text` reads them back)."""
    if value is UNKNOWN:
        return [UNKNOWN]
    if isinstance(value, RefValue):
        return ['"', value, '"']
    if isinstance(value, Symbolic):
        return ['"', *(json.dumps(p)[1:-1] if isinstance(p, str) else p for p in value.parts), '"']
    if isinstance(value, JsonText):
        return [json.dumps(str(value))] if is_known(value) else [UNKNOWN]
    if isinstance(value, dict):
        parts: list[object] = ["{"]
        for index, (key, item) in enumerate(value.items()):
            parts += [("," if index else "") + json.dumps(str(key)) + ":", *json_template_parts(item)]
        return [*parts, "}"]
    if isinstance(value, list | tuple):
        parts = ["["]
        for index, item in enumerate(value):
            parts += ["," if index else "", *json_template_parts(item)]
        return [*parts, "]"]
    if value is None or isinstance(value, str | int | float | bool):
        return [json.dumps(value)]
    return [UNKNOWN]


def _restore(value: object, symbols: list[object]) -> object:
    if isinstance(value, str):
        parts: list[object] = []
        position = 0
        for match in _PLACEHOLDER.finditer(value):
            if match.start() > position:
                parts.append(value[position : match.start()])
            parts.append(symbols[int(match.group(1))])
            position = match.end()
        if not parts:
            return value
        if position < len(value):
            parts.append(value[position:])
        if len(parts) == 1:
            return parts[0]
        return Symbolic(tuple(parts))  # type: ignore[arg-type]
    if isinstance(value, dict):
        return {k: _restore(v, symbols) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore(v, symbols) for v in value]
    return value


def jsondecode(text: object) -> object:
    return decode_json_text(text)


def _format(spec: object, *args: object) -> object:
    if not isinstance(spec, str) or not _known(*args):
        return UNKNOWN
    values = iter(args)

    def replace(match: re.Match) -> str:
        verb = match.group(2)
        if verb == "%":
            return "%"
        value = next(values)
        if verb in "dv" and isinstance(value, float) and value.is_integer():
            value = int(value)
        if verb == "q":
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return re.sub(r"%([-+# 0-9.]*)([a-zA-Z%])", replace, spec)


def _join(separator: object, *lists: object) -> object:
    items = [item for lst in lists if isinstance(lst, list | tuple) for item in lst]
    if not isinstance(separator, str) or len(items) != sum(len(lst) for lst in lists):  # type: ignore[arg-type]
        return UNKNOWN
    if not all(isinstance(i, str | int | float) for i in items):
        return UNKNOWN
    return separator.join(str(i) for i in items)


def _concat(*lists: object) -> object:
    if not all(isinstance(lst, list | tuple) for lst in lists):
        return UNKNOWN
    return HclList(item for lst in lists for item in lst)  # type: ignore[union-attr]


def _merge(*maps: object) -> object:
    if not all(isinstance(m, dict) for m in maps):
        return UNKNOWN
    result = HclObject()
    for m in maps:
        result.update(m)  # type: ignore[arg-type]
    return result


def _lookup(mapping: object, key: object, *default: object) -> object:
    if not isinstance(mapping, dict) or not isinstance(key, str):
        return UNKNOWN
    if key in mapping:
        return mapping[key]
    return default[0] if default else UNKNOWN


def _element(lst: object, index: object) -> object:
    if not isinstance(lst, list | tuple) or not lst or not isinstance(index, int):
        return UNKNOWN
    return lst[index % len(lst)]


def _length(value: object) -> object:
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    return UNKNOWN


def _flatten(value: object) -> object:
    if not isinstance(value, list | tuple):
        return UNKNOWN
    result = HclList()
    for item in value:
        if isinstance(item, list | tuple):
            flat = _flatten(item)
            if flat is UNKNOWN:
                return UNKNOWN
            result.extend(flat)  # type: ignore[arg-type]
        elif item is UNKNOWN:
            return UNKNOWN
        else:
            result.append(item)
    return result


def _coalesce(*values: object) -> object:
    for value in values:
        if value is UNKNOWN:
            return UNKNOWN
        if value is not None and value != "":
            return value
    return UNKNOWN


def _tolist(value: object) -> object:
    if isinstance(value, list | tuple):
        return HclList(value)
    if isinstance(value, set | frozenset):
        return HclList(sorted(value, key=str))
    return UNKNOWN


def _toset(value: object) -> object:
    if not isinstance(value, list | tuple):
        return UNKNOWN
    seen: list[object] = []
    for item in value:
        if item not in seen:
            seen.append(item)
    return HclList(sorted(seen, key=str) if all(isinstance(s, str) for s in seen) else seen)


def _tostring(value: object) -> object:
    if isinstance(value, str | RefValue | Symbolic):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return UNKNOWN


def _tonumber(value: object) -> object:
    return to_number(value)


def _string_function(function: Callable[..., str]) -> Callable[..., object]:
    def wrapped(*args: object) -> object:
        if not all(isinstance(a, str | int) and not isinstance(a, bool) for a in args):
            return UNKNOWN
        return function(*args)

    return wrapped


def _split(separator: object, text: object) -> object:
    if not isinstance(separator, str) or not isinstance(text, str):
        return UNKNOWN
    return HclList(text.split(separator)) if text else HclList()


def _replace(text: object, search: object, replacement: object) -> object:
    if not (isinstance(text, str) and isinstance(search, str) and isinstance(replacement, str)):
        return UNKNOWN
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return re.sub(search[1:-1], replacement.replace("$", "\\"), text)
    return text.replace(search, replacement)


def _keys(value: object) -> object:
    return HclList(sorted(value)) if isinstance(value, dict) else UNKNOWN


def _values(value: object) -> object:
    return HclList(value[k] for k in sorted(value)) if isinstance(value, dict) else UNKNOWN


def _contains(collection: object, value: object) -> object:
    if not isinstance(collection, list | tuple) or not _known(collection, value):
        return UNKNOWN
    return value in collection


def _compact(value: object) -> object:
    if not isinstance(value, list | tuple) or not _known(value):
        return UNKNOWN
    return HclList(v for v in value if v not in (None, ""))


def _distinct(value: object) -> object:
    if not isinstance(value, list | tuple):
        return UNKNOWN
    result = HclList()
    for v in value:
        if v not in result:
            result.append(v)
    return result


def _numbers(function: Callable[..., object]) -> Callable[..., object]:
    def wrapped(*args: object) -> object:
        numbers = [to_number(a) for a in args]
        if any(n is UNKNOWN for n in numbers):
            return UNKNOWN
        return function(*numbers)

    return wrapped


def _one(value: object) -> object:
    if isinstance(value, list | tuple):
        if len(value) == 0:
            return None
        if len(value) == 1:
            return value[0]
    return UNKNOWN


def _zipmap(keys: object, values: object) -> object:
    if not (isinstance(keys, list | tuple) and isinstance(values, list | tuple)) or len(keys) != len(values):
        return UNKNOWN
    if not all(isinstance(k, str) for k in keys):
        return UNKNOWN
    return HclObject(zip(keys, values, strict=True))


def _range(*args: object) -> object:
    numbers = [to_number(a) for a in args]
    if any(not isinstance(n, int) for n in numbers) or not 1 <= len(numbers) <= 3:
        return UNKNOWN
    return HclList(range(*numbers))  # type: ignore[arg-type]


def _tomap(value: object) -> object:
    return HclObject(value) if isinstance(value, dict) else UNKNOWN


def _sort(value: object) -> object:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return UNKNOWN
    return HclList(sorted(value))  # type: ignore[type-var]


def _reverse(value: object) -> object:
    return HclList(reversed(value)) if isinstance(value, list | tuple) else UNKNOWN


def _slice(value: object, start: object, end: object) -> object:
    if not isinstance(value, list | tuple) or not isinstance(start, int) or not isinstance(end, int):
        return UNKNOWN
    return HclList(value[start:end])


def _substr(text: object, offset: object, length: object) -> object:
    if not (isinstance(text, str) and isinstance(offset, int) and isinstance(length, int)):
        return UNKNOWN
    return text[offset:] if length == -1 else text[offset : offset + length]


def _formatlist(spec: object, *lists: object) -> object:
    if not all(isinstance(lst, list | tuple) for lst in lists):
        return UNKNOWN
    lengths = {len(lst) for lst in lists}  # type: ignore[arg-type]
    if len(lengths) != 1:
        return UNKNOWN
    return HclList(_format(spec, *items) for items in zip(*lists, strict=True))  # type: ignore[call-overload]


BUILTINS: dict[str, Callable[..., object]] = {
    "jsonencode": jsonencode,
    "jsondecode": jsondecode,
    "format": _format,
    "formatlist": _formatlist,
    "join": _join,
    "split": _split,
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "element": _element,
    "length": _length,
    "flatten": _flatten,
    "coalesce": _coalesce,
    "tolist": _tolist,
    "toset": _toset,
    "tomap": _tomap,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "lower": _string_function(str.lower),
    "upper": _string_function(str.upper),
    "trimspace": _string_function(str.strip),
    "trimprefix": _string_function(str.removeprefix),
    "trimsuffix": _string_function(str.removesuffix),
    "startswith": _string_function(str.startswith),
    "endswith": _string_function(str.endswith),
    "replace": _replace,
    "substr": _substr,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "compact": _compact,
    "distinct": _distinct,
    "min": _numbers(min),
    "max": _numbers(max),
    "abs": _numbers(abs),
    "ceil": _numbers(lambda n: int(-(-n // 1))),
    "floor": _numbers(lambda n: int(n // 1)),
    "one": _one,
    "zipmap": _zipmap,
    "range": _range,
    "sort": _sort,
    "reverse": _reverse,
    "slice": _slice,
}

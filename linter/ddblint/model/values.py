"""Values that expressions evaluate to, beyond plain Python data.

- `UNKNOWN`: cannot be known statically (a variable without a value, an unsupported function). Rules stay
  silent on it. It is never `None`, which is Terraform's `null`.
- `RefValue`: an attribute of a resource that Terraform only knows after apply (`aws_iam_role.r.arn`): known
  by identity, not by value, so rules can still follow it to the resource.
- `Symbolic`: a string with such parts, e.g. `"${aws_dynamodb_table.t.arn}/stream/*"`; when read from another
  resource's attribute (`aws_iam_role.r.name` whose name is `"${var.env}-role"`), it keeps that `origin`.
- `JsonText`: a string that is the JSON encoding of a value (`jsonencode(...)`), kept decoded.
- `HclObject`/`HclList`: dicts and lists that remember the line they were written on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value: compare with `is UNKNOWN`")

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()  # an attribute that is not written in the configuration (or is null)


@dataclass(frozen=True)
class RefValue:
    """`address.attribute` of a resource or data source, whose value is known only after apply."""

    address: str
    attribute: str

    def __str__(self) -> str:
        return f"${{{self.address}.{self.attribute}}}"


@dataclass(frozen=True)
class Symbolic:
    """A string made of literal text, `RefValue`s and `UNKNOWN` parts.

    `origin`: the resource attribute it was read from, as for `TracedStr` (not part of equality).
    """

    parts: tuple[str | RefValue | _Unknown, ...]
    origin: RefValue | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return "".join("${?}" if p is UNKNOWN else str(p) for p in self.parts)

    @property
    def refs(self) -> list[RefValue]:
        return [p for p in self.parts if isinstance(p, RefValue)]


@dataclass(frozen=True)
class JsonText:
    """The string `jsonencode(value)` would produce, with `value` kept as data."""

    value: object

    def __str__(self) -> str:
        return json.dumps(to_plain(self.value), separators=(",", ":"))


class TracedStr(str):
    """A string read from another resource's attribute (`aws_iam_role.r.name`), remembering where from.

    It compares and prints as the plain string; rules use `origin` to tell two same-named roles apart.
    """

    origin: RefValue

    def __new__(cls, value: str, origin: RefValue) -> TracedStr:
        instance = super().__new__(cls, value)
        instance.origin = origin
        return instance

    def __reduce__(self):
        return (TracedStr, (str(self), self.origin))


def origin_of(value: object) -> object:
    """The `RefValue` a TracedStr (or a Symbolic) was read from; any other value as it is."""
    if isinstance(value, TracedStr) or (isinstance(value, Symbolic) and value.origin is not None):
        return value.origin
    return value


def ref_of(value: object) -> RefValue | None:
    """The resource attribute a value stands for (`aws_x.y.id`, or a string read from one), else None."""
    value = origin_of(value)
    return value if isinstance(value, RefValue) else None


class HclObject(dict):
    """A dict that remembers its line, and the line of each key's value."""

    def __init__(self, *args, line: int = 0, lines: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines = lines or {}


class HclList(list):
    def __init__(self, *args, line: int = 0):
        super().__init__(*args)
        self.line = line


def is_known(value: object) -> bool:
    """True when the value is fully known data (no UNKNOWN, RefValue or Symbolic anywhere)."""
    if value is UNKNOWN or isinstance(value, RefValue | Symbolic):
        return False
    if isinstance(value, JsonText):
        return is_known(value.value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(is_known(v) for v in value)
    return True


def to_plain(value: object) -> object:
    """Plain JSON-able data; symbolic parts become their `${...}` text, UNKNOWN becomes `"${?}"`."""
    if value is UNKNOWN:
        return "${?}"
    if isinstance(value, RefValue | Symbolic | JsonText):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(v) for v in value]
    return value


# The most characters of one value a message quotes: a scanned file must not fill a PR comment (or leak
# more of a value than it needs to name it).
MAX_EXCERPT = 80


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when it was longer."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def as_text(value: object) -> str | None:
    """A short, human-readable rendering for messages (None for containers), at most MAX_EXCERPT long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return excerpt(str(value))
    if isinstance(value, RefValue | Symbolic | JsonText):
        return excerpt(str(value))
    if value is None:
        return "null"
    return None

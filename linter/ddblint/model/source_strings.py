"""Strings in handler code as the handler readers know them statically (`ddblint.model.python_source` for
Python, `ddblint.model.script_calls` for JavaScript/TypeScript): a literal, or a string built from literal text
and values (an f-string or concatenation, a template literal)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A string known statically."""

    value: str


@dataclass(frozen=True)
class Template:
    """A string built from parts: literal text (str) and the values put in (a reader's value, unknown ones
    included)."""

    parts: tuple[object, ...]

    def pattern(self) -> str:
        """The string with `*` for each part that is not known text: `uploads/${id}.json` -> `uploads/*.json`."""
        text = "".join(
            part if isinstance(part, str) else part.value if isinstance(part, Text) else "*" for part in self.parts
        )
        while "**" in text:
            text = text.replace("**", "*")
        return text


__all__ = ["Template", "Text"]

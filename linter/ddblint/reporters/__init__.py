"""Reporters turn a finished `Report` into text, JSON, SARIF, GitHub workflow commands, Markdown or a GitLab
Code Quality report.

They only format: findings arrive suppressed, configured and baselined, and leave in a stable order, with
relative paths and no timestamps. Every format is a function `(report, rules, *, color=False) -> str`, where
`rules` maps rule IDs to the `Rule`s whose metadata (summary, help URI, tags) the format shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ddblint.findings import Report
from ddblint.reporters import github, gitlab, json_report, markdown, sarif, text
from ddblint.rules import Rule

RenderFunction = Callable[..., str]

FORMATS: dict[str, RenderFunction] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "markdown": markdown.render,
    "gitlab": gitlab.render,
}


def render(format_name: str, report: Report, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    """`report` in the format called `format_name` (a key of `FORMATS`)."""
    try:
        render_format = FORMATS[format_name]
    except KeyError:
        raise ValueError(f"unknown format {format_name!r}: use {', '.join(FORMATS)}") from None
    return render_format(report, rules, color=color)

"""The README's rule list and commands match the code."""

import re
from pathlib import Path

from ddblint.cli import rules_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_rule_table_matches_registry():
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN_RULES -->\n(.*?)\n<!-- END_RULES -->", text, re.S)
    assert match, "README has no BEGIN_RULES/END_RULES section"
    stale = "README rule table is stale: paste `ddblint rules --format markdown`"
    assert match.group(1).strip() == rules_markdown().strip(), stale


def test_readme_names_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text

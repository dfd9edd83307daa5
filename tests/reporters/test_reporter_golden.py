"""Every format, compared exactly with its golden file (see conftest.py to regenerate them)."""

from __future__ import annotations

import pytest
from ddblint.reporters import FORMATS, render

EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "github": "txt", "markdown": "md", "gitlab": "json"}


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_sample_report_matches_golden(format_name, sample_report, rules, golden):
    golden(f"sample.{format_name}.{EXTENSIONS[format_name]}", render(format_name, sample_report, rules))


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_clean_report_matches_golden(format_name, clean_report, rules, golden):
    golden(f"clean.{format_name}.{EXTENSIONS[format_name]}", render(format_name, clean_report, rules))


def test_coloured_text_matches_golden(sample_report, rules, golden):
    golden("sample.text-color.txt", render("text", sample_report, rules, color=True))

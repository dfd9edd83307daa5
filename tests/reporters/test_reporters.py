"""What holds for every format: the registry of formats, determinism, no absolute paths or timestamps."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest
from ddblint.reporters import FORMATS, render


def test_formats():
    assert sorted(FORMATS) == ["github", "gitlab", "json", "markdown", "sarif", "text"]


def test_unknown_format_is_a_clear_error(sample_report, rules):
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", sample_report, rules)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
@pytest.mark.parametrize("color", [False, True])
def test_shuffled_input_gives_identical_output(format_name, color, sample_report, rules):
    expected = render(format_name, sample_report, rules, color=color)
    shuffler = random.Random(20240601)
    for _ in range(5):
        findings = list(sample_report.findings)
        errors = list(sample_report.errors)
        shuffler.shuffle(findings)
        shuffler.shuffle(errors)
        shuffled = dataclasses.replace(sample_report, findings=findings, errors=errors)
        assert render(format_name, shuffled, rules, color=color) == expected


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_no_absolute_paths_or_timestamps(format_name, sample_report, rules):
    output = render(format_name, sample_report, rules)
    assert not re.search(r"(^|[\s=\"`(])/(?!/)[A-Za-z]", output), "absolute path in output"
    assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", output), "timestamp in output"


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_output_ends_with_one_newline(format_name, sample_report, clean_report, rules):
    for report in (sample_report, clean_report):
        output = render(format_name, report, rules)
        assert output.endswith("\n") and not output.endswith("\n\n")

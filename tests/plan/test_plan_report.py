"""Plan-only parts of the report (risky changes, notes) in every reporter; absent from a check's output."""

from __future__ import annotations

import json

from ddblint.findings import Location, PlanChange, Report
from ddblint.pipeline import rules_by_id
from ddblint.reporters import render
from ddblint.reporters.markdown import MAX_PLAN_CHANGES

CHANGE = PlanChange(
    "aws_lambda_event_source_mapping.m", "maximum_retry_attempts changes from 2 to unlimited (-1)", Location("a.tf", 3)
)


def test_reporters_show_plan_changes_and_notes():
    report = Report([], [], "0.1.0", plan_changes=[CHANGE], notes=["no .tf files in .: findings point at plan.json"])
    text = render("text", report, rules_by_id())
    assert "risky changes in this plan" in text and CHANGE.message in text and "note: no .tf files" in text
    document = json.loads(render("json", report, rules_by_id()))
    assert document["plan_changes"] == [CHANGE.to_dict()] and document["notes"]
    markdown = render("markdown", report, rules_by_id())
    assert "#### Risky changes in this plan" in markdown and "`a.tf:3`" in markdown


def test_check_reports_have_no_plan_keys():
    document = json.loads(render("json", Report([], [], "0.1.0"), rules_by_id()))
    assert "plan_changes" not in document and "notes" not in document
    assert "Risky" not in render("markdown", Report([], [], "0.1.0"), rules_by_id())


def test_many_changes_are_cut_with_a_note():
    changes = [PlanChange(f"aws_lambda_function.f{i:03}", "timeout is lowered") for i in range(MAX_PLAN_CHANGES + 7)]
    markdown = render("markdown", Report([], [], "0.1.0", plan_changes=changes), rules_by_id())
    assert "7 more risky changes not shown." in markdown
    assert markdown.count("timeout is lowered") == MAX_PLAN_CHANGES

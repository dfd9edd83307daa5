"""Baseline files: their exact format, matching by fingerprint with multiplicity, and bad files."""

from __future__ import annotations

import dataclasses
import json

import pytest
from ddblint.baseline import Baseline, BaselineEntry, BaselineError, load_baseline, write_baseline
from ddblint.findings import Location


def test_written_file_is_sorted_stable_and_ends_with_a_newline(tmp_path, make_finding):
    findings = [
        make_finding("STR201", "aws_lambda_event_source_mapping.orders", "b.tf", 3, "role cannot read"),
        make_finding("IAM102", "aws_iam_policy.app", "a.tf", 9, 'Resource "*" with dynamodb:GetItem'),
        make_finding("IAM101", "aws_iam_policy.app", "a.tf", 2, "Action dynamodb:*"),
    ]
    findings = [dataclasses.replace(f, root="stacks/prod") for f in findings]
    path = tmp_path / "baseline.json"
    boundary = tmp_path / "project"
    write_baseline(path, findings, boundary=boundary)
    text = path.read_text(encoding="utf-8")
    assert text == (
        "{\n"
        '  "tool": "ddblint",\n'
        '  "version": 3,\n'
        '  "boundary": "project",\n'
        '  "findings": [\n'
        "    {\n"
        '      "fingerprint": "IAM101|stacks/prod|a.tf|aws_iam_policy.app",\n'
        '      "rule_id": "IAM101",\n'
        '      "root": "stacks/prod",\n'
        '      "file": "a.tf",\n'
        '      "address": "aws_iam_policy.app",\n'
        '      "message": "Action dynamodb:*"\n'
        "    },\n"
        "    {\n"
        '      "fingerprint": "IAM102|stacks/prod|a.tf|aws_iam_policy.app",\n'
        '      "rule_id": "IAM102",\n'
        '      "root": "stacks/prod",\n'
        '      "file": "a.tf",\n'
        '      "address": "aws_iam_policy.app",\n'
        '      "message": "Resource \\"*\\" with dynamodb:GetItem"\n'
        "    },\n"
        "    {\n"
        '      "fingerprint": "STR201|stacks/prod|b.tf|aws_lambda_event_source_mapping.orders",\n'
        '      "rule_id": "STR201",\n'
        '      "root": "stacks/prod",\n'
        '      "file": "b.tf",\n'
        '      "address": "aws_lambda_event_source_mapping.orders",\n'
        '      "message": "role cannot read"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )
    write_baseline(path, list(reversed(findings)), boundary=boundary)
    assert path.read_text(encoding="utf-8") == text


def test_round_trip(tmp_path, make_finding):
    findings = [make_finding("IAM101", "aws_iam_policy.app"), make_finding("IAM101", "aws_iam_policy.app")]
    path = tmp_path / "baseline.json"
    write_baseline(path, findings)
    baseline = load_baseline(path)
    assert baseline.entries == (BaselineEntry.of(findings[0]),) * 2
    assert baseline.filter(findings) == ([], 2)


def test_empty_baseline(tmp_path, make_finding):
    path = tmp_path / "baseline.json"
    write_baseline(path, [])
    finding = make_finding("IAM101", "aws_iam_policy.app")
    assert load_baseline(path).filter([finding]) == ([finding], 0)


def test_moved_lines_stay_baselined(make_finding):
    before = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5)
    after = dataclasses.replace(before, location=Location("main.tf", 42, 7))
    assert Baseline.of([before]).filter([after]) == ([], 1)


def test_reworded_message_stays_baselined(make_finding):
    old = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5, "Action dynamodb:*")
    reworded = dataclasses.replace(old, message="Statement[0] allows dynamodb:* (every action of the service)")
    assert Baseline.of([old]).filter([reworded]) == ([], 1)


def test_changed_address_file_root_or_rule_is_new(make_finding):
    old = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5, "Action dynamodb:*")
    baseline = Baseline.of([old])
    changed = [
        dataclasses.replace(old, root="envs/dev"),
        dataclasses.replace(old, address="aws_iam_policy.other"),
        dataclasses.replace(old, location=Location("iam.tf", 5)),
        dataclasses.replace(old, rule_id="IAM102"),
    ]
    for finding in changed:
        assert baseline.filter([finding]) == ([finding], 0)


def test_one_baselined_copy_leaves_the_second_new(make_finding):
    first = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5)
    second = dataclasses.replace(first, location=Location("main.tf", 9))
    baseline = Baseline.of([first])
    # The one that sorts last is the new one, whatever the input order.
    assert baseline.filter([second, first]) == ([second], 1)
    assert baseline.filter([first, second]) == ([second], 1)


def test_more_copies_in_the_baseline_than_now(make_finding):
    finding = make_finding("IAM101", "aws_iam_policy.app")
    assert Baseline.of([finding] * 3).filter([finding]) == ([], 1)


def test_filter_keeps_input_order_of_new_findings(make_finding):
    b = make_finding("IAM101", "aws_iam_policy.b", "b.tf")
    a = make_finding("IAM101", "aws_iam_policy.a", "a.tf")
    assert Baseline.of([]).filter([b, a]) == ([b, a], 0)


def test_missing_file(tmp_path):
    with pytest.raises(BaselineError, match="baseline file not found") as caught:
        load_baseline(tmp_path / "nope.json")
    assert str(tmp_path / "nope.json") in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"not valid JSON: .*line 1 column 2"),
        ("[]", r'not a ddblint baseline \(expected "tool": "ddblint"\)'),
        ('{"tool": "other", "version": 1, "findings": []}', r"not a ddblint baseline"),
        ('{"tool": "ddblint", "version": 4, "findings": []}', r"baseline version 4 is not supported"),
        ('{"tool": "ddblint", "findings": []}', r"baseline version None is not supported"),
        ('{"tool": "ddblint", "version": 1}', r'"findings" must be a list'),
        (
            '{"tool": "ddblint", "version": 1, "findings": [{"rule_id": "IAM101"}]}',
            r'finding 1 has no "fingerprint"',
        ),
        ('{"tool": "ddblint", "version": 1, "findings": ["IAM101"]}', r'finding 1 has no "fingerprint"'),
    ],
)
def test_garbled_file(tmp_path, text, message):
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match=message) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_not_utf8(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_bytes(b"\xff\xfe{")
    with pytest.raises(BaselineError, match="cannot read the baseline"):
        load_baseline(path)


def test_write_into_a_missing_directory(tmp_path):
    with pytest.raises(BaselineError, match="cannot write the baseline"):
        write_baseline(tmp_path / "no" / "such" / "dir.json", [])


def test_non_ascii_messages_are_kept_readable(tmp_path, make_finding):
    path = tmp_path / "baseline.json"
    write_baseline(path, [make_finding("IAM101", "aws_iam_policy.app", message="Tabelle „Bestellungen“")])
    assert "„Bestellungen“" in path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["findings"][0]["message"] == "Tabelle „Bestellungen“"


def test_findings_of_two_roots_are_baselined_apart(tmp_path, make_finding):
    """A shared module checked from two root modules gives two findings; the baseline tells them apart."""
    shared = make_finding("IAM101", "module.shared.aws_iam_policy.app", "shared/main.tf", 4, "Action dynamodb:*")
    prod, dev = dataclasses.replace(shared, root="envs/prod"), dataclasses.replace(shared, root="envs/dev")
    path = tmp_path / "baseline.json"
    write_baseline(path, [prod])
    assert load_baseline(path).filter([prod, dev]) == ([dev], 1)


def test_version_1_baseline_matches_without_the_root(tmp_path, make_finding):
    finding = dataclasses.replace(make_finding("IAM101", "aws_iam_policy.app", "a.tf", 2, "m"), root=".")
    entry = {"fingerprint": "IAM101|a.tf|aws_iam_policy.app|m", "rule_id": "IAM101"}
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"tool": "ddblint", "version": 1, "findings": [entry]}), encoding="utf-8")
    assert load_baseline(path).filter([finding]) == ([], 1)


def test_version_2_baseline_matches_whatever_its_messages_say(tmp_path, make_finding):
    finding = dataclasses.replace(make_finding("IAM101", "aws_iam_policy.app", "a.tf", 2, "new wording"), root=".")
    entry = {
        "fingerprint": "IAM101|.|a.tf|aws_iam_policy.app|old wording",
        "rule_id": "IAM101",
        "root": ".",
        "file": "a.tf",
        "address": "aws_iam_policy.app",
        "message": "old wording",
    }
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"tool": "ddblint", "version": 2, "findings": [entry]}), encoding="utf-8")
    assert load_baseline(path).filter([finding]) == ([], 1)


def test_paths_move_with_the_scan_boundary(tmp_path, make_finding):
    """Written with the boundary at tmp_path (`ddblint check cfg`), read with it at tmp_path/cfg
    (`cd cfg && ddblint check .`): the entries' paths are moved to the new boundary."""
    (tmp_path / "cfg").mkdir()
    from_parent = dataclasses.replace(make_finding("IAM101", "aws_iam_policy.app", "cfg/main.tf", 2), root="cfg")
    from_inside = dataclasses.replace(from_parent, location=Location("main.tf", 2), root=".")
    path = tmp_path / "b.json"
    write_baseline(path, [from_parent], boundary=tmp_path)
    assert json.loads(path.read_text(encoding="utf-8"))["boundary"] == "."
    baseline = load_baseline(path)
    assert baseline.filter([from_inside], tmp_path / "cfg") == ([], 1)
    assert baseline.filter([from_parent], tmp_path) == ([], 1)
    # A finding in another file is still new after the move.
    other = dataclasses.replace(from_inside, location=Location("other.tf", 2))
    assert baseline.filter([other], tmp_path / "cfg") == ([other], 0)


def test_a_moved_baseline_file_matches_paths_as_written(tmp_path, make_finding):
    """Inside git the boundary is the work tree wherever the baseline lives: moving the file into ci/ keeps
    its entries matching as written."""
    finding = dataclasses.replace(make_finding("IAM101", "aws_iam_policy.app", "cfg/main.tf", 2), root="cfg")
    (tmp_path / "ci").mkdir()
    write_baseline(tmp_path / "b.json", [finding], boundary=tmp_path)
    moved = tmp_path / "ci" / "b.json"
    moved.write_text((tmp_path / "b.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_baseline(moved).filter([finding], tmp_path) == ([], 1)

"""The one step after the rules: excludes, selection, severities, suppressions and baseline, in that order."""

from __future__ import annotations

from ddblint.baseline import Baseline
from ddblint.config import Config
from ddblint.findings import Severity
from ddblint.postprocess import postprocess
from ddblint.suppressions import BlockSpan, Suppression

BLOCKS = [BlockSpan("aws_iam_policy.app", "main.tf", 3, 7)]


def test_nothing_configured_keeps_everything_sorted(make_finding, rules_by_id):
    b = make_finding("IAM101", "aws_iam_policy.b", "b.tf", 1)
    a2 = make_finding("IAM102", "aws_iam_policy.a", "a.tf", 9)
    a1 = make_finding("STR201", "aws_lambda_event_source_mapping.m", "a.tf", 2)
    result = postprocess([b, a2, a1], config=Config(), rules_by_id=rules_by_id)
    assert result.findings == [a1, a2, b]
    assert result.suppressed == []
    assert result.baselined == 0


def test_excluded_paths_are_dropped(make_finding, rules_by_id):
    kept = make_finding("IAM101", "aws_iam_policy.a", "main.tf")
    dropped = make_finding("IAM101", "aws_iam_policy.b", "legacy/old.tf")
    result = postprocess([kept, dropped], config=Config(exclude=("legacy/**",)), rules_by_id=rules_by_id)
    assert result.findings == [kept]


def test_unselected_and_ignored_rules_are_dropped(make_finding, rules_by_id):
    findings = [
        make_finding("IAM101", "aws_iam_policy.a"),
        make_finding("IAM106", "aws_iam_role.r"),
        make_finding("STR201", "aws_lambda_event_source_mapping.m"),
    ]
    config = Config(select=("IAM",), ignore=("IAM106",))
    result = postprocess(findings, config=config, rules_by_id=rules_by_id)
    assert [f.rule_id for f in result.findings] == ["IAM101"]


def test_severity_overrides_replace_only_configured_rules(make_finding, rules_by_id):
    # LAM302 came out as an error from its check (a context-dependent severity); no override keeps it.
    findings = [
        make_finding("IAM102", "aws_iam_policy.a", line=1),
        make_finding("LAM302", "aws_lambda_function.f", line=2, severity=Severity.ERROR),
    ]
    config = Config(severity={"IAM102": Severity.INFO})
    result = postprocess(findings, config=config, rules_by_id=rules_by_id)
    assert [(f.rule_id, f.severity) for f in result.findings] == [
        ("IAM102", Severity.INFO),
        ("LAM302", Severity.ERROR),
    ]


def test_suppressed_findings_are_counted_apart(make_finding, rules_by_id):
    hidden = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 5)
    shown = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5)
    suppressions = [Suppression("main.tf", 2, ("IAM102",), "ADR-7", next_code_line=3)]
    result = postprocess(
        [hidden, shown], config=Config(), rules_by_id=rules_by_id, suppressions=suppressions, blocks=BLOCKS
    )
    assert result.findings == [shown]
    assert result.suppressed == [hidden]


def test_suppression_problems_are_reported_with_the_findings(make_finding, rules_by_id):
    finding = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5)
    suppressions = [
        Suppression("main.tf", 2, ("IAM102",), "ADR-7", next_code_line=3),
        Suppression("main.tf", 4, ("IAM101",), ""),
    ]
    result = postprocess([finding], config=Config(), rules_by_id=rules_by_id, suppressions=suppressions, blocks=BLOCKS)
    assert [(f.rule_id, f.location.line) for f in result.findings] == [
        ("DDB002", 2),
        ("DDB001", 4),
        ("IAM101", 5),
    ]


def test_suppression_problems_follow_select_ignore_and_severity(rules_by_id):
    suppressions = [Suppression("main.tf", 2, ("IAM102",), "why"), Suppression("main.tf", 4, ("IAM101",), "")]
    config = Config(ignore=("DDB001",), severity={"DDB002": Severity.WARNING})
    result = postprocess([], config=config, rules_by_id=rules_by_id, suppressions=suppressions)
    assert [(f.rule_id, f.severity) for f in result.findings] == [("DDB002", Severity.WARNING)]


def test_suppressions_in_excluded_files_are_not_reported(rules_by_id):
    suppressions = [Suppression("legacy/main.tf", 2, ("IAM102",), "why")]
    config = Config(exclude=("legacy/**",))
    assert postprocess([], config=config, rules_by_id=rules_by_id, suppressions=suppressions).findings == []


def test_suppression_of_an_unselected_rule_is_not_reported_unused(rules_by_id):
    suppressions = [Suppression("main.tf", 2, ("IAM102",), "why")]
    config = Config(select=("STR",))
    assert postprocess([], config=config, rules_by_id=rules_by_id, suppressions=suppressions).findings == []


def test_suppression_of_an_unknown_rule_is_reported(rules_by_id):
    suppressions = [Suppression("main.tf", 2, ("IAM999",), "why")]
    [problem] = postprocess([], config=Config(), rules_by_id=rules_by_id, suppressions=suppressions).findings
    assert problem.message == "suppression names unknown rule ID IAM999"


def test_baseline_comes_last(make_finding, rules_by_id):
    old = make_finding("IAM101", "aws_iam_policy.a", "main.tf", 1)
    new = make_finding("IAM101", "aws_iam_policy.b", "main.tf", 9)
    hidden = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 5)
    baseline = Baseline.of([old, hidden])
    suppressions = [Suppression("main.tf", 2, ("IAM102",), "ADR-7", next_code_line=3)]
    result = postprocess(
        [new, old, hidden],
        config=Config(),
        rules_by_id=rules_by_id,
        suppressions=suppressions,
        blocks=BLOCKS,
        baseline=baseline,
    )
    assert result.findings == [new]
    assert result.suppressed == [hidden]
    # The suppressed finding never reaches the baseline, so only `old` counts as baselined.
    assert result.baselined == 1


def test_baseline_matches_after_a_severity_override(make_finding, rules_by_id):
    finding = make_finding("IAM101", "aws_iam_policy.a")
    baseline = Baseline.of([finding])
    config = Config(severity={"IAM101": Severity.WARNING})
    result = postprocess([finding], config=config, rules_by_id=rules_by_id, baseline=baseline)
    assert (result.findings, result.baselined) == ([], 1)


def test_baseline_can_hold_suppression_problems(rules_by_id):
    suppressions = [Suppression("main.tf", 2, ("IAM102",), "why")]
    first = postprocess([], config=Config(), rules_by_id=rules_by_id, suppressions=suppressions)
    baseline = Baseline.of(first.findings)
    second = postprocess([], config=Config(), rules_by_id=rules_by_id, suppressions=suppressions, baseline=baseline)
    assert (second.findings, second.baselined) == ([], 1)

"""`# ddblint:ignore[ID] reason` comments: how they are read, what they suppress, and what they report."""

from __future__ import annotations

import pytest
from ddblint.findings import Location, Severity
from ddblint.suppressions import (
    SUPPRESSION_WITHOUT_REASON,
    UNUSED_SUPPRESSION,
    BlockSpan,
    Suppression,
    apply_suppressions,
    parse_suppressions,
)

KNOWN_IDS = {"IAM101", "IAM102", "IAM106", "STR201", "LAM302", "RTY406", "OPS605"}

# Line numbers matter below: each line's number is in the comment at its right.
MAIN_TF = """\
# Orders service policies.
# ddblint:ignore[IAM102] ListTables only accepts "*", see ADR-7
resource "aws_iam_policy" "app" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "dynamodb:ListTables", Resource = "*" }]
  })
}

resource "aws_iam_policy" "other" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}
"""
MAIN_TF_BLOCKS = [
    BlockSpan("aws_iam_policy.app", "main.tf", 3, 7),
    BlockSpan("aws_iam_policy.other", "main.tf", 9, 13),
]


def suppress(findings, suppressions, blocks=(), **kwargs):
    return apply_suppressions(findings, suppressions, blocks, known_ids=KNOWN_IDS, **kwargs)


def problem_messages(result):
    return [(p.rule_id, p.location.line, p.message) for p in result.problems]


# --- reading the comments ---


def test_parse_reads_ids_reason_and_position():
    assert parse_suppressions("main.tf", MAIN_TF) == [
        Suppression(
            file="main.tf",
            line=2,
            rule_ids=("IAM102",),
            reason='ListTables only accepts "*", see ADR-7',
            column=1,
            next_code_line=3,
        )
    ]


def test_parse_several_ids_slash_comments_and_case():
    text = '  // ddblint:ignore[iam101, IAM102]: both are reviewed\nresource "a" "b" {}\n'
    [suppression] = parse_suppressions("x.tf", text)
    assert suppression.rule_ids == ("IAM101", "IAM102")
    assert suppression.reason == "both are reviewed"
    assert suppression.column == 3


def test_parse_tolerates_spaces_around_the_keyword():
    [suppression] = parse_suppressions("x.tf", "#ddblint: ignore [IAM101] why\n")
    assert (suppression.rule_ids, suppression.reason) == (("IAM101",), "why")


def test_parse_reason_separators_are_dropped():
    [suppression] = parse_suppressions("x.tf", "# ddblint:ignore[IAM101] -- legacy role, removed in Q3\n")
    assert suppression.reason == "legacy role, removed in Q3"


def test_parse_empty_reason():
    [suppression] = parse_suppressions("x.tf", "# ddblint:ignore[IAM101]   \n")
    assert suppression.reason == ""


def test_parse_trailing_comment_has_no_next_code_line():
    [suppression] = parse_suppressions("x.tf", 'resource "a" "b" { # ddblint:ignore[IAM101] why\n}\n')
    assert (suppression.line, suppression.next_code_line) == (1, None)


def test_parse_stacked_comments_point_at_the_line_below_them():
    text = '# ddblint:ignore[IAM101] why\n# more words\n// and more\nresource "a" "b" {}\n'
    [suppression] = parse_suppressions("x.tf", text)
    assert suppression.next_code_line == 4


def test_parse_blank_line_below_cuts_the_link_to_the_block():
    text = '# ddblint:ignore[IAM101] why\n\nresource "a" "b" {}\n'
    [suppression] = parse_suppressions("x.tf", text)
    assert suppression.next_code_line is None


def test_parse_comment_at_end_of_file():
    [suppression] = parse_suppressions("x.tf", "# ddblint:ignore[IAM101] why")
    assert suppression.next_code_line is None


def test_parse_skips_strings_and_heredocs():
    text = """\
resource "aws_iam_policy" "a" {
  description = "see # ddblint:ignore[IAM101] in the docs"
  name        = "x" # ddblint:ignore[IAM102] real one
  policy      = <<-EOF
    # ddblint:ignore[IAM106] inside a heredoc
  EOF
  tags = { Note = "a \\" # ddblint:ignore[STR201] escaped quote" }
}
# ddblint:ignore[LAM302] after the heredoc
"""
    found = [(s.line, s.rule_ids) for s in parse_suppressions("a.tf", text)]
    assert found == [(3, ("IAM102",)), (9, ("LAM302",))]


@pytest.mark.parametrize(
    "line",
    [
        "# see ddblint:ignore[IAM101] for how to suppress",
        "# ddblint:ignored[IAM101] not the keyword",
        "# ddblint:ignore-next[IAM101] not the keyword",
        "# ddblint:noqa[IAM101] why",
        "resource_ddblint:ignore = 1",
    ],
)
def test_parse_ignores_other_comments(line):
    assert parse_suppressions("x.tf", line + "\n") == []


def test_parse_comment_without_brackets_has_no_ids():
    [suppression] = parse_suppressions("x.tf", "# ddblint:ignore IAM101 because\n")
    assert suppression.rule_ids == ()


# --- what they suppress ---


def test_comment_above_block_header_suppresses_finding_in_the_block(make_finding):
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 5)
    result = suppress([finding], parse_suppressions("main.tf", MAIN_TF), MAIN_TF_BLOCKS)
    assert result.suppressed == [finding]
    assert result.kept == []
    assert result.problems == []


def test_other_rule_in_the_same_block_is_kept(make_finding):
    finding = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 5)
    result = suppress([finding], parse_suppressions("main.tf", MAIN_TF), MAIN_TF_BLOCKS)
    assert result.kept == [finding]
    assert problem_messages(result) == [("DDB002", 2, "suppression of IAM102 matches no finding")]


def test_same_rule_in_the_next_block_is_kept(make_finding):
    # The comment stands two blocks above aws_iam_policy.other: it covers only the block right below it.
    finding = make_finding("IAM102", "aws_iam_policy.other", "main.tf", 11)
    result = suppress([finding], parse_suppressions("main.tf", MAIN_TF), MAIN_TF_BLOCKS)
    assert result.kept == [finding]
    assert [p.rule_id for p in result.problems] == ["DDB002"]


def test_same_rule_and_address_in_another_file_is_kept(make_finding):
    finding = make_finding("IAM102", "aws_iam_policy.app", "other.tf", 5)
    blocks = [BlockSpan("aws_iam_policy.app", "other.tf", 3, 7)]
    result = suppress([finding], parse_suppressions("main.tf", MAIN_TF), blocks)
    assert result.kept == [finding]


def test_blank_line_between_comment_and_header_does_not_suppress(make_finding):
    text = '# ddblint:ignore[IAM102] why\n\nresource "aws_iam_policy" "app" {\n  policy = "x"\n}\n'
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 4)
    result = suppress(
        [finding], parse_suppressions("main.tf", text), [BlockSpan("aws_iam_policy.app", "main.tf", 3, 5)]
    )
    assert result.kept == [finding]
    assert [p.rule_id for p in result.problems] == ["DDB002"]


def test_stacked_comments_above_header_suppress(make_finding):
    text = '# ddblint:ignore[IAM102] why\n# a second line of explanation\nresource "aws_iam_policy" "app" {\n}\n'
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 3)
    result = suppress(
        [finding], parse_suppressions("main.tf", text), [BlockSpan("aws_iam_policy.app", "main.tf", 3, 4)]
    )
    assert result.suppressed == [finding]


def test_comment_inside_the_block_suppresses_any_line_of_it(make_finding):
    text = MAIN_TF.replace(
        "  })\n}\n\nresource", "  })\n  # ddblint:ignore[IAM101] admin policy by design\n}\n\nresource"
    )
    blocks = [BlockSpan("aws_iam_policy.app", "main.tf", 3, 8)]
    finding = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 3)
    result = suppress([finding], [s for s in parse_suppressions("main.tf", text) if s.line == 7], blocks)
    assert result.suppressed == [finding]


def test_trailing_comment_on_header_suppresses(make_finding):
    text = 'resource "aws_iam_policy" "app" { # ddblint:ignore[IAM101] why\n  policy = "x"\n}\n'
    finding = make_finding("IAM101", "aws_iam_policy.app", "main.tf", 2)
    result = suppress(
        [finding], parse_suppressions("main.tf", text), [BlockSpan("aws_iam_policy.app", "main.tf", 1, 3)]
    )
    assert result.suppressed == [finding]


def test_comment_inside_one_block_does_not_suppress_another_address(make_finding):
    suppression = Suppression("main.tf", 10, ("IAM102",), "why")
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 5)
    result = suppress([finding], [suppression], MAIN_TF_BLOCKS)
    assert result.kept == [finding]


def test_fallback_same_line_or_line_above_the_finding(make_finding):
    # The finding's address has no block here (e.g. it is located in another resource's attribute).
    finding = make_finding("STR201", "aws_lambda_event_source_mapping.orders", "iam.tf", 20)
    for line in (19, 20):
        result = suppress([finding], [Suppression("iam.tf", line, ("STR201",), "why")])
        assert result.suppressed == [finding], line


@pytest.mark.parametrize("line", [18, 21])
def test_fallback_does_not_reach_further(make_finding, line):
    finding = make_finding("STR201", "aws_lambda_event_source_mapping.orders", "iam.tf", 20)
    result = suppress([finding], [Suppression("iam.tf", line, ("STR201",), "why")])
    assert result.kept == [finding]


def test_finding_located_outside_its_block_file_is_suppressed_at_the_block(make_finding):
    # An IAM finding located in a policy JSON file, attached to the policy resource written in main.tf.
    finding = make_finding("IAM102", "aws_iam_policy.app", "policies/app.json", 4)
    result = suppress([finding], parse_suppressions("main.tf", MAIN_TF), MAIN_TF_BLOCKS)
    assert result.suppressed == [finding]


def test_instance_keys_are_ignored_when_matching_blocks(make_finding):
    findings = [
        make_finding("IAM102", "aws_iam_policy.app[0]", "main.tf", 5),
        make_finding("IAM102", 'aws_iam_policy.app["eu-west-1"]', "main.tf", 5),
    ]
    result = suppress(findings, parse_suppressions("main.tf", MAIN_TF), MAIN_TF_BLOCKS)
    assert result.suppressed == findings


def test_module_file_suppression_covers_every_call_of_the_module(make_finding):
    text = (
        'resource "aws_lambda_function" "this" {\n'
        "  # ddblint:ignore[LAM302] batch job, 5 s is plenty\n"
        "  timeout = 5\n"
        "}\n"
    )
    blocks = [
        BlockSpan("module.orders.aws_lambda_function.this", "modules/fn/main.tf", 1, 4),
        BlockSpan("module.payments.aws_lambda_function.this", "modules/fn/main.tf", 1, 4),
    ]
    findings = [
        make_finding("LAM302", "module.orders.aws_lambda_function.this", "modules/fn/main.tf", 3),
        make_finding("LAM302", 'module.payments["eu"].aws_lambda_function.this', "modules/fn/main.tf", 3),
    ]
    result = suppress(findings, parse_suppressions("modules/fn/main.tf", text), blocks)
    assert result.suppressed == findings
    assert result.problems == []


def test_suppression_on_a_module_call_covers_the_resources_inside(make_finding):
    text = '# ddblint:ignore[LAM302] vendored module, tracked in JIRA-12\nmodule "orders" {\n  source = "x"\n}\n'
    blocks = [BlockSpan("module.orders", "main.tf", 2, 4)]
    inside = make_finding("LAM302", "module.orders.module.fn.aws_lambda_function.this", ".terraform/m/main.tf", 9)
    elsewhere = make_finding("LAM302", "module.ordersx.aws_lambda_function.this", ".terraform/m/main.tf", 9)
    result = suppress([inside, elsewhere], parse_suppressions("main.tf", text), blocks)
    assert result.suppressed == [inside]
    assert result.kept == [elsewhere]


def test_one_suppression_with_several_ids(make_finding):
    text = '# ddblint:ignore[IAM101,IAM102] admin tooling role\nresource "aws_iam_policy" "app" {\n}\n'
    blocks = [BlockSpan("aws_iam_policy.app", "main.tf", 2, 3)]
    findings = [
        make_finding("IAM101", "aws_iam_policy.app", "main.tf", 2),
        make_finding("IAM102", "aws_iam_policy.app", "main.tf", 2),
    ]
    result = suppress(findings, parse_suppressions("main.tf", text), blocks)
    assert result.suppressed == findings
    assert result.problems == []


# --- what they report ---


def test_suppression_without_reason_does_not_suppress_and_is_reported(make_finding):
    text = '# ddblint:ignore[IAM102]\nresource "aws_iam_policy" "app" {\n}\n'
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 2)
    result = suppress(
        [finding], parse_suppressions("main.tf", text), [BlockSpan("aws_iam_policy.app", "main.tf", 2, 3)]
    )
    assert result.kept == [finding]
    [problem] = result.problems
    assert problem.rule_id == SUPPRESSION_WITHOUT_REASON.id == "DDB001"
    assert problem.rule_name == "suppression-without-reason"
    assert problem.severity is Severity.INFO
    assert problem.address == "main.tf"
    assert problem.location == Location("main.tf", 1, 1)
    assert problem.message == "suppression of IAM102 gives no reason, so it suppresses nothing"
    assert "# ddblint:ignore[IAM102] <reason>" in problem.fix


def test_unused_suppression_is_reported_at_the_comment():
    result = suppress([], [Suppression("modules/fn/main.tf", 7, ("IAM101",), "why", column=3)])
    [problem] = result.problems
    assert problem.rule_id == UNUSED_SUPPRESSION.id == "DDB002"
    assert problem.rule_name == "unused-suppression"
    assert problem.severity is Severity.INFO
    assert problem.location == Location("modules/fn/main.tf", 7, 3)
    assert problem.message == "suppression of IAM101 matches no finding"
    assert "remove IAM101" in problem.fix


def test_partly_used_suppression_names_only_the_unused_ids(make_finding):
    text = '# ddblint:ignore[IAM101,IAM102,IAM106] admin tooling role\nresource "aws_iam_policy" "app" {\n}\n'
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 2)
    result = suppress(
        [finding], parse_suppressions("main.tf", text), [BlockSpan("aws_iam_policy.app", "main.tf", 2, 3)]
    )
    assert result.suppressed == [finding]
    assert problem_messages(result) == [("DDB002", 1, "suppression of IAM101, IAM106 matches no finding")]


def test_unknown_and_prefix_ids_are_reported(make_finding):
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 5)
    suppressions = [Suppression("main.tf", 4, ("IAM102", "IAM", "XYZ999"), "why")]
    result = suppress([finding], suppressions)
    assert result.suppressed == [finding]
    assert problem_messages(result) == [("DDB002", 4, "suppression names unknown rule ID IAM, XYZ999")]
    assert "prefixes are not accepted" in result.problems[0].fix


def test_prefix_id_does_not_suppress(make_finding):
    finding = make_finding("IAM102", "aws_iam_policy.app", "main.tf", 5)
    result = suppress([finding], [Suppression("main.tf", 4, ("IAM",), "why")])
    assert result.kept == [finding]


def test_unknown_ids_are_not_checked_without_known_ids():
    result = apply_suppressions([], [Suppression("main.tf", 4, ("XYZ999",), "why")], [])
    assert problem_messages(result) == [("DDB002", 4, "suppression of XYZ999 matches no finding")]


def test_comment_without_ids_is_reported():
    result = suppress([], [Suppression("main.tf", 4, (), "because")])
    assert problem_messages(result) == [("DDB002", 4, "suppression names no rule IDs, so it suppresses nothing")]


def test_suppression_of_a_rule_that_did_not_run_is_not_reported_unused():
    suppressions = [
        Suppression("main.tf", 4, ("IAM101",), "why"),
        Suppression("main.tf", 9, ("IAM102",), "why"),
    ]
    result = suppress([], suppressions, checked_ids={"IAM102"})
    assert problem_messages(result) == [("DDB002", 9, "suppression of IAM102 matches no finding")]


def test_problems_are_sorted():
    suppressions = [Suppression("b.tf", 1, ("IAM101",), "why"), Suppression("a.tf", 9, ("IAM101",), "")]
    result = suppress([], suppressions)
    assert [(p.location.file, p.rule_id) for p in result.problems] == [("a.tf", "DDB001"), ("b.tf", "DDB002")]

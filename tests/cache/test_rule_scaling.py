"""Nothing the rules rely on may be quadratic in the number of resources: a role's attachments are found
through an index, and ARN pattern matching takes a regular-expression fast path that agrees with the general
matcher."""

from __future__ import annotations

from pathlib import Path

from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import policy
from ddblint.model.facts import facts_of
from ddblint.model.policy import Tri, match_tokens
from hypothesis import given, settings
from hypothesis import strategies as st

ROLE = """
resource "aws_iam_role" "r{i}" {{
  name               = "role-{i}"
  assume_role_policy = "{{}}"
}}

resource "aws_iam_role_policy" "p{i}" {{
  role   = aws_iam_role.r{i}.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "a{i}" {{
  role       = aws_iam_role.r{i}.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}}
"""
BY_NAME = """
resource "aws_iam_role_policy_attachment" "by_name" {
  role       = "role-3"
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}
"""


def test_role_attachments_are_found_without_scanning_every_pair(tmp_path: Path, monkeypatch) -> None:
    roles = 120
    (tmp_path / "main.tf").write_text("".join(ROLE.format(i=i) for i in range(roles)) + BY_NAME)
    model = TerraformLoader(tmp_path).load([tmp_path]).models[0]
    calls = 0
    original = policy.refers_to

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(policy, "refers_to", counting)
    found = {}
    for role in model.resources("aws_iam_role"):
        found[role.address] = facts_of(model).role_policies(role)
        assert facts_of(model).role_policies(role) is found[role.address]  # computed once per model and role
    assert calls <= 4 * roles  # each role looks at its own attachments and the one by name, not all 240
    r3 = found["aws_iam_role.r3"]
    assert [a.via.address for a in r3.attachments] == [
        "aws_iam_role_policy.p3",
        "aws_iam_role_policy_attachment.a3",
        "aws_iam_role_policy_attachment.by_name",
    ]
    assert [a.via.address for a in found["aws_iam_role.r4"].attachments] == [
        "aws_iam_role_policy.p4",
        "aws_iam_role_policy_attachment.a4",
    ]


def tokens(text: str) -> list[object]:
    return [policy._STAR if c == "*" else policy._QMARK if c == "?" else c for c in text]


class Char(str):
    """A target character the fast path does not take (it requires exact `str`): forces the general matcher."""


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab:/*?", max_size=10), st.text(alphabet="ab:/", max_size=10))
def test_the_fast_path_agrees_with_the_general_matcher(pattern: str, target: str) -> None:
    fast = policy._match_tokens(tokens(pattern), list(target))
    general = policy._match_tokens(tokens(pattern), [Char(c) for c in target])
    assert fast == general
    assert match_tokens(tokens(pattern), list(target)) == fast  # and the memo gives the same answer
    assert fast in (Tri.YES, Tri.NO)


def test_holes_still_take_the_general_matcher() -> None:
    hole = policy.Hole("account")
    assert match_tokens([*"arn:", policy._STAR], [*"arn:", hole]) is Tri.YES
    assert match_tokens([*"arn:1"], [*"arn:", hole]) is Tri.MAYBE

"""IAM101/IAM102 fix text names the service in question (a finding on `es:*` suggests OpenSearch actions)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from ddblint.rules.iam import SERVICE_EXAMPLES

from tests.rules.test_rule_fixtures import findings_of

HERE = Path(__file__).parent


def _fixes(case: Path, rule: str) -> list[str]:
    return [finding.fix for finding in sorted(findings_of(rule, case), key=lambda f: f.location.line)]


def test_wildcard_action_fix_names_the_service() -> None:
    fixes = _fixes(HERE / "IAM101" / "fires" / "other_service_wildcards", "IAM101")
    assert fixes == [
        'list the exact actions the function calls, e.g. ["es:ESHttpGet", "es:ESHttpPost"] instead of "es:*"',
        'list the exact actions the function calls, e.g. ["kms:Decrypt", "kms:GenerateDataKey"] instead of "kms:*"',
        'list the exact AWS Glue actions the function calls instead of "glue:*"',
    ]


def test_wildcard_resource_fix_names_the_service(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  name = "p"\n  policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [\n'
        '      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = "*" },\n'
        '      { Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = "*" },\n'
        "    ]\n  })\n}\n",
        encoding="utf-8",
    )
    assert _fixes(tmp_path, "IAM102") == [
        "set Resource to the exact ARNs, e.g. aws_kms_key.<name>.arn",
        "set Resource to the exact ARNs, e.g. aws_dynamodb_table.<name>.arn and "
        '"${aws_dynamodb_table.<name>.arn}/index/*"',
    ]


@pytest.mark.parametrize("service", sorted(SERVICE_EXAMPLES))
def test_every_example_action_exists(service: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import parliament

    (definition,) = [s for s in parliament.iam_definition if s["prefix"] == service]
    names = {privilege["privilege"] for privilege in definition["privileges"]}
    for action in SERVICE_EXAMPLES[service][0]:
        prefix, name = action.split(":")
        assert prefix == service and name in names, action

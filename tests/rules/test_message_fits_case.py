"""A finding's message and fix name no service or setting that its case does not have (issue: fix text that is
wrong for the case at hand is not acted on). For every `fires/` case of every rule: when the text names a
service or a setting below, the case's files (Terraform, policy JSON, handler source) mention it too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.rules.test_rule_fixtures import discover, findings_of

# A term of the text -> what the case must contain for the term to belong there (case-insensitive).
TERMS = {
    re.compile(r"\bDynamoDB\b"): ("dynamodb",),
    re.compile(r"\bKinesis\b"): ("kinesis",),
    re.compile(r"\bSQS\b"): ("sqs",),
    re.compile(r"\bSNS\b"): ("sns",),
    re.compile(r"\bOpenSearch\b"): ("es:", "opensearch", "elasticsearch"),
    re.compile(r"\bKMS\b"): ("kms",),
    re.compile(r"\bin a VPC\b|\bVPC\b"): ("vpc_config", "aws_vpc", "vpc"),
    re.compile(r"\bENI\b|network interface"): ("vpc_config", "ec2:"),
    re.compile(r"\bAPI Gateway\b"): ("aws_api_gateway", "aws_apigatewayv2"),
}
# How a message speaks of a stream whose kind (DynamoDB or Kinesis) is unknown.
ALTERNATIVES = re.compile(r"on a DynamoDB stream, .* on a Kinesis stream")
CASE_SUFFIXES = {".tf", ".json", ".py", ".js", ".mjs", ".ts", ".tfvars"}


def case_text(case: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace").lower()
        for path in sorted(case.rglob("*"))
        if path.is_file() and path.suffix in CASE_SUFFIXES
    )


FIRES = [(rule_id, case) for rule_id, kind, case in discover() if kind == "fires"]


@pytest.mark.parametrize(("rule_id", "case"), FIRES, ids=[f"{r}-{c.name}" for r, c in FIRES])
def test_text_names_only_what_the_case_has(rule_id: str, case: Path) -> None:
    text = case_text(case)
    findings = findings_of(rule_id, case)
    assert findings, f"{case} is a fires/ case without findings"
    for finding in findings:
        for term, evidence in TERMS.items():
            for field in (finding.message, finding.fix):
                if ALTERNATIVES.search(field) and term.pattern in (r"\bDynamoDB\b", r"\bKinesis\b"):
                    continue  # a stream of unknown kind: the text names both kinds as the alternatives
                match = term.search(field)
                if match and not any(word in text for word in evidence):
                    pytest.fail(
                        f"{rule_id} on {case.name} says {match.group(0)!r} with no {evidence} in the case: {field}"
                    )


# A resource inside a module instance, named as something to write: `module.a.aws_lambda_function.this`,
# `module.a["k"].module.b.data.aws_iam_policy_document.p`. The root cannot write it; it writes the module's
# outputs (`module.a.function_name`) or the module block's inputs.
ADDRESS_IN_MODULE = re.compile(
    r"\bmodule\.[\w-]+(?:\[[^\]]*\])?\.(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?aws_\w+\."
)


@pytest.mark.parametrize(("rule_id", "case"), FIRES, ids=[f"{r}-{c.name}" for r, c in FIRES])
def test_fix_names_no_resource_inside_a_module_to_write(rule_id: str, case: Path) -> None:
    for finding in findings_of(rule_id, case):
        match = ADDRESS_IN_MODULE.search(finding.fix)
        assert match is None, f"{rule_id} on {case.name} tells the root to write {match.group(0)!r}: {finding.fix}"

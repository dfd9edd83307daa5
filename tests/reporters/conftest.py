"""Reports built by hand for the reporter tests, and the golden-file check.

Golden files live in `golden/` and are compared exactly. To rewrite them from the current output, run
`DDBLINT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reporters`, then review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ddblint import rules as rule_registry
from ddblint.findings import Finding, InputError, Location, Report, Severity
from ddblint.rules import Rule

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("DDBLINT_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def rules() -> Iterator[dict[str, Rule]]:
    """Made-up TST rules. They leave the global registry after each module, so no catalogue test sees them."""
    made = [
        Rule(
            id="TST901",
            name="stream-read-permission-missing",
            severity=Severity.ERROR,
            summary="the mapped function's role cannot read the DynamoDB stream",
            source_urls=("https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html",),
            tags=("iam", "dynamodb", "streams"),
        ),
        Rule(
            id="TST902",
            name="timeout-absent",
            severity=Severity.WARNING,
            summary="function has no timeout, so the 3 s default applies",
            source_urls=("https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",),
            tags=("lambda",),
        ),
        Rule(
            id="TST903",
            name="nat-without-dynamodb-endpoint",
            severity=Severity.INFO,
            summary="DynamoDB traffic goes through a NAT gateway instead of a free gateway endpoint",
            source_urls=("https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html",),
            tags=("network", "cost"),
        ),
        Rule(
            id="TST904",
            name="wildcard-action",
            severity=Severity.ERROR,
            summary="policy grants every action of a service",
            source_urls=("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",),
            tags=("iam",),
        ),
    ]
    yield {rule.id: rule for rule in made}
    for rule in made:
        rule_registry._REGISTRY.pop(rule.id, None)


def finding(rule: Rule, address: str, location: Location, message: str, fix: str, **extra) -> Finding:
    return Finding(rule.id, rule.name, rule.severity, address, location, message, fix, **extra)


@pytest.fixture
def sample_report(rules: dict[str, Rule]) -> Report:
    """Several files, every severity, two input errors, and text that every format must escape."""
    stream, timeout, nat, wildcard = (rules[i] for i in ("TST901", "TST902", "TST903", "TST904"))
    findings = [
        finding(
            stream,
            "module.orders.aws_lambda_event_source_mapping.this",
            Location("modules/stream-consumer/main.tf", 31, 1),
            "role module.orders.aws_iam_role.this lacks dynamodb:GetRecords and dynamodb:GetShardIterator on "
            "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/*",
            "attach arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole to the role",
            related=(Location("modules/stream-consumer/iam.tf", 12),),
            root="examples/orders",
        ),
        finding(
            timeout,
            "aws_lambda_function.worker",
            Location("examples/orders/main.tf", 8),
            "aws_lambda_function.worker has no timeout: the 3 s default applies",
            "set timeout = 30",
        ),
        finding(
            timeout,
            'aws_lambda_function.this["a|b"]',
            Location("stacks/prod, eu/main.tf", 5),
            "100% of the budget: 3 retries → 30 s\nexceed the 25 s timeout | see `AWS_MAX_ATTEMPTS`: 3",
            "lower AWS_MAX_ATTEMPTS, or raise timeout to ≥ 35 s",
        ),
        finding(
            nat,
            "module.vpc.aws_nat_gateway.this",
            Location("modules/network/main.tf"),
            "DynamoDB traffic of aws_lambda_function.worker leaves through module.vpc.aws_nat_gateway.this",
            "add a gateway endpoint for com.amazonaws.eu-west-1.dynamodb to the private route tables",
        ),
        finding(
            wildcard,
            "aws_iam_policy.admin",
            Location("examples/orders/iam.tf", 14, 5, 14, 26),
            'Action "dynamodb:*" on Resource "*" in aws_iam_policy.admin',
            "list only the actions the function calls, e.g. dynamodb:GetItem and dynamodb:PutItem",
            root="examples/orders",
        ),
    ]
    errors = [
        InputError("modules/broken/main.tf", 7, "unexpected token '}': expected an attribute"),
        InputError("plan.json", 0, "not a `terraform show -json` plan: no format_version"),
    ]
    return Report(
        findings=sorted(findings, key=Finding.sort_key),
        errors=errors,
        version="0.1.0",
        files_scanned=6,
        suppressed=1,
        baselined=2,
    )


@pytest.fixture
def clean_report() -> Report:
    return Report(findings=[], errors=[], version="0.1.0", files_scanned=3)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """`golden(name, actual)` asserts that `actual` equals `golden/<name>` byte for byte."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if UPDATE_GOLDEN:
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
        assert path.exists(), f"{path} is missing: run with DDBLINT_UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_bytes().decode("utf-8"), f"output differs from {path}"

    return check

"""examples/code-permissions: IAM107 finds the calls the role does not allow, IAM108 the grant no code uses, and
`ddblint policy` writes the policy that fixes both; Terraform accepts it (validate) and applies it (moto)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import boto3
import pytest

from tests.support.terraform import REPO_ROOT, Terraform

EXAMPLE = REPO_ROOT / "examples" / "code-permissions"
FUNCTION = "aws_lambda_function.api"
REGION = "eu-west-1"
# The generated document as the role's policy, in place of the hand-written one.
LEAST_PRIVILEGE_POLICY = """
resource "aws_iam_role_policy" "least_privilege" {
  name   = "least-privilege"
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.api_least_privilege.json
}
"""
AWS_ENV: dict[str, str | None] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def ddblint(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def findings() -> list[tuple[str, str]]:
    result = ddblint("check", "examples/code-permissions", "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    return sorted((f["rule_id"], f["message"]) for f in report["findings"])


def test_the_example_shows_the_missing_and_the_unused_permissions():
    found = findings()
    assert [rule for rule, _ in found] == ["IAM107", "IAM108"]  # one entry per function, listing every call
    messages = "\n".join(message for _, message in found)
    assert "needs dynamodb:UpdateItem on aws_dynamodb_table.orders.arn" in messages
    assert 'needs dynamodb:Query on "${aws_dynamodb_table.orders.arn}/index/by_customer"' in messages
    assert "needs sqs:SendMessage on aws_sqs_queue.order_events.arn" in messages
    assert 'grants "dynamodb:DeleteItem" on aws_dynamodb_table.orders.arn' in messages


def generated_policy() -> str:
    result = ddblint("policy", FUNCTION, "examples/code-permissions")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_policy_grants_what_the_code_calls_and_nothing_more():
    policy = generated_policy()
    assert "Not resolved" not in policy
    statements = policy.split("statement {")[1:]
    granted = sorted(
        (statement.split("actions   = ")[1].split("\n")[0], statement.split("resources = ")[1].split("\n")[0])
        for statement in statements
    )
    assert granted == [
        ('["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]', "[aws_dynamodb_table.orders.arn]"),
        ('["dynamodb:Query"]', '["${aws_dynamodb_table.orders.arn}/index/by_customer"]'),
        ('["logs:CreateLogStream", "logs:PutLogEvents"]', '["${aws_cloudwatch_log_group.api.arn}:*"]'),
        ('["sqs:SendMessage"]', "[aws_sqs_queue.order_events.arn]"),
    ]


def test_with_the_generated_policy_instead_of_the_written_one_nothing_is_missing_or_unused(tmp_path):
    workdir = Terraform.copy_config(EXAMPLE, tmp_path, keep_relative_to=None)
    written = (workdir / "main.tf").read_text()
    start = written.index("# Written for the first handler")  # the hand-written aws_iam_role_policy.api
    end = written.index('resource "aws_cloudwatch_log_group"')
    (workdir / "main.tf").write_text(written[:start] + written[end:])
    (workdir / "least_privilege.tf").write_text(generated_policy() + LEAST_PRIVILEGE_POLICY)
    result = ddblint("check", str(workdir), "--format", "json", "--select", "IAM107,IAM108", "--no-cache")
    assert json.loads(result.stdout)["findings"] == [], result.stdout


def configured(terraform: Terraform, tmp_path: Path) -> Path:
    """The example with the generated policy attached and a zip of its source, in a temp dir."""
    workdir = terraform.copy_config(EXAMPLE, tmp_path)
    (workdir / "least_privilege.tf").write_text(generated_policy() + LEAST_PRIVILEGE_POLICY)
    (workdir / "build").mkdir(exist_ok=True)
    with zipfile.ZipFile(workdir / "build" / "orders-api.zip", "w") as archive:
        archive.write(EXAMPLE / "src" / "handler.py", "handler.py")
    return workdir


@pytest.mark.terraform
def test_terraform_validates_the_generated_policy(terraform, tmp_path):
    workdir = configured(terraform, tmp_path)
    terraform.init(workdir)
    result = terraform.validate(workdir)
    assert result["valid"], result


def provider_override(endpoint: str) -> str:
    services = ("dynamodb", "iam", "lambda", "logs", "sqs", "sts")
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in services)
    return f"""provider "aws" {{
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {{
{endpoints}
  }}
}}
"""


@pytest.mark.terraform
@pytest.mark.moto
def test_the_generated_policy_applies_with_the_function(terraform, moto_server, tmp_path):
    moto_server.reset()
    workdir = configured(terraform, tmp_path)
    (workdir / "moto_override.tf").write_text(provider_override(moto_server.endpoint))
    terraform.init(workdir)
    terraform.apply(workdir, env=AWS_ENV)
    try:
        outputs = terraform.output_json(workdir, env=AWS_ENV)
        iam = boto3.client(
            "iam",
            endpoint_url=moto_server.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        document = iam.get_role_policy(RoleName=outputs["role_name"], PolicyName="least-privilege")["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        actions = sorted(
            a for s in document["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        )
        assert actions == sorted(
            [
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:Query",
                "sqs:SendMessage",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ]
        )
        resources = {
            r
            for s in document["Statement"]
            for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
        }
        assert f"arn:aws:dynamodb:{REGION}:123456789012:table/{outputs['table_name']}/index/by_customer" in resources
        lam = boto3.client(
            "lambda",
            endpoint_url=moto_server.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        assert lam.get_function(FunctionName=outputs["function_name"])["Configuration"]["Handler"] == "handler.handler"
    finally:
        terraform.destroy(workdir, env=AWS_ENV)

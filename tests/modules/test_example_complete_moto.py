"""Apply examples/complete against moto_server, check what was built, re-plan, destroy.

The example is copied to a temp dir and gets a test-only `moto_override.tf` that points the
provider's endpoints at the session's moto server (the `moto_server` fixture, reset first), with dummy
credentials. The example itself has nothing moto-specific.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest

from tests.support.terraform import REPO_ROOT, Terraform

pytestmark = [pytest.mark.terraform, pytest.mark.moto]

EXAMPLE = REPO_ROOT / "examples" / "complete"
REGION = "eu-west-1"  # the example's default region
# Provider endpoint keys for every service the stack (or the provider's data sources) calls.
SERVICES = (
    "applicationautoscaling",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "iam",
    "kms",
    "lambda",
    "logs",
    "sns",
    "sqs",
    "sts",
)


def provider_override(endpoint: str) -> str:
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in SERVICES)
    return f"""# Test-only: send every AWS call to moto_server.
provider "aws" {{
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


@dataclass
class Stack:
    terraform: Terraform
    workdir: Path
    endpoint: str
    outputs: dict = field(default_factory=dict)
    destroyed: bool = False

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def destroy(self) -> None:
        if self.destroyed:
            return
        # Deletion protection is on by default: turn it off first, as the README says.
        self.terraform.apply(self.workdir, "-var=deletion_protection_enabled=false", env=AWS_ENV)
        self.terraform.destroy(self.workdir, "-var=deletion_protection_enabled=false", env=AWS_ENV)
        self.destroyed = True


# Dummy credentials; a developer's profile or endpoint settings must not leak into the run.
AWS_ENV: dict[str, str | None] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.fixture(scope="module")
def stack(terraform, moto_server, handler_package, tmp_path_factory):
    moto_server.reset()
    workdir = terraform.copy_config(EXAMPLE, tmp_path_factory.mktemp("complete"))
    (workdir / "moto_override.tf").write_text(provider_override(moto_server.endpoint))
    (workdir / "test.auto.tfvars").write_text(f"package_path = {json.dumps(str(handler_package))}\n")
    deployed = Stack(terraform, workdir, moto_server.endpoint)
    with pytest.MonkeyPatch.context() as env:  # the boto3 clients of the checks get the same settings
        for key, value in AWS_ENV.items():
            if value is None:
                env.delenv(key, raising=False)
            else:
                env.setenv(key, value)
        terraform.init(workdir)
        try:
            terraform.apply(workdir, env=AWS_ENV)
            deployed.outputs = terraform.output_json(workdir, env=AWS_ENV)
            yield deployed
        finally:
            if not deployed.destroyed:
                try:
                    deployed.destroy()
                except Exception as exc:  # report, but do not hide the original failure
                    print(f"cleanup destroy failed: {exc}")


def test_mapping_has_bounded_retries_and_a_failure_destination(stack):
    out = stack.outputs
    mapping = stack.client("lambda").get_event_source_mapping(UUID=out["event_source_mapping_uuid"])
    queue_url = out["on_failure_queue_url"]
    queue = stack.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]

    assert mapping["EventSourceArn"] == out["orders_stream_arn"]
    assert mapping["FunctionArn"].endswith(f":function:{out['function_name']}")
    assert mapping["MaximumRetryAttempts"] == 3
    assert mapping["MaximumRecordAgeInSeconds"] == 3600
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["StartingPosition"] == "TRIM_HORIZON"
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == queue["QueueArn"]
    assert json.loads(mapping["FilterCriteria"]["Filters"][0]["Pattern"]) == {"eventName": ["INSERT", "MODIFY"]}
    assert queue["SqsManagedSseEnabled"] == "true"


def test_role_grants_stream_and_queue_on_exact_arns(stack):
    out = stack.outputs
    iam = stack.client("iam")
    role = out["function_role_name"]
    documents = {
        name: iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
    }
    statements = {s["Sid"]: s for doc in documents.values() for s in doc["Statement"]}
    assert statements["ReadStream"]["Resource"] == [out["orders_stream_arn"]]
    assert statements["ListStreams"]["Resource"] == ["*"]
    assert statements["SendToOnFailureDestination"]["Action"] == ["sqs:SendMessage"]
    assert statements["SendToOnFailureDestination"]["Resource"] == [out["on_failure_destination_arn"]]
    assert "ec2:CreateNetworkInterface" in statements["CreateVpcNetworkInterfaces"]["Action"]
    assert statements["WriteAudit"]["Action"] == ["dynamodb:PutItem"]


def test_tables_have_stream_pitr_encryption_and_protection(stack):
    out = stack.outputs
    dynamodb = stack.client("dynamodb")
    orders = dynamodb.describe_table(TableName=out["orders_table_name"])["Table"]
    assert orders["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert orders["LatestStreamArn"] == out["orders_stream_arn"]
    assert orders["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert orders["SSEDescription"]["Status"] == "ENABLED"
    assert orders["DeletionProtectionEnabled"] is True
    for table in (out["orders_table_name"], out["audit_table_name"]):
        backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
        assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = dynamodb.describe_time_to_live(TableName=out["audit_table_name"])["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


def test_private_route_tables_carry_the_dynamodb_endpoint(stack):
    out = stack.outputs
    ec2 = stack.client("ec2")
    endpoint = ec2.describe_vpc_endpoints(VpcEndpointIds=[out["dynamodb_endpoint_id"]])["VpcEndpoints"][0]
    assert endpoint["ServiceName"] == f"com.amazonaws.{REGION}.dynamodb"
    assert endpoint["VpcEndpointType"] == "Gateway"
    assert sorted(endpoint["RouteTableIds"]) == sorted(out["private_route_table_ids"])
    policy = json.loads(endpoint["PolicyDocument"])
    resources = {r for s in policy["Statement"] for r in s["Resource"]}
    orders_arn = stack.client("dynamodb").describe_table(TableName=out["orders_table_name"])["Table"]["TableArn"]
    assert orders_arn in resources

    function = stack.client("lambda").get_function_configuration(FunctionName=out["function_name"])
    subnets = function["VpcConfig"]["SubnetIds"]
    assert len(subnets) == 2
    tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": subnets}])["RouteTables"]
    assert sorted(t["RouteTableId"] for t in tables) == sorted(out["private_route_table_ids"])

    for attribute, key in (("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")):
        assert ec2.describe_vpc_attribute(VpcId=out["vpc_id"], Attribute=attribute)[key]["Value"] is True


def test_function_security_group_allows_only_https_to_gateway_prefix_lists(stack):
    ec2 = stack.client("ec2")
    group = ec2.describe_security_groups(GroupIds=[stack.outputs["function_security_group_id"]])["SecurityGroups"][0]
    prefix_lists = {p["PrefixListId"]: p["PrefixListName"] for p in ec2.describe_prefix_lists()["PrefixLists"]}
    destinations = set()
    for permission in group["IpPermissionsEgress"]:
        assert (permission["IpProtocol"], permission["FromPort"], permission["ToPort"]) == ("tcp", 443, 443)
        assert permission.get("IpRanges", []) == [] and permission.get("Ipv6Ranges", []) == []
        destinations |= {prefix_lists[p["PrefixListId"]] for p in permission.get("PrefixListIds", [])}
    assert destinations == {f"com.amazonaws.{REGION}.dynamodb", f"com.amazonaws.{REGION}.s3"}


def test_function_settings_and_alarms(stack):
    out = stack.outputs
    function = stack.client("lambda").get_function_configuration(FunctionName=out["function_name"])
    assert function["Timeout"] == 30
    assert function["Runtime"] == "python3.12"
    assert function["VpcConfig"]["SecurityGroupIds"] == [out["function_security_group_id"]]
    assert function["Environment"]["Variables"] == {"AUDIT_TABLE_NAME": out["audit_table_name"]}

    groups = stack.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{out['function_name']}")
    assert [g["retentionInDays"] for g in groups["logGroups"]] == [30]

    described = stack.client("cloudwatch").describe_alarms()["MetricAlarms"]
    alarms = {a["MetricName"]: a for a in described}
    assert alarms["IteratorAge"]["Threshold"] == 30000
    assert alarms["IteratorAge"]["Dimensions"] == [{"Name": "FunctionName", "Value": out["function_name"]}]
    # The stream consumer's three function alarms and the one on its on-failure queue; nothing else.
    assert sorted(a["MetricName"] for a in described) == [
        "ApproximateNumberOfMessagesVisible",
        "Errors",
        "IteratorAge",
        "Throttles",
    ]


def test_second_plan_has_no_changes(stack):
    assert stack.terraform.plan(stack.workdir, env=AWS_ENV) == 0


def test_destroy_removes_the_stack(stack):
    stack.destroy()
    assert stack.client("dynamodb").list_tables()["TableNames"] == []
    assert stack.client("lambda").list_functions()["Functions"] == []
    assert stack.client("lambda").list_event_source_mappings()["EventSourceMappings"] == []

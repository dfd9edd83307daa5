"""Apply tests/modules/fixtures/provisioned-async against moto: the module paths examples/complete
does not take (PROVISIONED table with GSI autoscaling, an async on-failure destination, a given SNS
failure destination created in the same apply, single NAT and interface endpoints), then re-plan
with no changes (also after the table's and the GSI's capacity moved, as autoscaling moves it) and destroy.

The session's moto server (tests/support/moto_server.py) adds Application Auto Scaling tagging, which
moto 5.2.5 lacks and the provider needs for aws_appautoscaling_target.
"""

from __future__ import annotations

import json

import pytest
from test_example_complete_moto import AWS_ENV, Stack, provider_override
from test_table_day_two_moto import scale_as_autoscaling_does

from tests.support.terraform import REPO_ROOT

pytestmark = [pytest.mark.terraform, pytest.mark.moto]

FIXTURE = REPO_ROOT / "tests" / "modules" / "fixtures" / "provisioned-async"


@pytest.fixture(scope="module")
def stack(terraform, moto_server, handler_package, tmp_path_factory):
    moto_server.reset()
    workdir = terraform.copy_config(FIXTURE, tmp_path_factory.mktemp("fixture"))
    (workdir / "moto_override.tf").write_text(provider_override(moto_server.endpoint))
    (workdir / "test.auto.tfvars").write_text(f"package_path = {json.dumps(str(handler_package))}\n")
    deployed = Stack(terraform, workdir, moto_server.endpoint)
    with pytest.MonkeyPatch.context() as env:
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
                terraform.destroy(workdir, env=AWS_ENV)


def test_provisioned_table_and_gsi_autoscale(stack):
    scaling = stack.client("application-autoscaling")
    targets = scaling.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
    assert sorted((t["ResourceId"], t["ScalableDimension"]) for t in targets) == [
        ("table/fixture-provisioned", "dynamodb:table:ReadCapacityUnits"),
        ("table/fixture-provisioned", "dynamodb:table:WriteCapacityUnits"),
        ("table/fixture-provisioned/index/gsi1", "dynamodb:index:ReadCapacityUnits"),
        ("table/fixture-provisioned/index/gsi1", "dynamodb:index:WriteCapacityUnits"),
    ]
    assert {(t["MinCapacity"], t["MaxCapacity"]) for t in targets} == {(5, 100)}
    policies = scaling.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"]
    assert len(policies) == 4
    for policy in policies:
        assert policy["PolicyType"] == "TargetTrackingScaling"
        assert policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 70


def test_async_failure_handling(stack):
    out = stack.outputs
    lam = stack.client("lambda")
    function = lam.get_function_configuration(FunctionName=out["function_name"])
    assert function["TracingConfig"]["Mode"] == "Active"
    assert "VpcConfig" not in function or not function["VpcConfig"].get("SubnetIds")
    config = lam.get_function_event_invoke_config(FunctionName=out["function_name"])
    assert config["MaximumRetryAttempts"] == 2
    assert config["MaximumEventAgeInSeconds"] == 21600
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == out["failures_topic_arn"]


def test_given_sns_destination_is_used_and_granted(stack):
    out = stack.outputs
    mapping = stack.client("lambda").get_event_source_mapping(UUID=out["event_source_mapping_uuid"])
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == out["failures_topic_arn"]
    iam = stack.client("iam")
    role = out["function_name"]
    statements = [
        statement
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        for statement in iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]["Statement"]
    ]
    grants = {(action, resource) for s in statements for action in s["Action"] for resource in s["Resource"]}
    assert ("sns:Publish", out["failures_topic_arn"]) in grants
    assert ("xray:PutTraceSegments", "*") in grants
    assert not any(action.startswith("ec2:") for action, _ in grants)  # not in a VPC


def test_single_nat_and_interface_endpoints(stack):
    net = stack.outputs["network"]
    ec2 = stack.client("ec2")
    [nat_id] = net["nat_gateway_ids"]
    for table in ec2.describe_route_tables(RouteTableIds=net["private_route_table_ids"])["RouteTables"]:
        default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        assert [r.get("NatGatewayId") for r in default] == [nat_id]
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=list(net["interface_endpoint_ids"].values()))["VpcEndpoints"]
    assert sorted(e["ServiceName"] for e in endpoints) == [
        "com.amazonaws.eu-west-1.logs",
        "com.amazonaws.eu-west-1.sqs",
    ]
    assert all(e["PrivateDnsEnabled"] and e["VpcEndpointType"] == "Interface" for e in endpoints)
    assert all(g["GroupId"] == net["endpoints_security_group_id"] for e in endpoints for g in e["Groups"])

    group = ec2.describe_security_groups(GroupIds=[net["function_security_group_id"]])["SecurityGroups"][0]
    assert {(p["IpProtocol"], p["FromPort"], p["ToPort"]) for p in group["IpPermissionsEgress"]} == {("tcp", 443, 443)}
    cidrs = {r["CidrIp"] for p in group["IpPermissionsEgress"] for r in p.get("IpRanges", [])}
    groups = {g["GroupId"] for p in group["IpPermissionsEgress"] for g in p.get("UserIdGroupPairs", [])}
    assert cidrs == {"0.0.0.0/0"}
    assert groups == {net["endpoints_security_group_id"]}


def test_second_plan_has_no_changes_after_autoscaling_moved_capacity(stack):
    scale_as_autoscaling_does(stack.client("dynamodb"), "fixture-provisioned", "gsi1")
    assert stack.terraform.plan(stack.workdir, env=AWS_ENV) == 0


def test_destroy(stack):
    stack.terraform.destroy(stack.workdir, env=AWS_ENV)
    stack.destroyed = True
    assert stack.client("dynamodb").list_tables()["TableNames"] == []
    assert (
        stack.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="dynamodb")[
            "ScalableTargets"
        ]
        == []
    )

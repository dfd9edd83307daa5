"""modules/table on its second day, against moto_server: capacity and TTL changes take effect, autoscaled
capacity moved out of band leaves the plan clean, and a table switches between fixed and autoscaled
capacity by the moved block of modules/table/README.md without being replaced.

One table (tests/modules/fixtures/table-day-two) goes through the steps below in file order; each step
is a test and starts from the state the previous one left. To keep the suite fast, each step makes its
change with one plan saved to a file, asserts on that plan, applies the saved plan and re-plans once.

Uses the session's moto_server (tests/conftest.py): stock moto plus Application Auto Scaling tagging, which
moto 5.2.5 lacks and the provider needs for aws_appautoscaling_target.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_example_complete_moto import AWS_ENV, Stack, provider_override

from tests.support.terraform import REPO_ROOT

pytestmark = [pytest.mark.terraform, pytest.mark.moto]

FIXTURE = REPO_ROOT / "tests" / "modules" / "fixtures" / "table-day-two"
TABLE = "fixture-day-two"
FIXED = "module.table.aws_dynamodb_table.this[0]"
AUTOSCALED = "module.table.aws_dynamodb_table.autoscaled[0]"

# The inputs of each step (the fixture's variables); a step's plan and its re-plan use the same ones.
FIRST_DAY = {"read_capacity": 5, "write_capacity": 5, "index_read_capacity": 4, "index_write_capacity": 4}
NEW_CAPACITY = {"read_capacity": 10, "write_capacity": 8, "index_read_capacity": 6, "index_write_capacity": 7}
FIXED_NO_TTL = {**NEW_CAPACITY, "ttl_enabled": False}
AUTOSCALED_NO_TTL = {**FIXED_NO_TTL, "autoscaling_enabled": True}


# (read, write) capacities that "autoscaling" sets out of band.
SCALED_TABLE = (40, 30)
SCALED_INDEX = (20, 25)


def throughput(read_write: tuple[int, int]) -> dict[str, int]:
    return {"ReadCapacityUnits": read_write[0], "WriteCapacityUnits": read_write[1]}


def scale_as_autoscaling_does(dynamodb, table: str, index: str) -> None:
    """UpdateTable on the table's and the index's capacity, which is what Application Auto Scaling calls."""
    dynamodb.update_table(
        TableName=table,
        ProvisionedThroughput=throughput(SCALED_TABLE),
        GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": index, "ProvisionedThroughput": throughput(SCALED_INDEX)}}
        ],
    )


def var_args(variables: dict[str, object]) -> list[str]:
    return [f"-var={name}={json.dumps(value)}" for name, value in variables.items()]


def moved_block(source: str, destination: str) -> str:
    """The root-module moved block modules/table/README.md tells users to add for a switch."""
    return f"moved {{\n  from = {source}\n  to   = {destination}\n}}\n"


class DayTwoStack(Stack):
    def plan_changes(self, variables: dict[str, object]) -> dict[str, dict]:
        """Plan into plan.tfplan; return the planned changes by resource address (`terraform plan -json`)."""
        result = self.terraform.run(
            ["plan", "-input=false", "-no-color", "-json", "-out=plan.tfplan", *var_args(variables)],
            self.workdir,
            env=AWS_ENV,
        )
        changes = {}
        for line in result.stdout.splitlines():
            message = json.loads(line)
            if message.get("type") == "planned_change":
                change = message["change"]
                changes[change["resource"]["addr"]] = change
        return changes

    def apply_saved_plan(self) -> None:
        self.terraform.run(["apply", "-input=false", "-no-color", "plan.tfplan"], self.workdir, env=AWS_ENV)

    def replan(self, variables: dict[str, object]) -> int:
        return self.terraform.plan(self.workdir, *var_args(variables), env=AWS_ENV)

    def capacities(self) -> dict[str, tuple[int, int]]:
        table = self.client("dynamodb").describe_table(TableName=TABLE)["Table"]
        found = {"table": table["ProvisionedThroughput"]}
        found.update({index["IndexName"]: index["ProvisionedThroughput"] for index in table["GlobalSecondaryIndexes"]})
        return {name: (t["ReadCapacityUnits"], t["WriteCapacityUnits"]) for name, t in found.items()}

    def time_to_live(self) -> dict:
        return self.client("dynamodb").describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]


@pytest.fixture(scope="module")
def stack(terraform, moto_server, tmp_path_factory):
    moto_server.reset()
    workdir = terraform.copy_config(FIXTURE, tmp_path_factory.mktemp("day-two"))
    (workdir / "moto_override.tf").write_text(provider_override(moto_server.endpoint))
    deployed = DayTwoStack(terraform, workdir, moto_server.endpoint)
    with pytest.MonkeyPatch.context() as env:
        for key, value in AWS_ENV.items():
            if value is None:
                env.delenv(key, raising=False)
            else:
                env.setenv(key, value)
        terraform.init(workdir)
        try:
            terraform.apply(workdir, *var_args(FIRST_DAY), env=AWS_ENV)
            yield deployed
        finally:
            (workdir / "moved.tf").unlink(missing_ok=True)
            terraform.destroy(workdir, *var_args(AUTOSCALED_NO_TTL), env=AWS_ENV)


def write_moved(workdir: Path, source: str, destination: str) -> None:
    (workdir / "moved.tf").write_text(moved_block(source, destination))


def test_first_apply_creates_a_fixed_capacity_table_with_ttl(stack):
    assert stack.capacities() == {"table": (5, 5), "gsi1": (4, 4)}
    assert stack.time_to_live() == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    assert (
        stack.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="dynamodb")[
            "ScalableTargets"
        ]
        == []
    )


def test_fixed_capacity_and_ttl_off_take_effect(stack):
    changes = stack.plan_changes(FIXED_NO_TTL)
    assert {address: change["action"] for address, change in changes.items()} == {FIXED: "update"}

    stack.apply_saved_plan()
    assert stack.capacities() == {"table": (10, 8), "gsi1": (6, 7)}
    ttl = stack.time_to_live()
    assert ttl["TimeToLiveStatus"] == "DISABLED"
    # AWS needs the attribute name to disable TTL (and leaves it out of DescribeTimeToLive afterwards);
    # moto keeps the name the disabling request carried, which shows the module sent it.
    assert ttl["AttributeName"] == "expires_at"
    assert stack.replan(FIXED_NO_TTL) == 0


def test_switch_to_autoscaled_keeps_the_table(stack):
    write_moved(stack.workdir, FIXED, AUTOSCALED)
    changes = stack.plan_changes(AUTOSCALED_NO_TTL)
    table_changes = {a: c for a, c in changes.items() if ".aws_dynamodb_table." in a}
    assert set(table_changes) == {AUTOSCALED}
    assert table_changes[AUTOSCALED]["action"] == "move"
    assert table_changes[AUTOSCALED]["previous_resource"]["addr"] == FIXED
    assert sorted(a for a, c in changes.items() if c["action"] == "create") == sorted(
        f'module.table.aws_appautoscaling_{kind}.this["{target}"]'
        for kind in ("policy", "target")
        for target in ("index/gsi1:read", "index/gsi1:write", "table:read", "table:write")
    )

    stack.apply_saved_plan()
    (stack.workdir / "moved.tf").unlink()  # the README's last step: the move is in the state now
    targets = stack.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="dynamodb")
    assert len(targets["ScalableTargets"]) == 4


def test_capacity_moved_by_autoscaling_leaves_the_plan_clean(stack):
    scale_as_autoscaling_does(stack.client("dynamodb"), TABLE, "gsi1")
    assert stack.capacities() == {"table": SCALED_TABLE, "gsi1": SCALED_INDEX}
    assert stack.replan(AUTOSCALED_NO_TTL) == 0


def test_switch_back_to_fixed_capacity_keeps_the_table(stack):
    write_moved(stack.workdir, AUTOSCALED, FIXED)
    changes = stack.plan_changes(FIXED_NO_TTL)
    table_changes = {a: c for a, c in changes.items() if ".aws_dynamodb_table." in a}
    # In place: the fixed table takes its configured capacities back from autoscaling's.
    assert {a: (c["action"], c["previous_resource"]["addr"]) for a, c in table_changes.items()} == {
        FIXED: ("update", AUTOSCALED)
    }
    deleted = [a for a, c in changes.items() if c["action"] == "delete"]
    assert len(deleted) == 8 and all(".aws_appautoscaling_" in a for a in deleted)

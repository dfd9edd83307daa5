"""The VPC examples: the insecure one shows every NET5xx and OPS6xx rule, the corrected one none of them."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NET_OPS = {f"NET50{i}" for i in range(1, 6)} | {f"OPS60{i}" for i in range(1, 6)}


@functools.cache  # one real run of each example serves every test that reads it
def _check(example: str) -> tuple[subprocess.CompletedProcess, dict]:
    result = subprocess.run(
        [sys.executable, "-m", "ddblint", "check", f"examples/{example}", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result, json.loads(result.stdout)


def test_insecure_vpc_example_shows_every_net_and_ops_rule():
    result, report = _check("insecure-vpc-consumer")
    assert result.returncode == 1, result.stderr
    assert report["errors"] == []
    fired = {f["rule_id"] for f in report["findings"]}
    # And IAM108: the API's role grants dynamodb:UpdateItem on the carts table, which api/app.py never calls.
    expected = NET_OPS | {"IAM108"}
    assert fired == expected, (sorted(expected - fired), sorted(fired - expected))


def test_insecure_vpc_example_findings_name_the_broken_subnet_and_route_table():
    _, report = _check("insecure-vpc-consumer")
    net501 = [f for f in report["findings"] if f["rule_id"] == "NET501"]
    assert len(net501) == 1
    message = net501[0]["message"]
    assert "aws_subnet.orders_private[1]" in message and "aws_route_table.orders_private[1]" in message
    assert "aws_subnet.orders_private[0]" not in message  # zone a has the NAT route


def test_corrected_vpc_example_has_no_net_or_ops_finding():
    result, report = _check("vpc-consumer")
    assert report["errors"] == []
    found = [f for f in report["findings"] if f["rule_id"] in NET_OPS]
    assert found == [], [(f["rule_id"], f["message"]) for f in found]
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    assert result.returncode == 0, result.stderr

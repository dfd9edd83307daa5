"""One entry per source location (`instance_groups.py`): what is grouped, and how the entry reads."""

from __future__ import annotations

import dataclasses

import pytest
from ddblint.findings import Finding, Location, Severity
from ddblint.instance_groups import (
    group_instances,
    instances_phrase,
    message_with_instances,
    split_address,
    subject,
    without_instance,
)

AT = Location("modules/fn/main.tf", 22, 3)


def finding(address: str, message: str, fix: str = "", *, location: Location = AT, root: str = "stack") -> Finding:
    return Finding("LAM306", "log-permission-missing", Severity.WARNING, address, location, message, fix, root=root)


def in_module(prefix: str) -> Finding:
    return finding(
        f"{prefix}.aws_lambda_function.this",
        f"role {prefix}.aws_iam_role.this of {prefix}.aws_lambda_function.this cannot write its logs",
        f"attach AWSLambdaBasicExecutionRole to {prefix}.aws_iam_role.this",
    )


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("aws_iam_role.this", ("", "aws_iam_role.this")),
        ("module.a.aws_iam_role.this", ("module.a", "aws_iam_role.this")),
        ('module.a["x.y"].module.b[0].aws_iam_role.this[1]', ('module.a["x.y"].module.b[0]', "aws_iam_role.this[1]")),
        ("data.aws_iam_policy_document.p", ("", "data.aws_iam_policy_document.p")),
        ("policies/admin.json", ("", "policies/admin.json")),
    ],
)
def test_split_address(address, parts):
    assert split_address(address) == parts


def test_without_instance_takes_out_the_module_path_and_the_own_key():
    text = 'role module.m["a"].aws_iam_role.r of module.m["a"].aws_sqs_queue.q[0]; not module.mm.x nor my.module.m'
    assert without_instance(text, 'module.m["a"].aws_sqs_queue.q[0]') == (
        "role aws_iam_role.r of aws_sqs_queue.q; not module.mm.x nor my.module.m"
    )


def test_six_calls_become_one_entry_in_the_modules_words():
    prefixes = ["module.a", "module.b", 'module.many["c"]', 'module.many["d"]', 'module.many["e"]', 'module.many["f"]']
    (entry,) = group_instances(in_module(prefix) for prefix in reversed(prefixes))
    assert entry.instances == tuple(sorted(f"{p}.aws_lambda_function.this" for p in prefixes))
    assert entry.address == entry.instances[0]
    assert entry.message == "role aws_iam_role.this of aws_lambda_function.this cannot write its logs"
    assert entry.fix == "attach AWSLambdaBasicExecutionRole to aws_iam_role.this"
    assert subject(entry) == (
        'aws_lambda_function.this in 6 instances: module.a, module.b, module.many["c"] and 3 more'
    )
    assert [i.address for i in entry.each_instance()] == list(entry.instances)


def test_two_calls_are_named():
    (entry,) = group_instances([in_module("module.b"), in_module("module.a")])
    assert instances_phrase(entry) == "in module.a and module.b"
    assert message_with_instances(entry) == (
        "role aws_iam_role.this of aws_lambda_function.this cannot write its logs (in module.a and module.b)"
    )


def test_count_instances_of_one_resource_are_named_by_address():
    counted = [finding(f"aws_lambda_function.f[{n}]", f"aws_lambda_function.f[{n}] sets no timeout.") for n in range(2)]
    (entry,) = group_instances(counted)
    assert entry.message == "aws_lambda_function.f sets no timeout."
    assert subject(entry) == "aws_lambda_function.f in aws_lambda_function.f[0] and aws_lambda_function.f[1]"
    assert message_with_instances(entry) == (
        "aws_lambda_function.f sets no timeout (in aws_lambda_function.f[0] and aws_lambda_function.f[1])."
    )


def test_a_single_instance_is_left_as_it_is():
    one = in_module("module.a")
    assert group_instances([one]) == [one]
    assert subject(one) == one.address and message_with_instances(one) == one.message


@pytest.mark.parametrize(
    "other",
    [
        # Text that differs beyond the instance: a value from the instance's inputs.
        dataclasses.replace(in_module("module.b"), message="no log group named /aws/lambda/b"),
        dataclasses.replace(in_module("module.b"), location=dataclasses.replace(AT, line=23)),
        dataclasses.replace(in_module("module.b"), root="other-stack"),
        dataclasses.replace(in_module("module.b"), rule_id="LAM305"),
        dataclasses.replace(in_module("module.b"), severity=Severity.ERROR),
        # Another resource of the module that happens to report at the same place.
        dataclasses.replace(in_module("module.b"), address="module.b.aws_lambda_function.other"),
    ],
)
def test_what_differs_beyond_the_instance_stays_apart(other):
    assert len(group_instances([in_module("module.a"), other])) == 2

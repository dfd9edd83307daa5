"""`ddblint policy ADDRESS [PATH]`: the least-privilege identity policy of one function, from what the scanned code
shows and nothing more (the contract: "Least-privilege policy" in the rule catalogue).

The permissions come from the model's facts (`Facts.permissions`, `ddblint.model.code_permissions`): the
handler's AWS calls resolved through its environment, its mappings' reads, its failure destinations, its logs,
the network interface actions in a VPC and X-Ray when tracing is `Active`. This module only writes them:

- `hcl_policy`: a `data "aws_iam_policy_document"` whose resources are Terraform references in the function's
  module (`aws_dynamodb_table.orders.arn`, `"${aws_dynamodb_table.orders.arn}/index/*"`), with the
  `aws_partition`/`aws_region`/`aws_caller_identity` data sources when an ARN needs them;
- `json_policy`: the policy JSON, ARNs as far as they are known (unknown partition, region and account as `*`).

What cannot be resolved (a call whose table is computed, a resource whose name is not known) is listed as a
comment, never guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import Model, Resource
from ddblint.model.code_permissions import FunctionPermissions, Permission
from ddblint.model.facts import facts_of
from ddblint.pipeline import scan_boundary

POLICY_VERSION = "2012-10-17"


class UnknownFunction(LookupError):
    """The address names no `aws_lambda_function` of the scanned code; `known` lists those that exist."""

    def __init__(self, address: str, known: list[str]):
        super().__init__(address)
        self.address = address
        self.known = known


@dataclass
class PolicyStatement:
    """The actions the function needs on one resource, and why."""

    actions: list[str]
    resource: str  # a Terraform expression (HCL) or an ARN (JSON)
    reasons: list[str] = field(default_factory=list)


@dataclass
class LeastPrivilegePolicy:
    """The statements a function needs, in one output form, with what could not be resolved."""

    function: Resource
    statements: list[PolicyStatement]
    unresolved: list[str]  # one line each: "src/app.py:12 dynamodb:GetItem: the table is computed in the code"
    data_sources: list[str]  # `data` blocks the HCL statements use


def find_function(path: Path, address: str) -> Resource:
    """The `aws_lambda_function` at `address` in the root modules under `path` (raises UnknownFunction), loaded
    inside the same scan boundary as `ddblint check` (local modules above `path` are followed)."""
    models = TerraformLoader(scan_boundary([path])).load([path]).models
    known: list[str] = []
    for model in models:
        function = model.resource(address)
        if function is not None and function.full_type == "aws_lambda_function":
            return function
        known += [f.address for f in model.resources("aws_lambda_function")]
    raise UnknownFunction(address, sorted(set(known)))


def permissions_of(function: Resource) -> FunctionPermissions:
    model: Model = function.instance.model
    return facts_of(model).permissions(function)


def hcl_policy(function: Resource) -> LeastPrivilegePolicy:
    """The statements with Terraform expressions as resources."""
    permissions = permissions_of(function)
    unresolved = _unresolved_calls(permissions)
    grouped: dict[str, PolicyStatement] = {}
    data_sources: list[str] = []
    unwritable: dict[tuple[str, str], list[str]] = {}
    for permission in permissions.all:
        expression = permission.arn.terraform
        if expression is None:
            unwritable.setdefault((permission.reason, permission.arn.label), []).append(permission.action)
            continue
        _add(grouped, expression, permission)
        data_sources += [d for d in permission.arn.data_sources if d not in data_sources]
    where = function.module_address or "the root module"
    unresolved += [
        f"{reason}: {', '.join(actions)} on {label}, which cannot be written in {where}"
        for (reason, label), actions in unwritable.items()
    ]
    declared = [d for d in data_sources if function.sibling(_data_address(d)) is None]
    return LeastPrivilegePolicy(function, list(grouped.values()), unresolved, declared)


def _data_address(block: str) -> str:
    """`data "aws_region" "current" {}` -> `data.aws_region.current`."""
    kind, type_, name = (word.strip('"') for word in block.split()[:3])
    return f"{kind}.{type_}.{name}"


def document_name(function: Resource) -> str:
    """The name of the written `data "aws_iam_policy_document"`: the function's, with `_least_privilege`."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", function.name)
    return (
        f"{cleaned}_least_privilege" if cleaned and not cleaned[0].isdigit() else f"function_{cleaned}_least_privilege"
    )


def json_policy(function: Resource) -> LeastPrivilegePolicy:
    """The statements with ARNs as resources."""
    permissions = permissions_of(function)
    unresolved = _unresolved_calls(permissions)
    grouped: dict[str, PolicyStatement] = {}
    unknown: dict[tuple[str, str], list[str]] = {}
    for permission in permissions.all:
        if permission.arn.text is None:
            unknown.setdefault((permission.reason, permission.arn.label), []).append(permission.action)
            continue
        _add(grouped, permission.arn.text, permission)
    unresolved += [
        f"{reason}: {', '.join(actions)} on {label}, whose ARN is not known"
        for (reason, label), actions in unknown.items()
    ]
    return LeastPrivilegePolicy(function, list(grouped.values()), unresolved, [])


def _add(grouped: dict[str, PolicyStatement], resource: str, permission: Permission) -> None:
    statement = grouped.setdefault(resource, PolicyStatement([], resource))
    if permission.action not in statement.actions:
        statement.actions.append(permission.action)
    reason = permission.reason
    if permission.site is not None:
        reason = f"{permission.site.file}:{permission.site.line} {permission.site.text}"
    if reason not in statement.reasons:
        statement.reasons.append(reason)


def _unresolved_calls(permissions: FunctionPermissions) -> list[str]:
    lines = [f"{u.site.file}:{u.site.line} {u.action}: {u.why}" for u in permissions.unresolved]
    calls = permissions.calls
    if calls is None:
        lines.append("the handler source is not in the scanned code: its own AWS calls are not included")
    else:
        lines += [f"{site.file}:{site.line} {site.text}: the operation is computed" for site in calls.dynamic]
        lines += [f"{module}: an import that could not be followed" for module in calls.unfollowed]
    return lines + [f"{note}" for note in permissions.notes]


def render_hcl(policy: LeastPrivilegePolicy) -> str:
    function = policy.function
    name = document_name(function)
    lines = [
        f"# Least-privilege policy for {function.address} (ddblint policy):",
        "# what the scanned code shows it calls, nothing more.",
    ]
    if function.module_address:
        lines.append(f"# Resources are written as references inside {function.module_address}.")
    if policy.unresolved:
        lines.append("# Not resolved, so not granted here (add them by hand once you know the resource):")
        lines += [f"#   {_one_line(item)}" for item in policy.unresolved]
    lines.append("")
    for block in policy.data_sources:
        lines += [block, ""]
    lines.append(f'data "aws_iam_policy_document" "{name}" {{')
    for index, statement in enumerate(policy.statements):
        if index:
            lines.append("")
        lines += [f"  # {_one_line(reason)}" for reason in statement.reasons]
        lines.append("  statement {")
        lines.append(f"    actions   = [{', '.join(json.dumps(a) for a in sorted(statement.actions))}]")
        lines.append(f"    resources = [{statement.resource}]")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_json(policy: LeastPrivilegePolicy) -> str:
    document = {
        "Version": POLICY_VERSION,
        "Statement": [
            {"Effect": "Allow", "Action": sorted(s.actions), "Resource": s.resource} for s in policy.statements
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = [
    "LeastPrivilegePolicy",
    "PolicyStatement",
    "UnknownFunction",
    "document_name",
    "find_function",
    "hcl_policy",
    "json_policy",
    "render_hcl",
    "render_json",
]

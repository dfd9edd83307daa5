"""NET5xx: the network path from a function in a VPC to DynamoDB (routes, endpoints, egress, DNS).

A function in a VPC reaches DynamoDB's public endpoint `dynamodb.<region>.amazonaws.com` only through its
subnets' route table (a DynamoDB gateway endpoint, or a default route to a NAT gateway / NAT instance /
transit path), its security groups' egress rules, and the VPC's DNS resolver. When one of them is missing the
SDK call hangs until the function times out. The path (subnet -> route table -> endpoint | NAT) is a fact of
the model (`Facts.network`); these rules read it.

Everything is three-valued: a subnet, route table, route or rule that cannot be resolved statically makes
the answer "unknown", and rules stay silent on unknown answers.
"""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.findings import Finding, Location, Severity
from ddblint.model import Model, Resource
from ddblint.model.facts import DYNAMODB_ITEM_ACTIONS, facts_of
from ddblint.model.policy import Tri, documents_allow
from ddblint.model.values import ref_of
from ddblint.rules import Options, Rule

LAMBDA_VPC_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html"
GATEWAY_ENDPOINT_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/vpc-endpoints-dynamodb.html"
ROUTE_TABLE_DOC = "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html"
PRIVATELINK_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/privatelink-interface-endpoints.html"
)
SG_PROVIDER_DOC = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group"

VPC_NO_ROUTE = Rule(
    id="NET501",
    name="vpc-no-route-to-dynamodb",
    severity=Severity.ERROR,
    summary="a VPC function's subnet has no route to DynamoDB (no gateway endpoint, no NAT)",
    source_urls=(
        LAMBDA_VPC_DOC,
        GATEWAY_ENDPOINT_DOC,
        ROUTE_TABLE_DOC,
        PRIVATELINK_DOC,
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route_table_association",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint",
    ),
    tags=("network", "vpc", "dynamodb"),
)
HTTPS_EGRESS_BLOCKED = Rule(
    id="NET502",
    name="https-egress-blocked",
    severity=Severity.ERROR,
    summary="no security group of a VPC function allows HTTPS egress to DynamoDB",
    source_urls=(
        SG_PROVIDER_DOC,
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_security_group_egress_rule",
    ),
    tags=("network", "vpc", "security-group"),
)
VPC_DNS_DISABLED = Rule(
    id="NET503",
    name="vpc-dns-disabled",
    severity=Severity.ERROR,
    summary="a VPC function's VPC turns off DNS resolution",
    source_urls=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc",
    ),
    tags=("network", "vpc", "dns"),
)
NAT_WITHOUT_ENDPOINT = Rule(
    id="NET504",
    name="nat-without-dynamodb-endpoint",
    severity=Severity.INFO,
    summary="a VPC function reaches DynamoDB through a NAT gateway; the VPC has no DynamoDB gateway endpoint",
    source_urls=(
        "https://aws.amazon.com/vpc/pricing/",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
        GATEWAY_ENDPOINT_DOC,
    ),
    tags=("network", "vpc", "cost"),
)
ENDPOINT_POLICY_DENIES = Rule(
    id="NET505",
    name="endpoint-policy-denies-table",
    severity=Severity.ERROR,
    summary="the DynamoDB gateway endpoint's policy does not allow the function's table actions",
    source_urls=(
        "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
        GATEWAY_ENDPOINT_DOC,
    ),
    tags=("network", "vpc", "iam"),
)


# -- NET501 -----------------------------------------------------------------------------------------------
@VPC_NO_ROUTE.check
def vpc_no_route(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    network = facts.network
    for vf in network.vpc_functions:
        if not facts.calls_dynamodb(vf.function) or vf.explicit_endpoint is not Tri.NO:
            continue
        blocked: list[str] = []
        related: list[Location] = []
        interface_note = ""
        interface_address = ""
        interface_fix = None
        for entry in vf.subnets:
            if entry is None or entry.path.any is not Tri.NO:
                continue
            served, without = network.interface_endpoints(network.subnet_vpc(entry.subnet) or entry.table.vpc)
            if served is not Tri.NO:
                continue
            blocked.append(f"{entry.subnet.address} (route table {entry.table.name})")
            related.append(entry.subnet.location)
            if without and not interface_note:
                interface_address = without[0].address
                interface_fix = facts.module_interface.setting_fix(
                    without[0],
                    "private_dns_enabled",
                    "true",
                    f"set private_dns_enabled = true on {interface_address}",
                )
                interface_note = (
                    f"; the DynamoDB interface endpoint {without[0].address} has private_dns_enabled = false, "
                    "so the SDK's dynamodb.<region>.amazonaws.com still resolves to public addresses"
                )
        if not blocked:
            continue
        yield VPC_NO_ROUTE.finding(
            vf.function,
            at=vf.location,
            related=tuple(related),
            message=(
                f"{vf.function.address} calls DynamoDB from {'subnets' if len(blocked) > 1 else 'subnet'} "
                f"{', '.join(blocked)} whose routes have neither "
                "a DynamoDB gateway endpoint nor a 0.0.0.0/0 route to a NAT gateway, NAT instance or transit "
                f"gateway: every DynamoDB call hangs until the function times out{interface_note}"
            ),
            fix=(f"{interface_fix.text}, or add" if interface_fix is not None else "add")
            + ' an aws_vpc_endpoint with service_name = "com.amazonaws.<region>.dynamodb" '
            '(vpc_endpoint_type = "Gateway") and list the subnet\'s route table in its route_table_ids',
        )


# -- NET502 -----------------------------------------------------------------------------------------------
@HTTPS_EGRESS_BLOCKED.check
def https_egress_blocked(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    for vf in facts.network.vpc_functions:
        if not vf.security_group_values or not facts.calls_dynamodb(vf.function):
            continue
        groups = vf.security_groups
        if groups is None:
            continue  # a group passed in or not resolvable: it may allow egress
        # With a DynamoDB interface endpoint, traffic goes to ENIs inside the VPC: private destinations may do.
        if vf.interface_endpoint_in_vpc:
            continue
        if vf.https_egress is not Tri.NO:
            continue
        names = ", ".join(g.address for g in groups)
        yield HTTPS_EGRESS_BLOCKED.finding(
            vf.function,
            at=vf.function.blocks("vpc_config")[0].location_of("security_group_ids"),  # type: ignore[index]
            related=tuple(g.location for g in groups),
            message=(
                f"no egress rule of {names} allows TCP 443 to 0.0.0.0/0 or the DynamoDB prefix list: "
                f"{vf.function.address} cannot open a connection to DynamoDB and its calls time out (the AWS "
                "provider removes the default allow-all egress rule of groups it creates)"
            ),
            fix=(
                "add an egress rule for TCP 443 to the DynamoDB prefix list, e.g. an "
                'aws_vpc_security_group_egress_rule with ip_protocol = "tcp", from_port = 443, to_port = 443 '
                "and prefix_list_id = aws_vpc_endpoint.dynamodb.prefix_list_id"
            ),
        )


# -- NET503 -----------------------------------------------------------------------------------------------
@VPC_DNS_DISABLED.check
def vpc_dns_disabled(model: Model, options: Options) -> Iterator[Finding]:
    for vf in facts_of(model).network.vpc_functions:
        for vpc in vf.vpcs:
            if vpc.value("enable_dns_support") is not False:
                continue
            fix = facts_of(model).module_interface.setting_fix(
                vpc, "enable_dns_support", "true", f"set enable_dns_support = true on {vpc.address} (the default)"
            )
            yield VPC_DNS_DISABLED.finding(
                vf.function,
                at=vf.location,
                related=(vpc.location_of("enable_dns_support"),),
                message=(
                    f"{vpc.address} sets enable_dns_support = false: {vf.function.address} cannot resolve "
                    "dynamodb.<region>.amazonaws.com (or any AWS endpoint) and its SDK calls fail"
                ),
                fix=fix.text,
                shared_fix=fix.shared,
            )


# -- NET504 -----------------------------------------------------------------------------------------------
@NAT_WITHOUT_ENDPOINT.check
def nat_without_endpoint(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    network = facts.network
    for vf in network.vpc_functions:
        if not facts.calls_dynamodb(vf.function) or vf.explicit_endpoint is not Tri.NO:
            continue
        for entry in vf.subnets:
            if entry is None or entry.path.nat is not Tri.YES or entry.path.endpoint is not Tri.NO:
                continue
            vpc = entry.table.vpc or network.subnet_vpc(entry.subnet)
            if vpc is None or network.gateway_endpoint_in(vpc) is not Tri.NO:
                continue
            table = entry.table.resource
            route_table = f"{entry.table.name}.id"
            unexposed = ""
            if table is not None and table.instance.call is not None:
                exposed = facts.module_interface.output_exposing(table, "id")
                route_table = exposed or f"<the id of {table.local_address}>"
                unexposed = "" if exposed else "; the module exposes no output with that route table's id"
            yield NAT_WITHOUT_ENDPOINT.finding(
                vf.function,
                at=vf.location,
                message=(
                    f"{vf.function.address} reaches DynamoDB from {entry.subnet.address} through "
                    f"{entry.path.nat_routes[0]} (a NAT gateway) and {vpc.address} has no DynamoDB gateway "
                    "endpoint: every byte to DynamoDB pays NAT data processing; the gateway endpoint is free"
                ),
                fix=(
                    'add an aws_vpc_endpoint with service_name = "com.amazonaws.<region>.dynamodb" and '
                    f"route_table_ids = [{route_table}]{unexposed}"
                ),
            )
            break


# -- NET505 -----------------------------------------------------------------------------------------------
def _table_grants(model: Model, role: Resource) -> list[tuple[str, object]]:
    """(action, table ARN value) pairs the role allows explicitly (concrete actions, concrete tables)."""
    grants: list[tuple[str, object]] = []
    for document in facts_of(model).role_policies(role).documents:
        for statement in document.statements:
            if statement.effect != "Allow" or "Condition" in statement.raw:
                continue
            actions = [
                a
                for a in statement.values("Action") or []
                if isinstance(a, str) and a.lower().startswith("dynamodb:") and "*" not in a and "?" not in a
            ]
            for target in statement.values("Resource") or []:
                if not _is_table_arn(model, target):
                    continue
                grants += [(str(a), target) for a in actions if _is_item_action(a)]
    return grants


def _is_item_action(action: str) -> bool:
    return any(action.lower() == a.lower() for a in DYNAMODB_ITEM_ACTIONS)


def _is_table_arn(model: Model, value: object) -> bool:
    ref = ref_of(value)
    if ref is not None:
        return ref.attribute == "arn" and model.referenced(ref, "aws_dynamodb_table") is not None
    return isinstance(value, str) and value.startswith("arn:") and ":table/" in value and "*" not in value


@ENDPOINT_POLICY_DENIES.check
def endpoint_policy_denies(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    network = facts.network
    for vf in network.vpc_functions:
        role = facts.function_role(vf.function)
        if role is None:
            continue
        grants = _table_grants(model, role)
        if not grants:
            continue
        seen: set[str] = set()
        for entry in vf.subnets:
            if entry is None:
                continue
            for endpoint in entry.path.endpoints:
                if endpoint.address in seen:
                    continue
                seen.add(endpoint.address)
                document = network.endpoint_policy(endpoint)
                if document is None:
                    continue
                denied = [
                    (action, target)
                    for action, target in grants
                    if documents_allow(model, [document], action, target) is Tri.NO
                ]
                if not denied:
                    continue
                shown = ", ".join(sorted({f"{a} on {_describe_target(t)}" for a, t in denied}))
                yield ENDPOINT_POLICY_DENIES.finding(
                    vf.function,
                    at=vf.location,
                    related=(endpoint.location_of("policy"),),
                    message=(
                        f"the policy of DynamoDB gateway endpoint {endpoint.address} on the route of "
                        f"{vf.function.address} does not allow {shown}: those calls fail with AccessDeniedException "
                        "although the role allows them"
                    ),
                    fix=f"add the actions and table ARNs to the Allow statement of {endpoint.address}'s policy",
                )


def _describe_target(value: object) -> str:
    ref = ref_of(value)
    if ref is not None:
        return ref.address
    return str(value)

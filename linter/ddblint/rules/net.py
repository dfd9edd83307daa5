"""NET5xx: the network path from a function in a VPC to DynamoDB (routes, endpoints, egress, DNS).

A function in a VPC reaches DynamoDB's public endpoint `dynamodb.<region>.amazonaws.com` only through its
subnets' route table (a DynamoDB gateway endpoint, or a default route to a NAT gateway / NAT instance /
transit path), its security groups' egress rules, and the VPC's DNS resolver. When one of them is missing the
SDK call hangs until the function times out. These rules trace subnet -> route table -> routes/endpoints.

Everything is three-valued: a subnet, route table, route or rule that cannot be resolved statically makes
the answer "unknown", and rules stay silent on unknown answers.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass, field

from ddblint.findings import Finding, Location, Severity
from ddblint.model import MISSING, MODULE_META_ARGUMENTS, Model, Resource
from ddblint.model.lambda_wiring import event_source, function_role, mapping_function
from ddblint.model.policy import (
    PolicyDocument,
    Tri,
    action_matches,
    build_document,
    documents_allow,
    role_policies,
)
from ddblint.model.values import UNKNOWN, JsonText, RefValue, Symbolic, TracedStr, is_known, origin_of
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

# Data-plane actions: a role granting any of them "calls DynamoDB".
DYNAMODB_DATA_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:TransactGetItems",
    "dynamodb:TransactWriteItems",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PartiQLSelect",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
)
ENDPOINT_ENV = ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL")
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16")
)


# -- shared helpers (also used by ops.py) -----------------------------------------------------------------
def ref_of(value: object) -> RefValue | None:
    """The resource attribute a value stands for (`aws_x.y.id`, or a string read from one)."""
    value = origin_of(value)
    return value if isinstance(value, RefValue) else None


def resolve(model: Model, value: object, *types: str) -> Resource | None:
    """The single, definitely existing resource of `types` a value refers to, else None."""
    resource = model.referenced(ref_of(value), *types)
    if resource is None or resource.key is UNKNOWN:
        return None
    return resource


def present(value: object) -> bool:
    return value is not MISSING and value is not None


def _tri_any(values) -> Tri:
    return max(values, default=Tri.NO)


@dataclass
class OpaqueInputs:
    """What the scanned code passes to module calls ddblint cannot load (registry modules not downloaded, ...).

    Such a module may create routes, endpoints, egress rules, alarms or log groups for what it is given, so the
    rules that report something *missing* stay silent about resources passed to one.
    """

    addresses: set[str] = field(default_factory=set)
    strings: set[str] = field(default_factory=set)

    def mention(self, *addresses: str) -> bool:
        return any(a in self.addresses for a in addresses)


def opaque_inputs(model: Model) -> OpaqueInputs:
    cached = model.__dict__.get("_ddblint_opaque_inputs")
    if cached is not None:
        return cached
    from ddblint.model.evaluate import evaluate

    found = OpaqueInputs()
    for instance in list(model.instances):
        for call in instance.source.module_calls:
            if instance.entry(f"module.{call.labels[0]}") is not UNKNOWN:
                continue
            for name, attribute in call.body.attributes.items():
                if name not in MODULE_META_ARGUMENTS:
                    _collect(evaluate(attribute.expr, instance), found, 0)
    model.__dict__["_ddblint_opaque_inputs"] = found
    return found


def _collect(value: object, found: OpaqueInputs, depth: int) -> None:
    if depth > 20:
        return
    if isinstance(value, TracedStr):
        found.addresses.add(value.origin.address)
        found.strings.add(str(value))
    elif isinstance(value, RefValue):
        found.addresses.add(value.address)
    elif isinstance(value, Symbolic):
        found.addresses.update(r.address for r in value.refs)
    elif isinstance(value, JsonText):
        _collect(value.value, found, depth + 1)
    elif isinstance(value, str):
        found.strings.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found, depth + 1)


def calls_dynamodb(model: Model, function: Resource) -> bool:
    """The function's role grants a DynamoDB data action, or a mapping reads a DynamoDB stream into it."""
    role = function_role(model, function)
    if role is not None:
        for document in role_policies(model, role).documents:
            for statement in document.statements:
                if statement.effect != "Allow":
                    continue
                for pattern in statement.values("Action") or []:
                    if any(action_matches(pattern, a) is Tri.YES for a in DYNAMODB_DATA_ACTIONS):
                        return True
    for mapping in model.resources("aws_lambda_event_source_mapping"):
        if event_source(model, mapping).kind == "dynamodb" and mapping_function(model, mapping) is function:
            return True
    return False


@dataclass
class VpcFunction:
    function: Resource
    location: Location  # the vpc_config's subnet_ids line
    subnet_values: list[object]
    security_group_values: list[object] | None  # None when not a list


def vpc_functions(model: Model) -> Iterator[VpcFunction]:
    """Functions with a `vpc_config` whose `subnet_ids` is a non-empty list."""
    for function in model.resources("aws_lambda_function"):
        if function.key is UNKNOWN:
            continue
        blocks = function.blocks("vpc_config")
        if not blocks:
            continue
        view = blocks[0]
        subnets = view.value("subnet_ids")
        if not isinstance(subnets, list) or not subnets:
            continue
        groups = view.value("security_group_ids")
        yield VpcFunction(
            function,
            view.location_of("subnet_ids"),
            list(subnets),
            list(groups) if isinstance(groups, list) else None,
        )


def _text(value: object) -> str | None:
    """A string or template rendering (`${?}` for unknown parts), None for other values."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Symbolic):
        return str(value)
    return None


def endpoint_service(endpoint: Resource) -> str:
    """ "dynamodb", "other" or "unknown" from an `aws_vpc_endpoint`'s `service_name`."""
    text = _text(endpoint.value("service_name"))
    if text is None:
        return "unknown"
    if text.endswith(".dynamodb"):
        return "dynamodb"
    if text.endswith("${?}") or text.endswith("}"):
        return "unknown"
    return "other"


def endpoint_type(endpoint: Resource) -> str | None:
    """ "Gateway" (the provider's default) / "Interface" / ..., None when unknown."""
    value = endpoint.value("vpc_endpoint_type")
    if value is MISSING:
        return "Gateway"
    return str(value) if isinstance(value, str) else None


# -- route tables -----------------------------------------------------------------------------------------
def _matches(model: Model, value: object, identity: set[tuple[str, str]]) -> Tri:
    """Does a `route_table_id`-like value name the route table known by `identity`?"""
    if value is MISSING or value is None:
        return Tri.NO
    ref = ref_of(value)
    if ref is not None:
        if (ref.address, ref.attribute) in identity:
            return Tri.YES
        target = model.referenced(ref)
        if target is None or target.mode == "data" or target.key is UNKNOWN:
            return Tri.MAYBE
        return Tri.NO
    if isinstance(value, str):
        return Tri.NO  # a literal ID cannot be a route table this configuration creates
    return Tri.MAYBE


@dataclass
class RouteTable:
    name: str  # for messages
    identity: set[tuple[str, str]]
    resource: Resource | None  # None for the VPC's implicit main route table
    vpc: Resource | None = None


@dataclass
class Path:
    """What a route table offers a function: a result per kind of path."""

    endpoint: Tri = Tri.NO  # a DynamoDB gateway endpoint is attached
    nat: Tri = Tri.NO  # 0.0.0.0/0 through a NAT gateway
    egress: Tri = Tri.NO  # other default-route egress (NAT instance, transit gateway, ...)
    endpoints: list[Resource] = field(default_factory=list)
    nat_routes: list[str] = field(default_factory=list)

    @property
    def any(self) -> Tri:
        return max(self.endpoint, self.nat, self.egress)


def subnet_route_table(model: Model, subnet: Resource) -> RouteTable | None:
    """The route table a subnet uses: its explicit association, else its VPC's main route table."""
    associated: list[Resource] = []
    for association in model.resources("aws_route_table_association"):
        if not association.has("subnet_id"):
            continue  # a gateway association
        match = _matches(model, association.value("subnet_id"), {(subnet.address, "id")})
        if match is Tri.MAYBE:
            return None
        if match is Tri.YES:
            if association.key is UNKNOWN:
                return None
            associated.append(association)
    if len(associated) > 1:
        return None
    if associated:
        value = associated[0].value("route_table_id")
        table = resolve(model, value, "aws_route_table", "aws_default_route_table")
        if table is None:
            return None
        return _table(model, table)
    vpc = resolve(model, subnet.value("vpc_id"), "aws_vpc")
    if vpc is None:
        return None
    return main_route_table(model, vpc)


def _table(model: Model, table: Resource) -> RouteTable:
    identity = {(table.address, "id")}
    vpc = resolve(model, table.value("vpc_id"), "aws_vpc")
    if table.type == "aws_default_route_table":
        ref = ref_of(table.value("default_route_table_id"))
        if ref is not None:
            identity |= {(ref.address, "default_route_table_id"), (ref.address, "main_route_table_id")}
            vpc = vpc or resolve(model, ref, "aws_vpc")
    return RouteTable(table.address, identity, table, vpc)


def main_route_table(model: Model, vpc: Resource) -> RouteTable | None:
    vpc_identity = {(vpc.address, "id")}
    chosen: list[Resource] = []
    for association in model.resources("aws_main_route_table_association"):
        match = _matches(model, association.value("vpc_id"), vpc_identity)
        if match is Tri.MAYBE:
            return None
        if match is Tri.YES:
            chosen.append(association)
    if len(chosen) > 1 or any(a.key is UNKNOWN for a in chosen):
        return None
    if chosen:
        table = resolve(model, chosen[0].value("route_table_id"), "aws_route_table", "aws_default_route_table")
        return None if table is None else _table(model, table)
    default_identity = {(vpc.address, "default_route_table_id"), (vpc.address, "main_route_table_id")}
    for table in model.resources("aws_default_route_table"):
        match = _matches(model, table.value("default_route_table_id"), default_identity)
        if match is Tri.MAYBE or (match is Tri.YES and table.key is UNKNOWN):
            return None
        if match is Tri.YES:
            return _table(model, table)
    return RouteTable(f"the main route table of {vpc.address}", default_identity, None, vpc)


def _ipv4_reaches_dynamodb(cidr: object, *, public_range: Tri) -> Tri:
    """Does an IPv4 destination cover DynamoDB's public addresses? 0.0.0.0/0 does, private ranges and IPv6
    (the SDK's default DynamoDB endpoint is IPv4-only) do not; another public range answers `public_range`."""
    if not isinstance(cidr, str):
        return Tri.MAYBE
    try:
        network = ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        return Tri.MAYBE
    if network.version != 4:
        return Tri.NO
    if network.prefixlen == 0:
        return Tri.YES
    if any(network.subnet_of(p) for p in PRIVATE_NETWORKS):  # type: ignore[arg-type]
        return Tri.NO
    return public_range


def _is_default_destination(cidr: object) -> Tri:
    """A route's destination: a public range other than 0.0.0.0/0 may or may not be DynamoDB's."""
    return _ipv4_reaches_dynamodb(cidr, public_range=Tri.MAYBE)


def _route_kind(model: Model, route) -> str:
    """ "nat" / "egress" / "none" / "unknown" for one route (a BlockView, Resource or dict)."""

    def get(name: str) -> object:
        if isinstance(route, dict):
            value = route.get(name, MISSING)
            return MISSING if value in (None, "") else value
        return route.value(name)

    if present(get("nat_gateway_id")):
        return "nat"
    for name in (
        "network_interface_id",
        "instance_id",
        "transit_gateway_id",
        "vpc_endpoint_id",
        "carrier_gateway_id",
        "core_network_arn",
        "local_gateway_id",
    ):
        if present(get(name)):
            return "egress"
    gateway = get("gateway_id")
    if present(gateway):
        ref = ref_of(gateway)
        if ref is not None:
            target = model.referenced(ref)
            if target is not None and target.type == "aws_internet_gateway":
                return "none"  # a Lambda ENI never has a public IP
            if target is not None and target.type == "aws_nat_gateway":
                return "nat"
            if target is not None and target.type in ("aws_vpn_gateway", "aws_ec2_transit_gateway"):
                return "egress"
            return "unknown"
        if isinstance(gateway, str):
            if gateway.startswith("igw-") or gateway == "local":
                return "none"
            if gateway.startswith("nat-"):
                return "nat"
            return "egress" if gateway.startswith(("vgw-", "tgw-")) else "unknown"
        return "unknown"
    if present(get("vpc_peering_connection_id")) or present(get("egress_only_gateway_id")):
        return "none"
    return "unknown"


def _route_destination(route) -> Tri:
    def get(name: str) -> object:
        if isinstance(route, dict):
            value = route.get(name, MISSING)
            return MISSING if value in (None, "") else value
        return route.value(name)

    cidr = get("destination_cidr_block") if not isinstance(route, dict) else get("cidr_block")
    if present(cidr):
        return _is_default_destination(cidr)
    if present(get("destination_prefix_list_id")):
        return Tri.MAYBE  # possibly DynamoDB's prefix list
    return Tri.NO  # IPv6 only


def _add_route(path: Path, kind: str, covers: Tri, exists: Tri, name: str) -> None:
    result = min(covers, exists)
    if result is Tri.NO or kind == "none":
        return
    if kind == "unknown":
        path.egress = max(path.egress, Tri.MAYBE)
    elif kind == "nat":
        path.nat = max(path.nat, result)
        if result is Tri.YES:
            path.nat_routes.append(name)
    else:
        path.egress = max(path.egress, result)


def route_table_path(model: Model, table: RouteTable) -> Path:
    path = Path()
    if table.resource is not None:
        resource = table.resource
        if resource.has("route") and not resource.blocks("route"):
            value = resource.value("route")  # `route = [...]` (attributes as blocks)
            routes = list(value) if isinstance(value, list) else None
            if routes is None or not all(isinstance(r, dict) for r in routes):
                path.egress = Tri.MAYBE
                routes = []
        else:
            routes = resource.blocks("route")
            if routes is None:
                path.egress = Tri.MAYBE
                routes = []
        for index, route in enumerate(routes):
            if isinstance(route, dict):
                covers = _is_default_destination(route.get("cidr_block")) if route.get("cidr_block") else Tri.NO
                if route.get("destination_prefix_list_id"):
                    covers = Tri.MAYBE
            else:
                cidr = route.value("cidr_block")
                covers = _is_default_destination(cidr) if present(cidr) else Tri.NO
                if present(route.value("destination_prefix_list_id")):
                    covers = Tri.MAYBE
            _add_route(path, _route_kind(model, route), covers, Tri.YES, f"{resource.address} route[{index}]")
    propagating = table.resource.value("propagating_vgws") if table.resource is not None else MISSING
    if present(propagating) and propagating != []:
        path.egress = max(path.egress, Tri.MAYBE)  # routes propagated from a VPN gateway (BGP) are unknown
    for propagation in model.resources("aws_vpn_gateway_route_propagation"):
        if _matches(model, propagation.value("route_table_id"), table.identity) is not Tri.NO:
            path.egress = max(path.egress, Tri.MAYBE)
    for route in model.resources("aws_route"):
        match = _matches(model, route.value("route_table_id"), table.identity)
        if match is Tri.NO:
            continue
        exists = Tri.MAYBE if route.key is UNKNOWN else match
        _add_route(path, _route_kind(model, route), _route_destination(route), exists, route.address)
    _attach_endpoints(model, table, path)
    if opaque_inputs(model).mention(*(address for address, _ in table.identity)):
        path.egress = max(path.egress, Tri.MAYBE)  # a module we cannot read is given this route table
        path.endpoint = max(path.endpoint, Tri.MAYBE)
    return path


def _attach_endpoints(model: Model, table: RouteTable, path: Path) -> None:
    for endpoint in model.resources("aws_vpc_endpoint"):
        service = endpoint_service(endpoint)
        kind = endpoint_type(endpoint)
        if service == "other" or kind not in ("Gateway", None):
            continue
        value = endpoint.value("route_table_ids")
        if value is MISSING or value is None:
            continue
        if isinstance(value, list | tuple):
            match = _tri_any(_matches(model, v, table.identity) for v in value)
        else:
            match = Tri.MAYBE
        if service == "unknown" or kind is None or endpoint.key is UNKNOWN:
            match = min(match, Tri.MAYBE)
        path.endpoint = max(path.endpoint, match)
        if match is Tri.YES:
            path.endpoints.append(endpoint)
    for association in model.resources("aws_vpc_endpoint_route_table_association"):
        match = _matches(model, association.value("route_table_id"), table.identity)
        if match is Tri.NO:
            continue
        endpoint = resolve(model, association.value("vpc_endpoint_id"), "aws_vpc_endpoint")
        if endpoint is None:
            path.endpoint = max(path.endpoint, Tri.MAYBE)
            continue
        service, kind = endpoint_service(endpoint), endpoint_type(endpoint)
        if service == "other" or kind not in ("Gateway", None):
            continue
        if service == "unknown" or kind is None or association.key is UNKNOWN:
            match = min(match, Tri.MAYBE)
        path.endpoint = max(path.endpoint, match)
        if match is Tri.YES:
            path.endpoints.append(endpoint)


def _same_vpc(model: Model, value: object, vpc: Resource | None) -> Tri:
    if vpc is None:
        return Tri.MAYBE
    return _matches(model, value, {(vpc.address, "id")})


def interface_endpoints(model: Model, vpc: Resource | None) -> tuple[Tri, list[Resource]]:
    """(does private DNS of a DynamoDB interface endpoint in the VPC serve the public name?, endpoints without)."""
    served = Tri.NO
    without: list[Resource] = []
    for endpoint in model.resources("aws_vpc_endpoint"):
        service, kind = endpoint_service(endpoint), endpoint_type(endpoint)
        if service == "other" or kind == "Gateway" or (kind is not None and kind != "Interface"):
            continue
        in_vpc = _same_vpc(model, endpoint.value("vpc_id"), vpc)
        if in_vpc is Tri.NO:
            continue
        dns = endpoint.value("private_dns_enabled")
        for extra in model.resources("aws_vpc_endpoint_private_dns"):
            if _matches(model, extra.value("vpc_endpoint_id"), {(endpoint.address, "id")}) is not Tri.NO:
                dns = extra.value("private_dns_enabled")
        if dns is True:
            enabled = Tri.YES
        elif dns is False or dns is MISSING:  # the provider's default is false
            enabled = Tri.NO
        else:
            enabled = Tri.MAYBE
        certain = service == "dynamodb" and kind == "Interface" and endpoint.key is not UNKNOWN
        result = min(enabled, in_vpc) if certain else min(enabled, Tri.MAYBE)
        served = max(served, result)
        if certain and in_vpc is Tri.YES and enabled is Tri.NO:
            without.append(endpoint)
    return served, without


def _explicit_endpoint(function: Resource) -> Tri:
    """The function's environment points the SDK at an endpoint URL (AWS_ENDPOINT_URL_DYNAMODB)."""
    blocks = function.blocks("environment")
    if blocks is None:
        return Tri.MAYBE
    for view in blocks:
        variables = view.value("variables")
        if variables is MISSING:
            continue
        if not isinstance(variables, dict):
            return Tri.MAYBE
        if any(name in variables for name in ENDPOINT_ENV):
            return Tri.YES
    return Tri.NO


@dataclass
class SubnetPath:
    subnet: Resource
    table: RouteTable
    path: Path


def subnet_paths(model: Model, vpc_function: VpcFunction) -> list[SubnetPath | None]:
    """One entry per subnet value: its route table and path, or None when it cannot be resolved."""
    result: list[SubnetPath | None] = []
    for value in vpc_function.subnet_values:
        subnet = resolve(model, value, "aws_subnet")
        table = subnet_route_table(model, subnet) if subnet is not None else None
        if subnet is None or table is None:
            result.append(None)
            continue
        result.append(SubnetPath(subnet, table, route_table_path(model, table)))
    return result


def _subnet_vpc(model: Model, subnet: Resource) -> Resource | None:
    return resolve(model, subnet.value("vpc_id"), "aws_vpc")


# -- NET501 -----------------------------------------------------------------------------------------------
@VPC_NO_ROUTE.check
def vpc_no_route(model: Model, options: Options) -> Iterator[Finding]:
    for vf in vpc_functions(model):
        if not calls_dynamodb(model, vf.function) or _explicit_endpoint(vf.function) is not Tri.NO:
            continue
        blocked: list[str] = []
        related: list[Location] = []
        interface_note = ""
        interface_address = ""
        for entry in subnet_paths(model, vf):
            if entry is None or entry.path.any is not Tri.NO:
                continue
            served, without = interface_endpoints(model, _subnet_vpc(model, entry.subnet) or entry.table.vpc)
            if served is not Tri.NO:
                continue
            blocked.append(f"{entry.subnet.address} (route table {entry.table.name})")
            related.append(entry.subnet.location)
            if without and not interface_note:
                interface_address = without[0].address
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
            fix=(f"set private_dns_enabled = true on {interface_address}, or add" if interface_address else "add")
            + ' an aws_vpc_endpoint with service_name = "com.amazonaws.<region>.dynamodb" '
            '(vpc_endpoint_type = "Gateway") and list the subnet\'s route table in its route_table_ids',
        )


# -- NET502 -----------------------------------------------------------------------------------------------
def _ports_cover_443(protocol: object, from_port: object, to_port: object) -> Tri:
    if isinstance(protocol, int | float) and not isinstance(protocol, bool):
        protocol = str(int(protocol))
    if not isinstance(protocol, str):
        return Tri.MAYBE
    protocol = protocol.lower()
    if protocol in ("-1", "all"):
        return Tri.YES
    if protocol not in ("tcp", "6"):
        return Tri.NO
    try:
        low, high = int(from_port), int(to_port)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return Tri.MAYBE
    return Tri.YES if low <= 443 <= high else Tri.NO


def _cidr_covers(cidr: object) -> Tri:
    """An egress rule's destination: a public range written on purpose (DynamoDB's published ranges, say) is
    trusted."""
    return _ipv4_reaches_dynamodb(cidr, public_range=Tri.YES)


def _prefix_list_covers(model: Model, value: object) -> Tri:
    ref = ref_of(value)
    if ref is None:
        return Tri.MAYBE if not isinstance(value, str) else Tri.YES  # a literal pl- ID: trust it
    target = model.referenced(ref)
    if target is None:
        return Tri.MAYBE
    if target.full_type == "aws_vpc_endpoint":
        service = endpoint_service(target)
        return Tri.YES if service == "dynamodb" else Tri.NO if service == "other" else Tri.MAYBE
    if target.full_type in ("data.aws_prefix_list", "data.aws_ec2_managed_prefix_list"):
        name = _text(target.value("name"))
        if name is None or "${?}" in name:
            return Tri.MAYBE if not target.has("prefix_list_id") else Tri.YES
        return Tri.YES if name.endswith(".dynamodb") else Tri.NO
    if target.full_type == "aws_ec2_managed_prefix_list":
        entries = target.blocks("entry")
        if entries is None:
            return Tri.MAYBE
        return _tri_any(_cidr_covers(e.value("cidr")) for e in entries)
    return Tri.MAYBE


def _rule_allows(model: Model, get, style: str) -> Tri:
    """Does one egress rule allow TCP 443 towards DynamoDB? `get(name)` reads the rule's attributes."""
    if style == "vpc_rule":
        ports = _ports_cover_443(get("ip_protocol"), get("from_port"), get("to_port"))
        destinations = [_cidr_covers(get("cidr_ipv4"))] if present(get("cidr_ipv4")) else []
        if present(get("prefix_list_id")):
            destinations.append(_prefix_list_covers(model, get("prefix_list_id")))
    else:
        ports = _ports_cover_443(get("protocol"), get("from_port"), get("to_port"))
        destinations = []
        cidrs = get("cidr_blocks")
        if present(cidrs):
            destinations += [_cidr_covers(c) for c in cidrs] if isinstance(cidrs, list) else [Tri.MAYBE]
        prefix_lists = get("prefix_list_ids")
        if present(prefix_lists):
            if isinstance(prefix_lists, list):
                destinations += [_prefix_list_covers(model, p) for p in prefix_lists]
            else:
                destinations.append(Tri.MAYBE)
    return min(ports, _tri_any(destinations))


def _group_allows(model: Model, group: Resource) -> Tri:
    if opaque_inputs(model).mention(group.address):
        return Tri.MAYBE  # a module we cannot read is given this group: it may add egress rules
    allowed = Tri.NO
    egress = group.blocks("egress")
    if group.has("egress"):  # `egress = [...]` written as an attribute
        value = group.value("egress")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return Tri.MAYBE
        for rule in value:
            allowed = max(allowed, _rule_allows(model, lambda n, r=rule: r.get(n, MISSING), "inline"))
    elif egress is None:
        return Tri.MAYBE
    else:
        for view in egress:
            allowed = max(allowed, _rule_allows(model, view.value, "inline"))
    identity = {(group.address, "id")}
    for rule in model.resources("aws_security_group_rule"):
        match = _matches(model, rule.value("security_group_id"), identity)
        kind = rule.value("type")
        if match is Tri.NO or kind == "ingress":
            continue
        exists = Tri.MAYBE if rule.key is UNKNOWN or kind != "egress" else match
        allowed = max(allowed, min(exists, _rule_allows(model, rule.value, "inline")))
    for rule in model.resources("aws_vpc_security_group_egress_rule"):
        match = _matches(model, rule.value("security_group_id"), identity)
        if match is Tri.NO:
            continue
        exists = Tri.MAYBE if rule.key is UNKNOWN else match
        allowed = max(allowed, min(exists, _rule_allows(model, rule.value, "vpc_rule")))
    return allowed


@HTTPS_EGRESS_BLOCKED.check
def https_egress_blocked(model: Model, options: Options) -> Iterator[Finding]:
    for vf in vpc_functions(model):
        if not vf.security_group_values or not calls_dynamodb(model, vf.function):
            continue
        groups = [
            resolve(model, v, "aws_security_group", "aws_default_security_group") for v in vf.security_group_values
        ]
        if any(g is None for g in groups):
            continue  # a group passed in or not resolvable: it may allow egress
        vpcs = {id(v): v for s in vf.subnet_values if (v := _vpc_of_subnet_value(model, s)) is not None}
        # With a DynamoDB interface endpoint, traffic goes to ENIs inside the VPC: private destinations may do.
        has_interface = any(interface_endpoints(model, v)[0] is not Tri.NO for v in vpcs.values()) or (
            not vpcs and interface_endpoints(model, None)[0] is not Tri.NO
        )
        if has_interface:
            continue
        results = [_group_allows(model, g) for g in groups]  # type: ignore[arg-type]
        if _tri_any(results) is not Tri.NO:
            continue
        names = ", ".join(g.address for g in groups)  # type: ignore[union-attr]
        yield HTTPS_EGRESS_BLOCKED.finding(
            vf.function,
            at=vf.function.blocks("vpc_config")[0].location_of("security_group_ids"),  # type: ignore[index]
            related=tuple(g.location for g in groups),  # type: ignore[union-attr]
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


def _vpc_of_subnet_value(model: Model, value: object) -> Resource | None:
    subnet = resolve(model, value, "aws_subnet")
    return _subnet_vpc(model, subnet) if subnet is not None else None


# -- NET503 -----------------------------------------------------------------------------------------------
@VPC_DNS_DISABLED.check
def vpc_dns_disabled(model: Model, options: Options) -> Iterator[Finding]:
    for vf in vpc_functions(model):
        vpcs: dict[str, Resource] = {}
        for value in vf.subnet_values:
            vpc = _vpc_of_subnet_value(model, value)
            if vpc is not None:
                vpcs[vpc.address] = vpc
        for vpc in vpcs.values():
            if vpc.value("enable_dns_support") is not False:
                continue
            yield VPC_DNS_DISABLED.finding(
                vf.function,
                at=vf.location,
                related=(vpc.location_of("enable_dns_support"),),
                message=(
                    f"{vpc.address} sets enable_dns_support = false: {vf.function.address} cannot resolve "
                    "dynamodb.<region>.amazonaws.com (or any AWS endpoint) and its SDK calls fail"
                ),
                fix=f"set enable_dns_support = true on {vpc.address} (the default)",
            )


# -- NET504 -----------------------------------------------------------------------------------------------
def _vpc_has_gateway_endpoint(model: Model, vpc: Resource) -> Tri:
    found = Tri.NO
    for endpoint in model.resources("aws_vpc_endpoint"):
        service, kind = endpoint_service(endpoint), endpoint_type(endpoint)
        if service == "other" or kind not in ("Gateway", None):
            continue
        match = _same_vpc(model, endpoint.value("vpc_id"), vpc)
        if service == "unknown" or kind is None or endpoint.key is UNKNOWN:
            match = min(match, Tri.MAYBE)
        found = max(found, match)
    return found


@NAT_WITHOUT_ENDPOINT.check
def nat_without_endpoint(model: Model, options: Options) -> Iterator[Finding]:
    for vf in vpc_functions(model):
        if not calls_dynamodb(model, vf.function) or _explicit_endpoint(vf.function) is not Tri.NO:
            continue
        for entry in subnet_paths(model, vf):
            if entry is None or entry.path.nat is not Tri.YES or entry.path.endpoint is not Tri.NO:
                continue
            vpc = entry.table.vpc or _subnet_vpc(model, entry.subnet)
            if vpc is None or _vpc_has_gateway_endpoint(model, vpc) is not Tri.NO:
                continue
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
                    f"route_table_ids = [{entry.table.name}.id]"
                ),
            )
            break


# -- NET505 -----------------------------------------------------------------------------------------------
def _table_grants(model: Model, role: Resource) -> list[tuple[str, object]]:
    """(action, table ARN value) pairs the role allows explicitly (concrete actions, concrete tables)."""
    grants: list[tuple[str, object]] = []
    for document in role_policies(model, role).documents:
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
                grants += [(str(a), target) for a in actions if _is_data_action(a)]
    return grants


def _is_data_action(action: str) -> bool:
    return any(action.lower() == a.lower() for a in DYNAMODB_DATA_ACTIONS[:15])


def _is_table_arn(model: Model, value: object) -> bool:
    ref = ref_of(value)
    if ref is not None:
        return ref.attribute == "arn" and model.referenced(ref, "aws_dynamodb_table") is not None
    return isinstance(value, str) and value.startswith("arn:") and ":table/" in value and "*" not in value


def _endpoint_document(endpoint: Resource) -> PolicyDocument | None:
    value = endpoint.value("policy")
    for extra in endpoint.instance.model.resources("aws_vpc_endpoint_policy"):
        if ref_of(extra.value("vpc_endpoint_id")) == RefValue(endpoint.address, "id"):
            value = extra.value("policy")
    if value is MISSING or value is None:
        return None
    if not (isinstance(value, JsonText | str) or is_known(value)):
        return None
    document = build_document(value, endpoint.address, endpoint.location_of("policy"), kind="resource")
    return document if document.known else None


@ENDPOINT_POLICY_DENIES.check
def endpoint_policy_denies(model: Model, options: Options) -> Iterator[Finding]:
    for vf in vpc_functions(model):
        role = function_role(model, vf.function)
        if role is None:
            continue
        grants = _table_grants(model, role)
        if not grants:
            continue
        seen: set[str] = set()
        for entry in subnet_paths(model, vf):
            if entry is None:
                continue
            for endpoint in entry.path.endpoints:
                if endpoint.address in seen:
                    continue
                seen.add(endpoint.address)
                document = _endpoint_document(endpoint)
                if document is None:
                    continue
                denied = [
                    (action, target)
                    for action, target in grants
                    if documents_allow(model, [document], action, target) is Tri.NO
                ]
                if not denied:
                    continue
                shown = ", ".join(sorted({f"{a} on {_describe_target(model, t)}" for a, t in denied}))
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


def _describe_target(model: Model, value: object) -> str:
    ref = ref_of(value)
    if ref is not None:
        return ref.address
    return str(value)


__all__ = ["calls_dynamodb", "ref_of", "resolve", "vpc_functions"]

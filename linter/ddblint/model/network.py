"""Network facts: how a function in a VPC reaches DynamoDB (routes, endpoints, egress, DNS), with the path.

A function in a VPC reaches DynamoDB's public endpoint `dynamodb.<region>.amazonaws.com` only through its
subnets' route table (a DynamoDB gateway endpoint, or a default route to a NAT gateway / NAT instance /
transit path), its security groups' egress rules, and the VPC's DNS resolver. `Network` traces, per function,
subnet -> route table -> gateway endpoint | NAT route, and keeps what proves it (`SubnetRoute.proof`).

Everything is three-valued: a subnet, route table, route or rule that cannot be resolved statically makes the
answer `Tri.MAYBE`, and rules stay silent on it. Every fact is computed on first use and kept (`Facts.network`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import cached_property

from ddblint.findings import Location
from ddblint.model import Model, Resource
from ddblint.model.opaque_inputs import OpaqueInputs
from ddblint.model.policy import PolicyDocument, Tri, build_document
from ddblint.model.values import MISSING, UNKNOWN, JsonText, RefValue, Symbolic, is_known, ref_of

# Environment variables that point the SDK at another DynamoDB endpoint (then routing is the user's choice).
ENDPOINT_ENV = ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL")
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16")
)


def resolve(model: Model, value: object, *types: str) -> Resource | None:
    """The single, definitely existing resource of `types` a value refers to, else None."""
    resource = model.referenced(ref_of(value), *types)
    if resource is None or resource.key is UNKNOWN:
        return None
    return resource


def present(value: object) -> bool:
    return value is not MISSING and value is not None


def tri_any(values) -> Tri:
    return max(values, default=Tri.NO)


class Network:
    """The network facts of one model: its VPC functions, and per VPC what reaches DynamoDB."""

    def __init__(self, model: Model, opaque: OpaqueInputs):
        self.model = model
        self.opaque = opaque
        self._interface_endpoints: dict[str | None, tuple[Tri, list[Resource]]] = {}
        self._gateway_endpoints: dict[str, Tri] = {}
        self._endpoint_policies: dict[str, PolicyDocument | None] = {}

    @cached_property
    def vpc_functions(self) -> list[VpcFunction]:
        """Functions with a `vpc_config` whose `subnet_ids` is a non-empty list, in model order."""
        found = []
        for function in self.model.resources("aws_lambda_function"):
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
            found.append(
                VpcFunction(
                    self,
                    function,
                    view.location_of("subnet_ids"),
                    list(subnets),
                    list(groups) if isinstance(groups, list) else None,
                )
            )
        return found

    def vpc_function(self, function: Resource) -> VpcFunction | None:
        return next((vf for vf in self.vpc_functions if vf.function is function), None)

    def subnet_vpc(self, subnet: Resource) -> Resource | None:
        return resolve(self.model, subnet.value("vpc_id"), "aws_vpc")

    def interface_endpoints(self, vpc: Resource | None) -> tuple[Tri, list[Resource]]:
        """(does private DNS of a DynamoDB interface endpoint in the VPC serve the public name?, the DynamoDB
        interface endpoints in it without private DNS). `vpc` None: a VPC that cannot be resolved."""
        key = vpc.address if vpc is not None else None
        if key not in self._interface_endpoints:
            self._interface_endpoints[key] = interface_endpoints(self.model, vpc)
        return self._interface_endpoints[key]

    def gateway_endpoint_in(self, vpc: Resource) -> Tri:
        """Does the VPC have a DynamoDB gateway endpoint (attached to any route table or none)?"""
        if vpc.address not in self._gateway_endpoints:
            self._gateway_endpoints[vpc.address] = _vpc_has_gateway_endpoint(self.model, vpc)
        return self._gateway_endpoints[vpc.address]

    def endpoint_policy(self, endpoint: Resource) -> PolicyDocument | None:
        """The known policy of a VPC endpoint (its `policy`, or an `aws_vpc_endpoint_policy` of it), else None."""
        if endpoint.address not in self._endpoint_policies:
            self._endpoint_policies[endpoint.address] = _endpoint_document(endpoint)
        return self._endpoint_policies[endpoint.address]


@dataclass(eq=False)
class VpcFunction:
    """A function in a VPC, and how it reaches DynamoDB. Each property is computed on first use."""

    network: Network
    function: Resource
    location: Location  # the vpc_config's subnet_ids line
    subnet_values: list[object]
    security_group_values: list[object] | None  # None when not a list

    @cached_property
    def subnets(self) -> list[SubnetRoute | None]:
        """One entry per subnet value: its route table and routes, or None when it cannot be resolved."""
        model = self.network.model
        result: list[SubnetRoute | None] = []
        for value in self.subnet_values:
            subnet = resolve(model, value, "aws_subnet")
            table = subnet_route_table(model, subnet) if subnet is not None else None
            if subnet is None or table is None:
                result.append(None)
                continue
            result.append(SubnetRoute(subnet, table, route_table_routes(model, table, self.network.opaque)))
        return result

    @cached_property
    def vpcs(self) -> list[Resource]:
        """The VPCs of the subnets that resolve to one, each once, in subnet order."""
        found: dict[str, Resource] = {}
        for value in self.subnet_values:
            subnet = resolve(self.network.model, value, "aws_subnet")
            vpc = self.network.subnet_vpc(subnet) if subnet is not None else None
            if vpc is not None:
                found.setdefault(vpc.address, vpc)
        return list(found.values())

    @cached_property
    def explicit_endpoint(self) -> Tri:
        """The function's environment points the SDK at an endpoint URL (AWS_ENDPOINT_URL_DYNAMODB)."""
        blocks = self.function.blocks("environment")
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

    @cached_property
    def security_groups(self) -> list[Resource] | None:
        """The function's security groups, None when one is passed in or cannot be resolved."""
        model = self.network.model
        groups = [
            resolve(model, v, "aws_security_group", "aws_default_security_group")
            for v in self.security_group_values or []
        ]
        if any(g is None for g in groups):
            return None
        return groups  # type: ignore[return-value]

    @cached_property
    def interface_endpoint_in_vpc(self) -> bool:
        """A DynamoDB interface endpoint may serve the function's VPC: its traffic then stays inside the VPC."""
        if self.vpcs:
            return any(self.network.interface_endpoints(v)[0] is not Tri.NO for v in self.vpcs)
        return self.network.interface_endpoints(None)[0] is not Tri.NO

    @cached_property
    def https_egress(self) -> Tri:
        """Does some security group of the function allow TCP 443 towards DynamoDB?"""
        groups = self.security_groups or []
        return tri_any(_group_allows(self.network.model, g, self.network.opaque) for g in groups)


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
class Routes:
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


def _add_route(path: Routes, kind: str, covers: Tri, exists: Tri, name: str) -> None:
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


def route_table_routes(model: Model, table: RouteTable, opaque: OpaqueInputs) -> Routes:
    """What the route table offers: a gateway endpoint, a NAT route, other egress (each three-valued)."""
    path = Routes()
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
    if opaque.mention(*(address for address, _ in table.identity)):
        path.egress = max(path.egress, Tri.MAYBE)  # a module we cannot read is given this route table
        path.endpoint = max(path.endpoint, Tri.MAYBE)
    return path


def _attach_endpoints(model: Model, table: RouteTable, path: Routes) -> None:
    for endpoint in model.resources("aws_vpc_endpoint"):
        service = endpoint_service(endpoint)
        kind = endpoint_type(endpoint)
        if service == "other" or kind not in ("Gateway", None):
            continue
        value = endpoint.value("route_table_ids")
        if value is MISSING or value is None:
            continue
        if isinstance(value, list | tuple):
            match = tri_any(_matches(model, v, table.identity) for v in value)
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


@dataclass
class SubnetRoute:
    """A subnet of a VPC function, the route table it uses and what that table offers towards DynamoDB."""

    subnet: Resource
    table: RouteTable
    path: Routes

    @property
    def proof(self) -> str | None:
        """The path that certainly reaches DynamoDB, subnet -> route table -> gateway endpoint | NAT route;
        None when the route table offers neither for sure."""
        start = f"{self.subnet.address} -> {self.table.name}"
        if self.path.endpoints:
            return f"{start} -> {self.path.endpoints[0].address}"
        if self.path.nat_routes:
            return f"{start} -> {self.path.nat_routes[0]} (NAT gateway)"
        return None


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
        return tri_any(_cidr_covers(e.value("cidr")) for e in entries)
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
    return min(ports, tri_any(destinations))


def _group_allows(model: Model, group: Resource, opaque: OpaqueInputs) -> Tri:
    if opaque.mention(group.address):
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

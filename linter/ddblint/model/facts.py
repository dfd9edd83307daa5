"""Cross-resource facts of one root's model, computed once, on first use, with names. Rules only read them.

`facts_of(model)` gives the model's `Facts` (made on first use and kept in `model.facts`):

- wiring: `event_source(mapping)` (the source kind: DynamoDB stream, Kinesis, SQS, Kafka, MQ or unknown),
  `mapping_function(mapping)`, `function_role(function)`, `role_policies(role)` (every document attached),
  `mappings_of(function)`, `wiring(mapping)` which follows all of them from a mapping, `lambda_roles`, and
  `api_integrations` (API Gateway -> function); `identity_documents`: every identity policy, once;
- `network`: how each function in a VPC reaches DynamoDB, with the path that proves it (`ddblint.model.network`);
- `handler_code(function)`: what the function's handler file does with the SDK (`ddblint.model.handler_code`);
- `handler_calls(function)`: every AWS SDK call of its handler code, Python or JavaScript/TypeScript
  (`ddblint.model.code_calls`); `permissions(function)`: what its role must allow, those calls resolved through
  its environment, with its mappings' reads, destinations and logs (`ddblint.model.code_permissions`);
  `unused_grants(role)`: what a role grants that none of its functions' code uses;
- `opaque_inputs`: what the code passes to modules that could not be loaded; `dependencies`: Terraform's
  creation order; `module_interface`: the inputs and outputs of module calls (`ddblint.model.module_interface`);
  `calls_dynamodb`, `environment_tables` and `names_dynamodb`: a function's use of DynamoDB.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from ddblint.model import Model, Resource
from ddblint.model.code_calls import HandlerCalls
from ddblint.model.code_permissions import CodePermissions, FunctionPermissions, UnusedGrant
from ddblint.model.dependencies import DependencyGraph
from ddblint.model.handler_code import HandlerCode
from ddblint.model.lambda_wiring import (
    ApiIntegration,
    EventSource,
    api_integrations,
    event_source,
    function_role,
    mapping_function,
)
from ddblint.model.module_interface import ModuleInterface
from ddblint.model.network import Network
from ddblint.model.opaque_inputs import OpaqueInputs, opaque_inputs
from ddblint.model.policy import (
    PolicyDocument,
    RoleLinks,
    RolePolicies,
    Tri,
    action_matches,
    attached_policies,
    policy_documents,
)
from ddblint.model.values import UNKNOWN, JsonText, RefValue, Symbolic, TracedStr, origin_of, ref_of, to_plain

# Item actions: what a function does with a table's items. A role granting any of them "calls DynamoDB"; the
# stream-read actions do not count: an event source mapping reads the stream from the Lambda service.
DYNAMODB_ITEM_ACTIONS = (
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
)


def facts_of(model: Model) -> Facts:
    """The model's facts, made on first use."""
    if model.facts is None:
        model.facts = Facts(model)
    return model.facts


class Facts:
    """The facts of one model. Each is computed on first use and kept, so every rule sees the same answer."""

    def __init__(self, model: Model):
        self.model = model
        self._event_sources: dict[str, EventSource] = {}
        self._mapping_functions: dict[str, Resource | None] = {}
        self._function_roles: dict[str, Resource | None] = {}
        self._role_policies: dict[str, RolePolicies] = {}
        self._wiring: dict[str, MappingWiring] = {}
        self._calls_dynamodb: dict[str, bool] = {}
        self._handler_code: dict[str, HandlerCode | None] = {}
        self._handler_calls: dict[str, HandlerCalls | None] = {}

    # -- module calls that could not be loaded, creation order -----------------------------------------------
    @cached_property
    def opaque_inputs(self) -> OpaqueInputs:
        return opaque_inputs(self.model)

    @cached_property
    def dependencies(self) -> DependencyGraph:
        return DependencyGraph(self.model)

    @cached_property
    def module_interface(self) -> ModuleInterface:
        """The inputs and outputs of the module calls, for fixes written where the user edits."""
        return ModuleInterface(self.model)

    # -- wiring: mapping -> source kind -> function -> role -> policy documents --------------------------------
    def event_source(self, mapping: Resource) -> EventSource:
        if mapping.address not in self._event_sources:
            self._event_sources[mapping.address] = event_source(self.model, mapping)
        return self._event_sources[mapping.address]

    def mapping_function(self, mapping: Resource) -> Resource | None:
        """The aws_lambda_function of the scanned code a mapping invokes, else None."""
        if mapping.address not in self._mapping_functions:
            self._mapping_functions[mapping.address] = mapping_function(self.model, mapping)
        return self._mapping_functions[mapping.address]

    def function_role(self, function: Resource) -> Resource | None:
        """The aws_iam_role of the scanned code a function's `role` points at, else None."""
        if function.address not in self._function_roles:
            self._function_roles[function.address] = function_role(self.model, function)
        return self._function_roles[function.address]

    @cached_property
    def identity_documents(self) -> list[PolicyDocument]:
        """Every identity policy document, with the statements written at each origin (`policy_documents`)."""
        return policy_documents(self.model)

    @cached_property
    def role_links(self) -> RoleLinks:
        return RoleLinks(self.model)

    def role_policies(self, role: Resource) -> RolePolicies:
        """Every policy attached to the role."""
        found = self._role_policies.get(role.address)
        if found is None or found.role is not role:
            found = self._role_policies[role.address] = attached_policies(self.model, role, self.role_links)
        return found

    @cached_property
    def lambda_roles(self) -> list[Resource]:
        """The roles Lambda functions run as: those a function's `role` names (a reference, or an ARN ending in
        the role's name) and those whose trust policy names lambda.amazonaws.com; sorted by address."""
        roles: dict[str, Resource] = {}
        for function in self.model.resources("aws_lambda_function"):
            role = self._role_named_by(function.value("role"))
            if role is not None:
                roles[role.address] = role
        for role in self.model.resources("aws_iam_role"):
            trust = role.value("assume_role_policy")
            text = json.dumps(to_plain(trust.value if isinstance(trust, JsonText) else trust), default=str)
            if "lambda.amazonaws.com" in text:
                roles[role.address] = role
        return [roles[k] for k in sorted(roles)]

    def _role_named_by(self, value: object) -> Resource | None:
        value = origin_of(value)
        role = self.model.referenced(value, "aws_iam_role")
        if role is not None or not isinstance(value, str):
            return role
        for candidate in self.model.resources("aws_iam_role"):
            name = candidate.value("name")
            if isinstance(name, str) and value.endswith(f":role/{name}"):
                return candidate
        return None

    def mappings_of(self, function: Resource) -> list[Resource]:
        """The event source mappings that invoke the function, in model order."""
        return [
            m for m in self.model.resources("aws_lambda_event_source_mapping") if self.mapping_function(m) is function
        ]

    @cached_property
    def api_integrations(self) -> list[ApiIntegration]:
        """API Gateway integrations and the function each calls (None when it is not in the scanned code)."""
        return api_integrations(self.model)

    def wiring(self, mapping: Resource) -> MappingWiring:
        if mapping.address not in self._wiring:
            self._wiring[mapping.address] = MappingWiring(self, mapping)
        return self._wiring[mapping.address]

    # -- a function's use of DynamoDB ------------------------------------------------------------------------
    def calls_dynamodb(self, function: Resource) -> bool:
        """The function's role grants a DynamoDB item action: its code talks to DynamoDB from where it runs. A
        mapping that reads a table's stream, and the stream-read grants it needs, do not count: the Lambda service
        polls the stream, outside the function's VPC."""
        if function.address not in self._calls_dynamodb:
            self._calls_dynamodb[function.address] = self._grants_dynamodb_items(function)
        return self._calls_dynamodb[function.address]

    def _grants_dynamodb_items(self, function: Resource) -> bool:
        role = self.function_role(function)
        if role is None:
            return False
        for document in self.role_policies(role).documents:
            for statement in document.statements:
                if statement.effect != "Allow":
                    continue
                for pattern in statement.values("Action") or []:
                    if any(action_matches(pattern, a) is Tri.YES for a in DYNAMODB_ITEM_ACTIONS):
                        return True
        return False

    def environment_tables(self, function: Resource) -> dict[str, Resource]:
        """Environment variable name -> the aws_dynamodb_table its value refers to (or names, when literal)."""
        result: dict[str, Resource] = {}
        tables = [t for t in self.model.resources("aws_dynamodb_table") if t.key is not UNKNOWN]
        for view in function.blocks("environment") or []:
            variables = view.value("variables")
            if not isinstance(variables, dict):
                continue
            for name, value in variables.items():
                table = self.model.referenced(ref_of(value), "aws_dynamodb_table")
                if table is None and isinstance(value, str) and ref_of(value) is None:
                    named = [t for t in tables if t.value("name") == value]
                    table = named[0] if len(named) == 1 else None
                if table is not None and table.key is not UNKNOWN:
                    result[str(name)] = table
        return result

    def names_dynamodb(self, function: Resource) -> bool:
        """The function's environment names a table of the scanned code, or a mapping reads a table's stream."""
        tables = {t.address for t in self.model.resources("aws_dynamodb_table")}
        names = {t.value("name") for t in self.model.resources("aws_dynamodb_table")}
        for view in function.blocks("environment") or []:
            variables = view.value("variables")
            values = variables.values() if isinstance(variables, dict) else ()
            for value in values:
                refs: list[RefValue] = []
                if isinstance(value, TracedStr):
                    refs = [value.origin]
                elif isinstance(value, RefValue):
                    refs = [value]
                elif isinstance(value, Symbolic):
                    refs = list(value.refs)
                if any(ref.address in tables for ref in refs):
                    return True
                if isinstance(value, str) and not isinstance(value, TracedStr) and value in names:
                    return True
        return any(self.event_source(mapping).kind == "dynamodb" for mapping in self.mappings_of(function))

    # -- network, handler code --------------------------------------------------------------------------------
    @cached_property
    def network(self) -> Network:
        return Network(self.model, self.opaque_inputs)

    def handler_code(self, function: Resource) -> HandlerCode | None:
        """The facts of the function's handler file, None when it has none the loader can find and parse."""
        if function.address not in self._handler_code:
            finder = self.model.handler_finder
            source = finder.find(function) if finder is not None else None
            self._handler_code[function.address] = HandlerCode(source) if source is not None else None
        return self._handler_code[function.address]

    def handler_calls(self, function: Resource) -> HandlerCalls | None:
        """Every AWS SDK call of the function's handler code and its local imports; None when the loader finds
        no handler source for it (an image, an S3 package, a runtime whose code is not read)."""
        if function.address not in self._handler_calls:
            finder = self.model.handler_finder
            package = finder.package(function) if finder is not None else None
            calls = None
            if package is not None and package.language == "python":
                from ddblint.model.python_calls import python_calls  # imported on first use: only IAM107/8 read it

                calls = python_calls(package)
            elif package is not None:
                from ddblint.model.script_calls import script_calls

                calls = script_calls(package)
            self._handler_calls[function.address] = calls
        return self._handler_calls[function.address]

    @cached_property
    def code_permissions(self) -> CodePermissions:
        return CodePermissions(self.model, self, self.handler_calls)

    def permissions(self, function: Resource) -> FunctionPermissions:
        """What the function's role must allow, as far as the scanned code shows (`ddblint.model.code_permissions`)."""
        return self.code_permissions.of(function)

    def unused_grants(self, role: Resource) -> list[UnusedGrant] | None:
        """The data actions the role's own statements grant that no function of the role uses (None: unknown)."""
        return self.code_permissions.unused_grants(role)


@dataclass(eq=False)
class MappingWiring:
    """An event source mapping and what it is wired to; each link is followed on first use, None when it
    leaves the scanned code."""

    facts: Facts
    mapping: Resource

    @property
    def source(self) -> EventSource:
        return self.facts.event_source(self.mapping)

    @property
    def function(self) -> Resource | None:
        return self.facts.mapping_function(self.mapping)

    @property
    def role(self) -> Resource | None:
        function = self.function
        return self.facts.function_role(function) if function is not None else None

    @property
    def policies(self) -> RolePolicies | None:
        role = self.role
        return self.facts.role_policies(role) if role is not None else None


__all__ = ["DYNAMODB_ITEM_ACTIONS", "Facts", "MappingWiring", "facts_of"]

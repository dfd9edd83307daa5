"""IAM policy documents in the model, the policies attached to a role, and one evaluation function.

`role_allows(model, role, action, target)` answers "does this role allow `action` on `target`?" with a
three-valued answer: YES, NO or MAYBE. MAYBE means something on the way is unknown (an unresolved variable,
a policy ARN passed in, a condition); rules that report a missing permission fire only on NO.

ARNs are compared as token sequences. A reference such as `aws_dynamodb_table.t.stream_arn` becomes the ARN
template AWS documents for that resource type (`arn:<partition>:dynamodb:<region>:<account>:table/<name>/
stream/<label>`) where each unknown part is a named hole: two holes match only when they are the same, and a
hole against literal text matches as MAYBE.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from ddblint.findings import Location
from ddblint.model.functions import decode_json_text
from ddblint.model.values import (
    MISSING,
    UNKNOWN,
    HclObject,
    JsonText,
    RefValue,
    Symbolic,
    TracedStr,
    is_known,
    origin_of,
)

if TYPE_CHECKING:
    from ddblint.model import Model, Resource


class Tri(enum.IntEnum):
    NO = 0
    MAYBE = 1
    YES = 2


# -- documents --------------------------------------------------------------------------------------------
@dataclass
class Statement:
    raw: dict
    location: Location
    origin: str  # address of the block where the statement is written
    index: int

    @property
    def effect(self) -> object:
        return self.raw.get("Effect", UNKNOWN)

    def values(self, key: str) -> list[object] | None:
        """A list-valued element (Action, Resource, ...) as a list, None when absent."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, list | tuple):
            return list(value)
        return [value]


@dataclass
class PolicyDocument:
    """A policy document and where it is written. `value` is the decoded document, or UNKNOWN."""

    value: object
    origin: str  # address of the resource or data source (or the file, for standalone documents)
    location: Location
    kind: str = "identity"  # or "trust"
    statements: list[Statement] = field(default_factory=list)
    shape_problems: list[str] = field(default_factory=list)
    # False when some statements could not be evaluated (a Statement list built from unknown values).
    complete: bool = True

    @property
    def known(self) -> bool:
        return isinstance(self.value, dict) and self.complete


def build_document(value: object, origin: str, location: Location, kind: str = "identity") -> PolicyDocument:
    """Decode a policy value (JsonText, JSON string, symbolic JSON) into a document with its statements."""
    document = PolicyDocument(UNKNOWN, origin, location, kind)
    if value is UNKNOWN or isinstance(value, RefValue):
        return document
    try:
        decoded = decode_json_text(value) if isinstance(value, str | Symbolic | JsonText) else value
    except (ValueError, TypeError):
        document.shape_problems.append("the policy is not valid JSON")
        document.value = {}
        return document
    if not isinstance(decoded, dict):
        if decoded is not UNKNOWN:
            document.shape_problems.append("the policy document is not a JSON object")
            document.value = {}
        return document
    document.value = decoded
    statements = decoded.get("Statement")
    if statements is None:
        document.shape_problems.append("the document has no Statement")
        return document
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        if statements is UNKNOWN:
            document.complete = False
        else:
            document.shape_problems.append("Statement is neither an object nor a list of objects")
        return document
    for index, raw in enumerate(statements):
        if not isinstance(raw, dict):
            if raw is UNKNOWN:
                document.complete = False
            else:
                document.shape_problems.append(f"Statement[{index}] is not an object")
            continue
        line = getattr(raw, "line", 0) or location.line
        file = getattr(raw, "file", None) or location.file
        statement_origin = getattr(raw, "origin", None) or origin
        document.statements.append(Statement(raw, Location(file, line), statement_origin, index))
    return document


def document_from_data_source(resource: Resource) -> dict | None:
    """The JSON document a `data "aws_iam_policy_document"` produces, statements marked with their origin."""
    statements: list[dict] = []
    for source in _document_list(resource.value("source_policy_documents")):
        statements.extend(source)
    views, complete = resource.known_blocks("statement")
    for view in views:
        statement = HclObject(line=view.line)
        statement.origin = resource.address  # type: ignore[attr-defined]
        statement.file = resource.file  # type: ignore[attr-defined]
        for attribute, key in (("sid", "Sid"), ("effect", "Effect")):
            value = view.value(attribute)
            if value is not MISSING:
                statement[key] = value
        statement.setdefault("Effect", "Allow")
        for attribute, key in (
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ):
            value = view.value(attribute)
            if value is not MISSING:
                statement[key] = value
        for block_name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals: dict[str, list] = {}
            for principal in view.blocks(block_name) or []:
                type_, identifiers = principal.value("type"), principal.value("identifiers")
                if isinstance(type_, str) and isinstance(identifiers, list):
                    principals.setdefault(type_, []).extend(identifiers)
                else:
                    principals.setdefault("?", []).append(UNKNOWN)
            if principals:
                statement[key] = {k: ("*" if k == "*" else v) for k, v in principals.items()}
        conditions: dict[str, dict] = {}
        for condition in view.blocks("condition") or []:
            test, variable, values = (condition.value(k) for k in ("test", "variable", "values"))
            if isinstance(test, str) and isinstance(variable, str):
                conditions.setdefault(test, {})[variable] = values
            else:
                conditions.setdefault("?", {})["?"] = UNKNOWN
        if conditions:
            statement["Condition"] = conditions
        _merge_by_sid(statements, [statement])
    if not complete:
        # A `dynamic "statement"` whose for_each is unknown: its statements are unknown, the static ones are
        # still checked, and the document is incomplete (an unknown statement may grant anything).
        statements.append(UNKNOWN)  # type: ignore[arg-type]
    for override in _document_list(resource.value("override_policy_documents")):
        _merge_by_sid(statements, override)
    version = resource.value("version")
    return {"Version": version if isinstance(version, str) else "2012-10-17", "Statement": statements}


def _document_list(value: object) -> Iterator[list[dict]]:
    """The statements of each document of `source_policy_documents`/`override_policy_documents`; a document
    or statement that is not known is an UNKNOWN statement (the combined document is then incomplete)."""
    if value is MISSING or value is None:
        return
    if not isinstance(value, list | tuple):
        yield [UNKNOWN]  # type: ignore[list-item]
        return
    for item in value:
        try:
            decoded = decode_json_text(item)
        except (ValueError, TypeError):
            continue
        if isinstance(decoded, dict):
            statements = decoded.get("Statement", [])
            if statements is UNKNOWN:
                yield [UNKNOWN]  # type: ignore[list-item]
                continue
            listed = [statements] if isinstance(statements, dict) else statements
            if isinstance(listed, list):
                yield [s for s in listed if isinstance(s, dict) or s is UNKNOWN]
        elif decoded is UNKNOWN or isinstance(decoded, RefValue | Symbolic):
            yield [UNKNOWN]  # type: ignore[list-item]


def _merge_by_sid(statements: list[dict], new: list[dict]) -> None:
    """Later statements replace earlier ones with the same non-empty Sid, as the provider does."""
    for statement in new:
        sid = statement.get("Sid") if isinstance(statement, dict) else None
        for index, existing in enumerate(statements):
            if sid and isinstance(sid, str) and isinstance(existing, dict) and existing.get("Sid") == sid:
                statements[index] = statement
                break
        else:
            statements.append(statement)


# -- managed policies --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def managed_policies() -> dict[str, dict]:
    """AWS-managed policy documents shipped with ddblint, by policy name (source named in the data file)."""
    text = resources.files("ddblint.data").joinpath("managed_policies.json").read_text(encoding="utf-8")
    return json.loads(text)["policies"]


def managed_policy_name(arn: object) -> str | None:
    """`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole` -> `AWSLambdaBasicExecutionRole`."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[4] != "aws" or not parts[5].startswith("policy/"):
        return None
    return parts[5].rsplit("/", 1)[-1]


# -- what is attached to a role ----------------------------------------------------------------------------
@dataclass
class Attachment:
    """One way a policy reaches a role: the document (when known) and the resource that attaches it."""

    via: Resource  # the resource that attaches it (or the role itself)
    location: Location
    document: PolicyDocument | None  # None when the policy is not known (ARN passed in, ...)
    managed_name: str | None = None  # for AWS-managed policies
    separate: bool = False  # attached by its own resource (aws_iam_role_policy, attachments), not inline


@dataclass
class RolePolicies:
    role: Resource
    attachments: list[Attachment]
    complete: bool  # False when some attachment in the model may target this role but can't be resolved

    @property
    def documents(self) -> list[PolicyDocument]:
        return [a.document for a in self.attachments if a.document is not None]


def refers_to(value: object, role: Resource, attributes: tuple[str, ...] = ("name", "id", "arn")) -> Tri:
    """Does `value` (a role argument of an attachment) name this role?"""
    value = origin_of(value)
    if isinstance(value, RefValue):
        return Tri.YES if value.address == role.address and value.attribute in attributes else Tri.NO
    if not is_known(value):
        return Tri.MAYBE
    if isinstance(value, str):
        name = role.value("name")
        if not isinstance(name, str):
            return Tri.MAYBE if ":role/" in value or "/" not in value else Tri.NO
        if value == name or value.endswith(f":role/{name}") or value.endswith(f"/{name}"):
            return Tri.YES
        return Tri.NO
    return Tri.NO


_ROLE_LINKS = (
    ("aws_iam_role_policy", "role"),
    ("aws_iam_role_policy_attachment", "role"),
    ("aws_iam_policy_attachment", "roles"),
    ("aws_iam_role_policy_attachments_exclusive", "role_name"),
)


class RoleLinks:
    """The resources that attach policies to roles, indexed once per model by the role they name.

    `candidates(type_, role)`: the resources of `type_` that may name `role`, in model order: those whose role
    argument is a reference to this role, and those whose role argument is not a reference (a name, an unknown).
    So finding a role's attachments is not a scan of every attachment per role.
    """

    def __init__(self, model: Model):
        self.model = model
        self._indexes: dict[str, tuple[dict[str, list[tuple[int, Resource]]], list[tuple[int, Resource]]]] = {}

    def candidates(self, type_: str, role: Resource) -> list[Resource]:
        index = self._indexes.get(type_)
        if index is None:
            index = self._indexes[type_] = self._index(type_)
        by_role, others = index
        mine = by_role.get(role.address, [])
        if not others:
            return [resource for _, resource in mine]
        if not mine:
            return [resource for _, resource in others]
        return [resource for _, resource in sorted(mine + others, key=lambda pair: pair[0])]

    def _index(self, type_: str) -> tuple[dict[str, list[tuple[int, Resource]]], list[tuple[int, Resource]]]:
        attribute = dict(_ROLE_LINKS)[type_]
        by_role: dict[str, list[tuple[int, Resource]]] = {}
        others: list[tuple[int, Resource]] = []
        for position, resource in enumerate(self.model.resources(type_)):
            value = resource.value(attribute)
            values = value if isinstance(value, list) and attribute == "roles" else [value]
            targets: set[str] | None = set()
            for item in values:
                item = origin_of(item)
                if isinstance(item, RefValue):
                    targets.add(item.address)  # type: ignore[union-attr]
                else:
                    targets = None
                    break
            if targets is None or not values:
                others.append((position, resource))
            else:
                for address in targets:
                    by_role.setdefault(address, []).append((position, resource))
        return by_role, others


def attached_policies(model: Model, role: Resource, links: RoleLinks) -> RolePolicies:
    """Every policy attached to the role (`Facts.role_policies` computes it once per role)."""
    attachments: list[Attachment] = []
    complete = True
    for view in role.blocks("inline_policy") or []:
        value = view.value("policy")
        if view.has("policy"):
            attachments.append(
                Attachment(
                    role,
                    view.location_of("policy"),
                    build_document(value, role.address, view.location_of("policy")),
                )
            )
    if role.blocks("inline_policy") is None:
        complete = False
    managed = role.value("managed_policy_arns")
    for arn in managed if isinstance(managed, list) else []:
        attachment = _attachment_for_arn(model, arn, role, role.location_of("managed_policy_arns"), separate=False)
        attachments.append(attachment)
    for policy in links.candidates("aws_iam_role_policy", role):
        match = refers_to(policy.value("role"), role)
        if match is Tri.MAYBE:
            complete = False
        if match is Tri.YES:
            location = policy.location_of("policy")
            document = build_document(policy.value("policy"), policy.address, location)
            attachments.append(Attachment(policy, location, document, separate=True))
    for attachment in links.candidates("aws_iam_role_policy_attachment", role):
        match = refers_to(attachment.value("role"), role)
        if match is Tri.MAYBE:
            complete = False
        if match is Tri.YES:
            attachments.append(
                _attachment_for_arn(
                    model, attachment.value("policy_arn"), attachment, attachment.location_of("policy_arn")
                )
            )
    for attachment in links.candidates("aws_iam_policy_attachment", role):
        roles = attachment.value("roles")
        matches = [refers_to(r, role) for r in roles] if isinstance(roles, list) else [Tri.MAYBE]
        if Tri.YES in matches:
            attachments.append(
                _attachment_for_arn(
                    model, attachment.value("policy_arn"), attachment, attachment.location_of("policy_arn")
                )
            )
        elif Tri.MAYBE in matches:
            complete = False
    for exclusive in links.candidates("aws_iam_role_policy_attachments_exclusive", role):
        if refers_to(exclusive.value("role_name"), role) is Tri.YES:
            arns = exclusive.value("policy_arns")
            for arn in arns if isinstance(arns, list) else [UNKNOWN]:
                attachments.append(_attachment_for_arn(model, arn, exclusive, exclusive.location_of("policy_arns")))
    for attachment in attachments:
        if attachment.document is None or not attachment.document.known:
            complete = False
    return RolePolicies(role, attachments, complete)


def _attachment_for_arn(
    model: Model, arn: object, via: Resource, location: Location, separate: bool = True
) -> Attachment:
    arn = origin_of(arn)
    policy = model.referenced(arn, "aws_iam_policy")
    if policy is not None:
        document = build_document(policy.value("policy"), policy.address, policy.location_of("policy"))
        return Attachment(via, location, document, separate=separate)
    name = managed_policy_name(arn)
    looked_up = model.referenced(arn, "data.aws_iam_policy")
    if looked_up is not None:
        name = _managed_policy_looked_up(looked_up)
        if name is None:
            return Attachment(via, location, None, separate=separate)
    if name is not None:
        data = managed_policies().get(name)
        document = None
        if data is not None:
            document = build_document(data["document"], f"AWS managed policy {name}", location)
        return Attachment(via, location, document, managed_name=name, separate=separate)
    if isinstance(arn, str):  # a customer policy ARN by literal: find the aws_iam_policy with that name
        for candidate in model.resources("aws_iam_policy"):
            candidate_name = candidate.value("name")
            if isinstance(candidate_name, str) and arn.endswith(f":policy/{candidate_name}"):
                return _attachment_for_arn(model, RefValue(candidate.address, "arn"), via, location, separate)
    return Attachment(via, location, None, separate=separate)


def _managed_policy_looked_up(data: Resource) -> str | None:
    """The AWS-managed policy a `data "aws_iam_policy"` looks up by `arn` or by `name`, else None."""
    arn = data.value("arn")
    if isinstance(arn, str):
        return managed_policy_name(arn)
    name = data.value("name")
    if isinstance(name, str) and name in managed_policies():
        return name
    return None


# -- evaluation -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hole:
    """An unknown part of an ARN with an identity: `account`, or the name of one particular table."""

    id: str


_STAR, _QMARK, _WILD = object(), object(), object()  # pattern wildcards; _WILD: an unknown value


def arn_tokens(model: Model | None, value: object, pattern: bool) -> list[object] | None:
    """Tokens of an ARN value: characters, Holes, and (in patterns) wildcards. None when not a string."""
    if isinstance(value, TracedStr):
        value = str(value)
    if isinstance(value, str):
        if not pattern:
            return list(value)
        return [_STAR if c == "*" else _QMARK if c == "?" else c for c in value]
    if value is UNKNOWN:
        return [_WILD]
    if isinstance(value, RefValue):
        return reference_tokens(model, value)
    if isinstance(value, Symbolic):
        tokens: list[object] = []
        for part in value.parts:
            part_tokens = arn_tokens(model, part, pattern)
            if part_tokens is None:
                return None
            tokens.extend(part_tokens)
        return tokens
    return None


_PARTITION, _REGION, _ACCOUNT = Hole("partition"), Hole("region"), Hole("account")

# Resource ARN formats from the AWS Service Authorization Reference ("Resource types defined by ...").
_ARN_TEMPLATES: dict[str, tuple[str, str, str]] = {
    # type: (service, resource part before the name, name attribute)
    "aws_dynamodb_table": ("dynamodb", "table/", "name"),
    "data.aws_dynamodb_table": ("dynamodb", "table/", "name"),
    "aws_sqs_queue": ("sqs", "", "name"),
    "data.aws_sqs_queue": ("sqs", "", "name"),
    "aws_sns_topic": ("sns", "", "name"),
    "data.aws_sns_topic": ("sns", "", "name"),
    "aws_kinesis_stream": ("kinesis", "stream/", "name"),
    "data.aws_kinesis_stream": ("kinesis", "stream/", "name"),
    "aws_lambda_function": ("lambda", "function:", "function_name"),
    "aws_cloudwatch_log_group": ("logs", "log-group:", "name"),
    "aws_iam_role": ("iam", "role/", "name"),
    "aws_iam_policy": ("iam", "policy/", "name"),
    "aws_kms_key": ("kms", "key/", "key_id"),
    "aws_s3_bucket": ("s3", "", "bucket"),
    "data.aws_s3_bucket": ("s3", "", "bucket"),
    "aws_cloudwatch_event_bus": ("events", "event-bus/", "name"),
    "data.aws_cloudwatch_event_bus": ("events", "event-bus/", "name"),
}
_GLOBAL_SERVICES = {"iam", "s3"}


def reference_tokens(model: Model | None, ref: RefValue) -> list[object]:
    resource = model.resource(ref.address) if model is not None else None
    if resource is None:
        return [Hole(f"{ref.address}.{ref.attribute}")]
    kind = resource.full_type
    if kind == "data.aws_caller_identity" and ref.attribute == "account_id":
        return [_ACCOUNT]
    if kind == "data.aws_region" and ref.attribute in ("name", "region", "id"):
        return [_REGION]
    if kind == "data.aws_partition" and ref.attribute == "partition":
        return [_PARTITION]
    template = _ARN_TEMPLATES.get(kind)
    if template is None or ref.attribute not in ("arn", "stream_arn"):
        if template is not None and ref.attribute == template[2]:
            return _name_tokens(resource, template[2])
        return [Hole(f"{ref.address}.{ref.attribute}")]
    service, prefix, name_attribute = template
    region: list[object] = [] if service in _GLOBAL_SERVICES else [_REGION]
    account: list[object] = [] if service == "s3" else [_ACCOUNT]
    tokens: list[object] = ["a", "r", "n", ":", _PARTITION, ":", *service, ":", *region, ":", *account, ":"]
    if kind == "aws_iam_role" or kind == "aws_iam_policy":
        path = resource.value("path")
        prefix += path.lstrip("/") if isinstance(path, str) else ""
    tokens += [*prefix, *_name_tokens(resource, name_attribute)]
    if ref.attribute == "stream_arn":
        if service == "kinesis":
            return tokens
        tokens += [*"/stream/", Hole(f"{resource.address}.stream_label")]
    return tokens


# Well-formed stand-ins for the holes of an ARN whose shape is known, for checkers that need a literal ARN.
_HOLE_STAND_INS = {"partition": "aws", "region": "us-east-1", "account": "123456789012"}
_ARN_HEAD = re.compile(r"arn:[^:*]+:[a-z0-9-]+:")


def arn_stand_in(model: Model | None, value: object) -> str | None:
    """A literal ARN of the shape `value` is known to have, or None when its shape is not known.

    Unknown stays unknown: `aws_dynamodb_table.t.stream_arn` has a known shape (the table's name, the region,
    the account and the stream label become well-formed stand-ins), and so has
    `"arn:aws:s3:::${var.bucket}/*"` (the unknown part becomes `*`); `var.table_arn`,
    `"${var.table_arn}/index/*"` or the `arn` of a resource type whose ARN format is not known here do not:
    their partition and service are not known, so nothing can be said about them.
    """
    if isinstance(value, str):
        return str(value)
    tokens = arn_tokens(model, value, pattern=False)
    if tokens is None:
        return None
    text = "".join(_token_stand_in(token) for token in tokens)
    return text if _ARN_HEAD.match(text) else None


# Resources that AWS's own documentation grants an action on, beyond the Service Authorization Reference's
# resource types for it. `dynamodb:ListStreams` has no resource type (only `*` scopes it), yet the Lambda
# developer guide (with-ddb.html, "Execution role permissions") lists it with the stream ARN; a policy
# written that way is valid as AWS documents it. Patterns in IAM's own wildcard syntax.
DOCUMENTED_RESOURCES: dict[str, tuple[str, ...]] = {
    "dynamodb:liststreams": ("arn:*:dynamodb:*:*:table/*/stream/*",),
}


def documented_resource(model: Model | None, action: str, value: object) -> Tri:
    """Does AWS's documentation grant `action` on a resource of this value's shape (DOCUMENTED_RESOURCES)?"""
    target = arn_tokens(model, value, pattern=False)
    if target is None:
        return Tri.MAYBE
    patterns = DOCUMENTED_RESOURCES.get(action.lower(), ())
    return max((match_tokens(arn_tokens(None, p, pattern=True) or [], target) for p in patterns), default=Tri.NO)


def _token_stand_in(token: object) -> str:
    if isinstance(token, Hole):
        if token.id in _HOLE_STAND_INS:
            return _HOLE_STAND_INS[token.id]
        if token.id.endswith(".stream_label"):
            return "2024-01-01T00.00.00.000"  # a label with colons reads as a different resource type
        if "." in token.id and token.id.rsplit(".", 1)[1] in ("arn", "stream_arn", "id"):
            return "*"  # a whole reference of unknown shape: any text (the ARN head check rejects it first)
        return "placeholder"  # the name of a resource whose ARN format is known
    if token is _WILD:
        return "*"
    return str(token)


def _name_tokens(resource: Resource, attribute: str) -> list[object]:
    name = resource.value(attribute)
    if isinstance(name, str):
        return list(str(name))
    return [Hole(f"{resource.address}.{attribute}")]


def match_tokens(pattern: list[object], target: list[object]) -> Tri:
    """Does an ARN pattern (with `*`, `?`, holes, unknowns) cover a target ARN (with holes, unknowns)?"""
    key = (tuple(pattern), tuple(target))
    try:
        known = _MATCH_MEMO.get(key)
    except TypeError:  # an unhashable token
        return _match_tokens(pattern, target)
    if known is None:
        if len(_MATCH_MEMO) > 200_000:
            _MATCH_MEMO.clear()
        known = _MATCH_MEMO[key] = _match_tokens(pattern, target)
    return known


_MATCH_MEMO: dict[tuple, Tri] = {}  # rules ask the same pattern/target questions for each action


def _match_tokens(pattern: list[object], target: list[object]) -> Tri:
    if all(type(t) is str for t in target):
        glob = []
        for p in pattern:
            if p is _STAR:
                glob.append("\x00")
            elif p is _QMARK:
                glob.append("\x01")
            elif type(p) is str and p not in ("\x00", "\x01"):
                glob.append(p)
            else:
                break
        else:  # the common case, only literal characters and wildcards: a (cached) regular expression
            return Tri.YES if _glob_regex("".join(glob)).fullmatch("".join(target)) else Tri.NO  # type: ignore[arg-type]

    @functools.cache
    def match(i: int, j: int) -> Tri:
        if i == len(pattern):
            return Tri.YES if j == len(target) else Tri.NO
        p = pattern[i]
        t = target[j] if j < len(target) else None
        if p is _STAR:
            return max(match(i + 1, j), match(i, j + 1) if t is not None else Tri.NO)
        if p is _WILD:
            options = [match(i + 1, j)] + ([match(i, j + 1)] if t is not None else [])
            return min(Tri.MAYBE, max(options))
        if t is None:
            return Tri.NO
        if t is _WILD:
            return min(Tri.MAYBE, max(match(i, j + 1), match(i + 1, j), match(i + 1, j + 1)))
        if isinstance(p, Hole):
            if isinstance(t, Hole):
                return match(i + 1, j + 1) if t == p else Tri.NO
            return min(Tri.MAYBE, max(match(i + 1, j + 1), match(i, j + 1)))
        if isinstance(t, Hole):  # a literal character or `?` in the pattern against an unknown part
            return min(Tri.MAYBE, max(match(i + 1, j), match(i + 1, j + 1)))
        if p is _QMARK:
            return match(i + 1, j + 1)
        return match(i + 1, j + 1) if p == t else Tri.NO

    import sys

    if len(pattern) * len(target) > 200_000:
        return Tri.MAYBE
    limit = sys.getrecursionlimit()
    needed = len(pattern) + len(target) + 200
    if needed > limit:
        sys.setrecursionlimit(needed)
    try:
        return match(0, 0)
    finally:
        sys.setrecursionlimit(limit)


@functools.lru_cache(maxsize=8192)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """A glob over ARN characters: NUL (for `*`) matches any run of characters, SOH (for `?`) any one."""
    parts = (".*" if c == "\x00" else "." if c == "\x01" else re.escape(c) for c in glob)
    return re.compile("".join(parts), re.DOTALL)


def action_matches(pattern: object, action: str) -> Tri:
    if isinstance(pattern, TracedStr):
        pattern = str(pattern)
    if not isinstance(pattern, str):
        return Tri.MAYBE if not is_known(pattern) else Tri.NO
    return _action_matches(str(pattern), action)


@functools.lru_cache(maxsize=65536)
def _action_matches(pattern: str, action: str) -> Tri:
    tokens = [_STAR if c == "*" else _QMARK if c == "?" else c for c in pattern.lower()]
    return match_tokens(tokens, list(action.lower()))


def _any(values: list[object] | None, check) -> Tri:
    if values is None:
        return Tri.NO
    return max((check(v) for v in values), default=Tri.NO)


def statement_applies(model: Model | None, statement: Statement, action: str, target: list[object]) -> Tri:
    """Does this statement (ignoring its effect) cover `action` on the target ARN tokens?"""
    raw = statement.raw
    if "Action" in raw:
        action_match = _any(statement.values("Action"), lambda p: action_matches(p, action))
    elif "NotAction" in raw:
        action_match = Tri(2 - _any(statement.values("NotAction"), lambda p: action_matches(p, action)))
    else:
        return Tri.NO

    def resource_match(value: object) -> Tri:
        tokens = arn_tokens(model, value, pattern=True)
        return Tri.MAYBE if tokens is None else match_tokens(tokens, target)

    if "Resource" in raw:
        where = _any(statement.values("Resource"), resource_match)
    elif "NotResource" in raw:
        where = Tri(2 - _any(statement.values("NotResource"), resource_match))
    else:
        return Tri.NO
    result = min(action_match, where)
    condition = raw.get("Condition")
    if result is Tri.YES and (condition is UNKNOWN or condition):  # an unknown Condition may restrict too
        result = Tri.MAYBE
    return result


def documents_allow(model: Model | None, documents: list[PolicyDocument], action: str, target_value: object) -> Tri:
    target = target_value if isinstance(target_value, list) else arn_tokens(model, target_value, pattern=False)
    if target is None:
        return Tri.MAYBE
    allowed = Tri.NO
    denied = Tri.NO
    for document in documents:
        if not document.known:
            allowed = max(allowed, Tri.MAYBE)
            continue
        for statement in document.statements:
            effect = statement.effect
            applies = statement_applies(model, statement, action, target)
            if effect == "Allow":
                allowed = max(allowed, applies)
            elif effect == "Deny":
                denied = max(denied, applies)
            else:
                allowed = max(allowed, min(applies, Tri.MAYBE))
    if denied is Tri.YES:
        return Tri.NO
    return allowed


def role_allows(model: Model, policies: RolePolicies, action: str, target_value: object) -> Tri:
    result = documents_allow(model, policies.documents, action, target_value)
    if not policies.complete and result is Tri.NO:
        return Tri.MAYBE
    return result


# -- every identity policy document written in a model ----------------------------------------------------
_POLICY_RESOURCES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")


# Resource-based policies: the resource they are attached to is "this resource"; `Resource = "*"` in them and a
# Principal are normal, and they are not judged as identity policies (IAM101-IAM103, IAM105).
RESOURCE_POLICY_ATTRIBUTES = {
    "aws_kms_key": "policy",
    "aws_kms_key_policy": "policy",
    "aws_kms_replica_key": "policy",
    "aws_dynamodb_resource_policy": "policy",
    "aws_sqs_queue": "policy",
    "aws_sqs_queue_policy": "policy",
    "aws_sns_topic": "policy",
    "aws_sns_topic_policy": "policy",
    "aws_s3_bucket": "policy",
    "aws_s3_bucket_policy": "policy",
    "aws_vpc_endpoint": "policy",
    "aws_vpc_endpoint_policy": "policy",
    "aws_secretsmanager_secret": "policy",
    "aws_secretsmanager_secret_policy": "policy",
    "aws_ecr_repository_policy": "policy",
    "aws_kinesis_resource_policy": "policy",
    "aws_lambda_function_url": "policy",
    "aws_cloudwatch_log_resource_policy": "policy_document",
    "aws_cloudwatch_event_bus_policy": "policy",
    "aws_glacier_vault": "access_policy",
    "aws_elasticsearch_domain_policy": "access_policies",
    "aws_opensearch_domain_policy": "access_policies",
}


def policy_documents(model: Model) -> list[PolicyDocument]:
    """Identity policy documents with the statements written at each origin.

    A statement written in a `data "aws_iam_policy_document"` belongs to the data source, not to the policy
    resource that uses its `json`, so each statement is checked once, where it is written. A data source whose
    statements only resource-based policies use (`RESOURCE_POLICY_ATTRIBUTES`) is not an identity policy, nor
    is a statement with a Principal in a data source that no identity policy uses.
    """
    documents: list[PolicyDocument] = list(model.standalone_documents)
    identity_origins: set[str] = set()
    for type_ in _POLICY_RESOURCES:
        for resource in model.resources(type_):
            if resource.has("policy"):
                documents.append(
                    _own_statements(
                        resource.value("policy"), resource.address, resource.location_of("policy"), identity_origins
                    )
                )
    for role in model.resources("aws_iam_role"):
        for view in role.blocks("inline_policy") or []:
            if view.has("policy"):
                location = view.location_of("policy")
                documents.append(_own_statements(view.value("policy"), role.address, location, identity_origins))
    resource_policy_origins = _resource_policy_origins(model) - identity_origins
    for data in model.resources("data.aws_iam_policy_document"):
        if data.address in resource_policy_origins:
            continue
        document = build_document(data.get("json"), data.address, data.location)
        document.statements = [s for s in document.statements if s.origin == data.address]
        if data.address not in identity_origins:
            # Not used as an identity policy in the scanned code: a statement with a Principal belongs to a
            # resource-based or trust policy (identity policies cannot name one).
            document.statements = [s for s in document.statements if not _names_a_principal(s)]
        documents.append(document)
    return documents


def _names_a_principal(statement: Statement) -> bool:
    return "Principal" in statement.raw or "NotPrincipal" in statement.raw


def _resource_policy_origins(model: Model) -> set[str]:
    """Where the statements of every resource-based policy in the model are written."""
    origins: set[str] = set()
    for type_, attribute in RESOURCE_POLICY_ATTRIBUTES.items():
        for resource in model.resources(type_):
            if resource.has(attribute):
                document = build_document(resource.value(attribute), resource.address, resource.location)
                origins.update(s.origin for s in document.statements)
    return origins


def _own_statements(value: object, origin: str, location: Location, used: set[str]) -> PolicyDocument:
    """The document with the statements written at `origin`; `used` gets where all its statements are written."""
    document = build_document(value, origin, location)
    used.update(s.origin for s in document.statements)
    document.statements = [s for s in document.statements if s.origin == origin]
    return document


def role_grants_action_anywhere(policies: RolePolicies, action: str) -> Tri:
    """Does some Allow statement of the role grant `action`, on whatever resource (e.g. dynamodb:ListStreams)?"""
    granted = Tri.NO
    for document in policies.documents:
        if not document.known:
            granted = max(granted, Tri.MAYBE)
            continue
        for statement in document.statements:
            if statement.effect != "Allow":
                continue
            if "Action" in statement.raw:
                match = _any(statement.values("Action"), lambda p: action_matches(p, action))
            elif "NotAction" in statement.raw:
                match = Tri(2 - _any(statement.values("NotAction"), lambda p: action_matches(p, action)))
            else:
                continue
            granted = max(granted, match)
    if not policies.complete and granted is Tri.NO:
        return Tri.MAYBE
    return granted


def log_stream_arn_tokens(function_name: object, log_group: object = None) -> list[object]:
    """Tokens of `arn:<p>:logs:<r>:<a>:log-group:/aws/lambda/<function>:log-stream:<stream>`.

    `log_group`: the function's `logging_config.log_group` when it sets one (a name, or UNKNOWN), which
    replaces the default `/aws/lambda/<function>` group.
    """
    if log_group is None:
        name: list[object] = list(function_name) if isinstance(function_name, str) else [Hole("function_name")]
        group: list[object] = [*"/aws/lambda/", *name]
    else:
        group = list(str(log_group)) if isinstance(log_group, str) else [Hole("log_group")]
    return [
        *"arn:",
        _PARTITION,
        *":logs:",
        _REGION,
        ":",
        _ACCOUNT,
        *":log-group:",
        *group,
        *":log-stream:",
        Hole("log_stream"),
    ]

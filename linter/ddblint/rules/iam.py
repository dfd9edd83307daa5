"""IAM1xx: policy documents (wildcards, NotAction, broad managed policies, invalid documents, trust), and a
function's role against the calls its handler code makes (IAM107 missing, IAM108 unused permissions)."""

from __future__ import annotations

import functools
import json
import re
import warnings
from collections.abc import Iterator

from ddblint.findings import Finding, Location, Severity
from ddblint.model import Model
from ddblint.model.code_permissions import Permission, UnusedGrant, action_name
from ddblint.model.facts import facts_of
from ddblint.model.lambda_wiring import in_vpc
from ddblint.model.policy import (
    PolicyDocument,
    Statement,
    Tri,
    action_matches,
    arn_stand_in,
    build_document,
    documented_resource,
    role_allows,
)
from ddblint.model.values import (
    UNKNOWN,
    JsonText,
    RefValue,
    TracedStr,
    as_text,
    excerpt,
    is_known,
    origin_of,
    to_plain,
)
from ddblint.rules import Options, Rule

IAM_REFERENCE = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
IAM_GRAMMAR = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"

WILDCARD_ACTION = Rule(
    id="IAM101",
    name="wildcard-action",
    severity=Severity.ERROR,
    summary="an Allow statement grants actions by wildcard",
    source_urls=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
    ),
    tags=("iam", "least-privilege"),
)
WILDCARD_RESOURCE = Rule(
    id="IAM102",
    name="wildcard-resource",
    severity=Severity.ERROR,
    summary="an Allow statement grants resource-scoped actions on every resource",
    source_urls=(
        IAM_REFERENCE,
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    ),
    tags=("iam", "least-privilege"),
)
ALLOW_NOT_ACTION = Rule(
    id="IAM103",
    name="allow-not-action",
    severity=Severity.WARNING,
    summary="an Allow statement uses NotAction or NotResource",
    source_urls=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
    ),
    tags=("iam", "least-privilege"),
)
BROAD_MANAGED_POLICY = Rule(
    id="IAM104",
    name="broad-managed-policy",
    severity=Severity.ERROR,
    summary="a function's role attaches an AWS-managed administrator or *FullAccess policy",
    source_urls=(
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/permissions-managed-policies.html",
    ),
    tags=("iam", "least-privilege"),
)
INVALID_POLICY = Rule(
    id="IAM105",
    name="invalid-policy",
    severity=Severity.ERROR,
    summary="a policy document would not work as written",
    source_urls=(IAM_GRAMMAR, IAM_REFERENCE, "https://github.com/duo-labs/parliament"),
    tags=("iam", "correctness"),
)
BROAD_TRUST_POLICY = Rule(
    id="IAM106",
    name="broad-trust-policy",
    severity=Severity.ERROR,
    summary="a role's trust policy lets any principal assume it",
    source_urls=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    ),
    tags=("iam", "trust"),
)
CODE_PERMISSION_MISSING = Rule(
    id="IAM107",
    name="code-permission-missing",
    severity=Severity.ERROR,
    summary="the handler code calls an AWS API on a resource that the function's role does not allow",
    source_urls=(
        IAM_REFERENCE,
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    ),
    tags=("iam", "lambda", "correctness"),
)
UNUSED_PERMISSION = Rule(
    id="IAM108",
    name="unused-permission",
    severity=Severity.INFO,
    summary="the role grants data actions that the code of its functions never calls",
    source_urls=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        IAM_REFERENCE,
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    ),
    tags=("iam", "lambda", "least-privilege"),
)

# Actions a Lambda execution role needs on "*": what AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole,
# AWSLambdaDynamoDBExecutionRole and AWSXRayDaemonWriteAccess grant on "*" (their documents ship in
# ddblint/data/managed_policies.json). ENI actions must be granted on "*" for Lambda to create its ENIs.
LAMBDA_BASELINE_ACTIONS = frozenset(
    {
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "ec2:createnetworkinterface",
        "ec2:describenetworkinterfaces",
        "ec2:deletenetworkinterface",
        "ec2:assignprivateipaddresses",
        "ec2:unassignprivateipaddresses",
        "dynamodb:liststreams",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        "xray:getsamplingrules",
        "xray:getsamplingtargets",
        "xray:getsamplingstatisticsummaries",
    }
)
BROAD_MANAGED_NAMES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
SAFE_MANAGED_NAMES = frozenset(
    {"AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSLambdaDynamoDBExecutionRole"}
)


# -- shared helpers ---------------------------------------------------------------------------------------
def _strings(values: list[object] | None) -> list[str]:
    return [str(v) for v in values or [] if isinstance(v, str)]


def _is_allow(statement: Statement) -> bool:
    return statement.effect == "Allow"


def _finding(rule: Rule, statement: Statement, **kwargs) -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=kwargs.pop("severity", rule.severity),
        address=statement.origin,
        location=statement.location,
        **kwargs,
    )


def _describe(statement: Statement) -> str:
    sid = statement.raw.get("Sid")
    return f"statement {excerpt(sid)!r}" if isinstance(sid, str) and sid else f"Statement[{statement.index}]"


def _quoted(values: list[str], limit: int = 5) -> str:
    """`"a", "b" and 3 more`: at most `limit` values, each cut to a bounded excerpt."""
    shown = ", ".join(f'"{excerpt(v)}"' for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


@functools.lru_cache(maxsize=1)
def _iam_definition() -> dict[str, dict[str, bool]]:
    """service prefix -> {action name (lower case): supports resource-level permissions}, from parliament."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import parliament

    services: dict[str, dict[str, bool]] = {}
    for service in parliament.iam_definition:
        actions = services.setdefault(service["prefix"], {})
        for privilege in service["privileges"]:
            resource_level = any(r["resource_type"] for r in privilege["resource_types"])
            actions[privilege["privilege"].lower()] = resource_level
    return services


def _expand(pattern: str) -> list[str]:
    """Concrete `service:action` names (lower case) that an action pattern covers."""
    if pattern == "*":
        return ["*"]
    if ":" not in pattern:
        return []
    prefix, name = pattern.lower().split(":", 1)
    actions = _iam_definition().get(prefix)
    if actions is None:
        return []
    regex = re.compile(re.escape(name).replace(r"\*", ".*").replace(r"\?", ".") + "$")
    return [f"{prefix}:{action}" for action in actions if regex.match(action)]


def _resource_level(action: str) -> bool:
    if action == "*":
        return True
    prefix, name = action.split(":", 1)
    return _iam_definition().get(prefix, {}).get(name, False) and action not in LAMBDA_BASELINE_ACTIONS


def _is_any_resource(value: object) -> bool:
    """`*`, or an ARN whose region, account and resource are all wildcards (`arn:aws:dynamodb:*:*:*`)."""
    if not isinstance(value, str):
        return False
    if value == "*":
        return True
    parts = value.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and all(p in ("*", "") for p in parts[3:5]) and parts[5] == "*"


# Fix text names the service in question: example actions and a resource reference for the services Lambda
# functions commonly call; other services are named from the IAM definition. Every example action exists in
# parliament's IAM definition (tests/rules/test_iam_fix_text.py).
SERVICE_EXAMPLES: dict[str, tuple[tuple[str, ...], str]] = {
    "dynamodb": (
        ("dynamodb:GetItem", "dynamodb:PutItem"),
        'aws_dynamodb_table.<name>.arn and "${aws_dynamodb_table.<name>.arn}/index/*"',
    ),
    "es": (("es:ESHttpGet", "es:ESHttpPost"), '"${aws_opensearch_domain.<name>.arn}/*"'),
    "kms": (("kms:Decrypt", "kms:GenerateDataKey"), "aws_kms_key.<name>.arn"),
    "s3": (("s3:GetObject", "s3:PutObject"), '"${aws_s3_bucket.<name>.arn}/*"'),
    "sqs": (("sqs:SendMessage", "sqs:ReceiveMessage"), "aws_sqs_queue.<name>.arn"),
    "sns": (("sns:Publish",), "aws_sns_topic.<name>.arn"),
    "kinesis": (("kinesis:PutRecord", "kinesis:PutRecords"), "aws_kinesis_stream.<name>.arn"),
    "logs": (("logs:CreateLogStream", "logs:PutLogEvents"), '"${aws_cloudwatch_log_group.<name>.arn}:*"'),
    "lambda": (("lambda:InvokeFunction",), "aws_lambda_function.<name>.arn"),
    "secretsmanager": (("secretsmanager:GetSecretValue",), "aws_secretsmanager_secret.<name>.arn"),
    "ssm": (("ssm:GetParameter", "ssm:GetParameters"), "aws_ssm_parameter.<name>.arn"),
    "events": (("events:PutEvents",), "aws_cloudwatch_event_bus.<name>.arn"),
    "states": (("states:StartExecution",), "aws_sfn_state_machine.<name>.arn"),
}
_DEFAULT_SERVICE = "dynamodb"  # for `*`, which names no service: the one this tool is about


def _service_of(pattern: str) -> str:
    """The service prefix of an action pattern (lower case); DynamoDB's for `*`."""
    prefix = pattern.split(":", 1)[0].lower() if ":" in pattern else ""
    return prefix if prefix and "*" not in prefix and "?" not in prefix else _DEFAULT_SERVICE


@functools.lru_cache(maxsize=1)
def _service_names() -> dict[str, str]:
    """service prefix -> the service's name in the IAM definition (`es` -> "Amazon OpenSearch Service")."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import parliament

    return {
        service["prefix"]: service.get("service_name") or service["prefix"] for service in parliament.iam_definition
    }


def _action_fix(pattern: str) -> str:
    service = _service_of(pattern)
    example = SERVICE_EXAMPLES.get(service)
    if example is None:
        name = _service_names().get(service, service)
        return f'list the exact {name} actions the function calls instead of "{excerpt(pattern)}"'
    shown = ", ".join(f'"{action}"' for action in example[0])
    return f'list the exact actions the function calls, e.g. [{shown}] instead of "{excerpt(pattern)}"'


def _resource_fix(pattern: str) -> str:
    service = _service_of(pattern)
    example = SERVICE_EXAMPLES.get(service)
    if example is None:
        name = _service_names().get(service, service)
        return f"set Resource to the ARNs of the exact {name} resources the function uses"
    return f"set Resource to the exact ARNs, e.g. {example[1]}"


# -- IAM101 -----------------------------------------------------------------------------------------------
@WILDCARD_ACTION.check
def wildcard_action(model: Model, options: Options) -> Iterator[Finding]:
    for document in facts_of(model).identity_documents:
        for statement in document.statements:
            if not _is_allow(statement):
                continue
            actions = [a for a in _strings(statement.values("Action")) if "*" in a or "?" in a]
            if not actions:
                continue
            full = [a for a in actions if a == "*" or a.endswith(":*")]
            severity = Severity.ERROR if full else Severity.WARNING
            shown = _quoted(full or actions)
            scope = "every action of every service" if "*" in full else "every action of the service"
            if not full:
                scope = "every action matching the pattern, including ones AWS adds later"
            yield _finding(
                WILDCARD_ACTION,
                statement,
                severity=severity,
                message=f"{_describe(statement)} allows {shown}: {scope}",
                fix=_action_fix((full or actions)[0]),
            )


# -- IAM102 -----------------------------------------------------------------------------------------------
@WILDCARD_RESOURCE.check
def wildcard_resource(model: Model, options: Options) -> Iterator[Finding]:
    for document in facts_of(model).identity_documents:
        for statement in document.statements:
            if not _is_allow(statement) or "Resource" not in statement.raw:
                continue
            wide = [r for r in _strings(statement.values("Resource")) if _is_any_resource(r)]
            if not wide:
                continue
            scoped: list[str] = []
            for pattern in _strings(statement.values("Action")):
                if any(_resource_level(action) for action in _expand(pattern)):
                    scoped.append(pattern)
            if not scoped:
                continue
            shown = _quoted(scoped)
            yield _finding(
                WILDCARD_RESOURCE,
                statement,
                message=f'{_describe(statement)} grants {shown} on "{excerpt(wide[0])}", although these actions '
                "can be limited to specific resources",
                fix=_resource_fix(scoped[0]),
            )


# -- IAM103 -----------------------------------------------------------------------------------------------
@ALLOW_NOT_ACTION.check
def allow_not_action(model: Model, options: Options) -> Iterator[Finding]:
    for document in facts_of(model).identity_documents:
        for statement in document.statements:
            if not _is_allow(statement):
                continue
            for key in ("NotAction", "NotResource"):
                if key in statement.raw:
                    what = "every action except" if key == "NotAction" else "every resource except"
                    listed = _quoted(_strings(statement.values(key)), 3) or "the listed ones"
                    yield _finding(
                        ALLOW_NOT_ACTION,
                        statement,
                        message=f"{_describe(statement)} uses Allow with {key}: it grants {what} {listed}, "
                        "including everything AWS adds later",
                        fix=f"replace {key} with an explicit {key.removeprefix('Not')} list",
                    )


# -- IAM104 -----------------------------------------------------------------------------------------------
def _plain(value: object) -> object:
    return to_plain(value.value if isinstance(value, JsonText) else value)


def _is_broad(name: str) -> bool:
    return name not in SAFE_MANAGED_NAMES and (name in BROAD_MANAGED_NAMES or name.endswith("FullAccess"))


@BROAD_MANAGED_POLICY.check
def broad_managed_policy(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    for role in facts.lambda_roles:
        functions = [f for f in model.resources("aws_lambda_function") if facts.function_role(f) is role]
        basic = "AWSLambdaBasicExecutionRole"
        if any(in_vpc(f) for f in functions):
            basic += " and AWSLambdaVPCAccessExecutionRole (the function runs in a VPC)"
        for attachment in facts.role_policies(role).attachments:
            name = attachment.managed_name
            if name is None or not _is_broad(name):
                continue
            where = "managed_policy_arns" if attachment.via is role else attachment.via.address
            yield BROAD_MANAGED_POLICY.finding(
                attachment.via,
                at=attachment.location,
                message=f"{role.address} (a Lambda execution role) attaches the AWS-managed policy {name} "
                f"through {where}: the function gets far more than it calls",
                fix=f"attach {basic} and a customer policy listing the exact actions the function calls on the "
                "exact resource ARNs",
            )


# -- IAM105 -----------------------------------------------------------------------------------------------
_PARLIAMENT_ISSUES = {
    "UNKNOWN_ACTION": "unknown action",
    "UNKNOWN_PREFIX": "unknown service prefix",
    "RESOURCE_MISMATCH": "action and resource type do not match",
    "MALFORMED": "malformed statement",
    "INVALID_ARN": "invalid ARN",
    "UNKNOWN_OPERATOR": "unknown condition operator",
    "MISMATCHED_TYPE": "condition type mismatch",
    "INVALID_VERSION": "invalid Version",
}
_POLICY_VARIABLE = re.compile(r"\$\{aws:[^}]+\}")


def _resources_stand_in(model: Model, values: list[object]) -> list[str]:
    """The statement's resources as literal ARNs for parliament; a resource whose shape is unknown is `*`,
    which parliament judges as any resource (unknown stays unknown: it is never an invalid ARN)."""
    return [arn_stand_in(model, value) or "*" for value in values]


@functools.lru_cache(maxsize=4096)
def _parliament_findings(document_json: str) -> tuple:
    """parliament's findings for a one-statement document (cached: stacks repeat the same statements)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from parliament import analyze_policy_string

    try:
        return tuple(analyze_policy_string(document_json, include_community_auditors=False).findings)
    except Exception:  # parliament raises on shapes it does not expect; our shape checks cover those
        return ()


@INVALID_POLICY.check
def invalid_policy(model: Model, options: Options) -> Iterator[Finding]:
    for document in facts_of(model).identity_documents:
        yield from _shape_findings(document)
        if not isinstance(document.value, dict):
            continue
        version = document.value.get("Version") if isinstance(document.value, dict) else None
        for statement in document.statements:
            raw = statement.raw
            effect = raw.get("Effect", UNKNOWN)
            if effect is not UNKNOWN and effect not in ("Allow", "Deny"):
                text = as_text(effect) or "missing"
                yield _invalid(statement, f'{_describe(statement)} has Effect "{text}"; it must be Allow or Deny')
                continue
            if not any(k in raw for k in ("Action", "NotAction")):
                yield _invalid(statement, f"{_describe(statement)} has no Action or NotAction")
                continue
            # A statement with a Principal is a trust/resource-policy statement (e.g. an assume-role document
            # written in a data "aws_iam_policy_document"): it names no Resource, and parliament (which reads
            # identity policies) would call it malformed.
            is_identity = document.kind == "identity" and not any(k in raw for k in ("Principal", "NotPrincipal"))
            if not any(k in raw for k in ("Resource", "NotResource")) and is_identity:
                yield _invalid(statement, f"{_describe(statement)} has no Resource or NotResource")
                continue
            if version != "2012-10-17" and _POLICY_VARIABLE.search(json.dumps(_plain(raw))):
                yield _invalid(
                    statement,
                    f"{_describe(statement)} uses ${{aws:...}} policy variables but the document's Version is "
                    f"{json.dumps(version) if isinstance(version, str) else 'missing'}: IAM treats them as "
                    "literal text",
                    fix='set Version = "2012-10-17"',
                )
            if is_identity:
                yield from _parliament_statement(model, statement)


def _shape_findings(document: PolicyDocument) -> Iterator[Finding]:
    for problem in document.shape_problems:
        yield Finding(
            rule_id=INVALID_POLICY.id,
            rule_name=INVALID_POLICY.name,
            severity=INVALID_POLICY.severity,
            address=document.origin,
            location=document.location,
            message=f"malformed policy document: {problem}",
            fix='write {"Version": "2012-10-17", "Statement": [{"Effect": ..., "Action": ..., "Resource": ...}]}',
        )


def _invalid(statement: Statement, message: str, fix: str = "") -> Finding:
    return _finding(
        INVALID_POLICY,
        statement,
        message=message,
        fix=fix or "correct the statement; see the IAM JSON policy grammar",
    )


def _parliament_statement(model: Model, statement: Statement) -> Iterator[Finding]:
    raw = {k: v for k, v in statement.raw.items() if k in ("Effect", "Action", "NotAction", "Resource", "NotResource")}
    for key in ("Action", "NotAction"):
        if key in raw:  # unknown actions can't be judged
            known = [a for a in statement.values(key) or [] if isinstance(a, str)]
            if not known:
                return
            raw[key] = known
    if not is_known(raw.get("Effect")):
        return
    for key in ("Resource", "NotResource"):
        if key in raw:
            raw[key] = _resources_stand_in(model, statement.values(key) or [])
    text = json.dumps({"Version": "2012-10-17", "Statement": [raw]})
    listed = {a.lower() for a in _strings(statement.values("Action")) if "*" not in a and "?" not in a}
    resources = statement.values("Resource") or []
    # Granted as AWS's documentation writes it (dynamodb:ListStreams with the stream ARN): not a mismatch.
    listed -= {a for a in listed if resources and all(documented_resource(model, a, r) is Tri.YES for r in resources)}
    reported: set[str] = set()
    for issue in _parliament_findings(text):
        title = _PARLIAMENT_ISSUES.get(issue.issue)
        if title is None:
            continue
        detail = _parliament_detail(issue, listed)
        if detail is None:
            continue
        key = f"{issue.issue}|{detail}"
        if key in reported:
            continue
        reported.add(key)
        yield _invalid(statement, f"{_describe(statement)}: {title}: {detail}", fix=_parliament_fix(issue.issue))


def _parliament_detail(issue, listed: set[str]) -> str | None:
    """The issue in words; None for resource mismatches of actions that only a wildcard brought in."""
    detail = issue.detail
    if issue.issue == "RESOURCE_MISMATCH" and isinstance(detail, list):
        by_format: dict[str, list[str]] = {}
        for entry in detail:
            if isinstance(entry, dict) and str(entry.get("action", "")).lower() in listed:
                by_format.setdefault(str(entry.get("required_format")), []).append(str(entry.get("action")))
        if not by_format:
            return None
        return "; ".join(
            f"{', '.join(actions)} {'needs' if len(actions) == 1 else 'need'} a resource like {required}"
            for required, actions in by_format.items()
        )
    location = getattr(issue, "location", None)
    text = str(detail)
    if isinstance(location, dict) and location.get("string") and str(location["string"]) not in text:
        text = f"{text} ({location['string']})"
    return text[:200]


def _parliament_fix(issue: str) -> str:
    return {
        "UNKNOWN_ACTION": "check the action's spelling in the Service Authorization Reference",
        "UNKNOWN_PREFIX": "check the service prefix (e.g. dynamodb, sqs, logs)",
        "RESOURCE_MISMATCH": "grant the action on the resource type it acts on, e.g. stream actions on "
        '"${aws_dynamodb_table.<name>.arn}/stream/*", table actions on the table ARN',
    }.get(issue, "correct the statement; see the IAM JSON policy grammar")


# -- IAM106 -----------------------------------------------------------------------------------------------
def _principal_is_anyone(principal: object) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        values = aws if isinstance(aws, list) else [aws]
        return "*" in values or "*" in principal
    return False


@BROAD_TRUST_POLICY.check
def broad_trust_policy(model: Model, options: Options) -> Iterator[Finding]:
    for role in model.resources("aws_iam_role"):
        if not role.has("assume_role_policy"):
            continue
        document = build_document(
            role.value("assume_role_policy"), role.address, role.location_of("assume_role_policy")
        )
        for statement in document.statements:
            if not _is_allow(statement) or statement.raw.get("Condition"):
                continue
            if _principal_is_anyone(statement.raw.get("Principal")):
                yield BROAD_TRUST_POLICY.finding(
                    role,
                    at=role.location_of("assume_role_policy"),
                    message=f'the trust policy of {role.address} lets any AWS principal (Principal "*") assume '
                    "the role, with no Condition",
                    fix='trust the service that uses the role: Principal = { Service = "lambda.amazonaws.com" }',
                )


# -- IAM107 -----------------------------------------------------------------------------------------------
# The most calls one IAM107 message lists (the fix holds every statement).
MAX_LISTED_CALLS = 6


@CODE_PERMISSION_MISSING.check
def code_permission_missing(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    for function in model.resources("aws_lambda_function"):
        role = facts.function_role(function)
        if role is None:
            continue  # a role outside the scanned code: its policies are not known
        policies = facts.role_policies(role)
        missing: dict[tuple[str, tuple[object, ...]], list[Permission]] = {}
        for permission in facts.permissions(function).code:
            if permission.resource_policy:
                continue  # the resource's own policy may allow it
            key = (permission.action, permission.arn.tokens)
            if key in missing:
                missing[key].append(permission)
            elif role_allows(model, policies, permission.action, list(permission.arn.tokens)) is Tri.NO:
                missing[key] = [permission]
        if not missing:
            continue
        # One entry per function (its fingerprint is the function's): every call the role does not allow, and
        # the statements that allow them, one per resource.
        needs: list[str] = []
        sites: list[Location] = []  # each call's own line, as related locations (SARIF relatedLocations, "see:")
        statements: dict[str, list[str]] = {}
        for (action, _), permissions in missing.items():
            first = permissions[0]
            site = first.site
            where = f"{site.file}:{site.line} `{excerpt(site.text)}`" if site is not None else first.reason
            others = len(permissions) - 1
            more = f" (and {others} more call{'s' if others > 1 else ''})" if others else ""
            needs.append(f"{where}{more} needs {action} on {first.arn.label}")
            sites += [Location(p.site.file, p.site.line, p.site.column) for p in permissions if p.site is not None]
            resource = first.arn.terraform or _quoted_arn(first.arn.text or first.arn.label)
            statements.setdefault(resource, []).append(action)
        shown = "; ".join(needs[:MAX_LISTED_CALLS])
        if len(needs) > MAX_LISTED_CALLS:
            shown += f"; and {len(needs) - MAX_LISTED_CALLS} more"
        written = ", ".join(
            f'{{ Effect = "Allow", Action = [{", ".join(json.dumps(a) for a in actions)}], Resource = [{resource}] }}'
            for resource, actions in statements.items()
        )
        plural = len(statements) > 1
        yield CODE_PERMISSION_MISSING.finding(
            function,
            at=function.location_of("handler"),
            message=f"{shown}, which {role.address} does not allow: "
            f"{'these calls fail' if len(needs) > 1 else 'the call fails'} with AccessDenied at run time",
            fix=f"add to a policy of {role.address} the statement{'s' if plural else ''} {written}",
            related=tuple(dict.fromkeys(sites)),
        )


def _quoted_arn(text: str) -> str:
    return json.dumps(text)


# -- IAM108 -----------------------------------------------------------------------------------------------
@UNUSED_PERMISSION.check
def unused_permission(model: Model, options: Options) -> Iterator[Finding]:
    facts = facts_of(model)
    for role in facts.lambda_roles:
        grants = facts.unused_grants(role)
        if not grants:
            continue
        functions = [f for f in model.resources("aws_lambda_function") if facts.function_role(f) is role]
        whose = "its function's code" if len(functions) == 1 else f"the code of its {len(functions)} functions"
        by_statement: dict[int, list[UnusedGrant]] = {}
        for grant in grants:  # one entry per statement, however many of its resources are granted in vain
            by_statement.setdefault(id(grant.statement), []).append(grant)
        parts: list[str] = []
        changes: list[str] = []
        used: dict[str, None] = {}
        for statement_grants in by_statement.values():
            statement = statement_grants[0].statement
            written = (
                f"{_describe(statement)} of {statement.origin}, {statement.location.file}:{statement.location.line}"
            )
            parts.append(f"{_granted_text(statement_grants)} ({written})")
            name = "that statement" if len(by_statement) == 1 else f"{_describe(statement)} of {statement.origin}"
            changes.append(_unused_grant_change(statement, statement_grants, name))
            used.update(dict.fromkeys(u for grant in statement_grants for u in grant.used))
        calls = _quoted(list(used), 8) if used else "nothing"
        for function in functions:  # one entry per function (its fingerprint is the function's), every statement
            yield UNUSED_PERMISSION.finding(
                function,
                at=function.location_of("role"),
                message=f"{role.address} grants {'; '.join(parts)}, which {whose} never calls (nor do its event "
                f"source mappings and destinations use it); used there: {calls}",
                fix=f"{'; '.join(changes)} (`ddblint policy {function.address}` prints the whole least-privilege "
                "policy)",
            )


def _unused_grant_change(
    statement: Statement, grants: list[UnusedGrant], name: str = "that statement", resource_count: int | None = None
) -> str:
    """What to change in a statement so it grants only what the code uses, pattern by pattern: a pattern used
    on none of the statement's resources goes; a wildcard used in part is narrowed to what is used; a pattern
    used on some resources only stops being granted on the others (a statement of their own); a resource on
    which nothing of the statement is used leaves its Resource."""
    if resource_count is None:
        resource_count = len(statement.values("Resource") or [])
    actions = statement.values("Action") or []
    every_resource = len(grants) == resource_count  # no other resource of the statement uses its grants fully
    idle = [g for g in grants if not any(_used_by(p, g.used) for p in actions if isinstance(p, str))]
    if idle and len(idle) < resource_count and all(len(g.patterns) == len(actions) for g in idle):
        rest = [g for g in grants if all(g is not i for i in idle)]
        change = f"remove {_places(idle)} from the Resource of {name}: its actions are used on the others only"
        if not rest:
            return change
        return f"{change}; then {_unused_grant_change(statement, rest, name, resource_count - len(idle))}"
    steps: list[str] = []
    patterns = tuple(dict.fromkeys(p for grant in grants for p in grant.patterns))
    for pattern in patterns:
        holders = [g for g in grants if pattern in g.patterns]
        unused_on = [g for g in holders if not _used_by(pattern, g.used)]
        narrowed = sorted({a for g in holders for a in _used_by(pattern, g.used)})
        if every_resource and len(unused_on) == len(grants):
            steps.append(f'remove "{excerpt(pattern)}"')
        elif narrowed and narrowed != [pattern]:
            steps.append(f'replace "{excerpt(pattern)}" with [{", ".join(json.dumps(a) for a in narrowed)}]')
            if unused_on:
                steps.append(f"grant those no longer on {_places(unused_on)} (a statement of their own)")
        elif unused_on:
            steps.append(f'grant "{excerpt(pattern)}" no longer on {_places(unused_on)} (a statement of their own)')
    return f"in {name}, {'; '.join(steps)}"


def _places(grants: list[UnusedGrant]) -> str:
    """The resources of grants, as `A and B`."""
    return " and ".join(_resource_text(g.resource) for g in grants)


def _granted_text(grants: list[UnusedGrant]) -> str:
    """`"s3:GetObject" on A and B`, or `"x" on A; "y" on B` when the resources differ in what is unused."""
    wheres = [_resource_text(grant.resource) for grant in grants]
    unused = [[action_name(a) for a in grant.unused] for grant in grants]
    if all(u == unused[0] for u in unused):
        places = wheres[0] if len(wheres) == 1 else f"{', '.join(wheres[:-1])} and {wheres[-1]}"
        return f"{_quoted(unused[0], 6)} on {places}"
    return "; ".join(f"{_quoted(u, 6)} on {where}" for u, where in zip(unused, wheres, strict=True))


def _used_by(pattern: str, used: tuple[str, ...]) -> list[str]:
    """The actions the code uses there that a granted pattern covers (what a wildcard can be narrowed to)."""
    return [a for a in used if action_matches(pattern, a) is Tri.YES]


def _resource_text(value: object) -> str:
    value = origin_of(value) if isinstance(value, TracedStr) else value
    if isinstance(value, RefValue):
        return f"{value.address}.{value.attribute}"
    if value is UNKNOWN:
        return "a resource that is not known statically"
    return excerpt(str(value))

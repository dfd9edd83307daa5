"""Worst-case time of an AWS SDK (botocore) call with retries, from botocore's own retry model.

Nothing here is hard-coded: the constants and data come from the botocore that ddblint runs with.

- **standard** and **adaptive** modes (`botocore.retries.standard`): the delay before retry *n* (after the
  n-th failed attempt, 1-based) is `rand(0, 1) * min(base_scale * 2 ** (n - 1), max_backoff)`. The worst
  case takes rand = 1 and the largest base scale (1 s, used for throttling errors), and `max_backoff` is
  `ExponentialBackoff`'s default (20 s). When no attempt count is set, botocore uses
  `standard._SERVICE_MAX_ATTEMPTS` for the service (DynamoDB: 4) or `standard.DEFAULT_MAX_ATTEMPTS` (3).
  Not counted: an `x-amz-retry-after` response header can add up to `_RETRY_AFTER_MAX_ADDITIONAL` (5 s) per
  retry, and adaptive mode's client-side rate limiter waits for tokens, which is not bounded statically.
- **legacy** mode (`botocore/data/_retry.json` through `botocore.translate.build_retry_config`, exactly as
  `botocore.client` does): the delay before retry *n* is `base * growth_factor ** (n - 1)` with
  `base = "rand"` meaning `random.random()`, whose supremum 1 is the worst case. DynamoDB's entry is
  10 attempts with base 0.05 s; the `__default__` is 5 attempts with a random base.

Attempts are normalised the way `botocore.args.ClientArgsCreator._compute_retry_max_attempts` does:
`Config(retries={"total_max_attempts": N})` and `AWS_MAX_ATTEMPTS=N` count attempts,
`Config(retries={"max_attempts": N})` counts retries (N + 1 attempts), and the Config wins over the
environment. A retry mode in the Config wins over `AWS_RETRY_MODE`; without either, botocore's default
(`botocore.configprovider`, `standard` in the pinned botocore) applies.

The socket part counts `attempts x (connect_timeout + read_timeout)` only for timeouts set explicitly
in a `Config`; botocore's 60 s defaults are not counted.

The second half reads the settings from a handler's syntax tree (`client_configs`): `boto3.client(...)`,
`boto3.resource(...)`, `session.client(...)` and `create_client(...)` calls with a `config=` that is a
`Config(...)` call or a name bound once to one, whose keyword values are literals, names bound once,
`os.environ.get("X", default)`, `os.getenv(...)`, `os.environ["X"]` (looked up in the function's
environment) and `int()`/`float()` of those. Anything else is unresolvable and the client is skipped.
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field

from botocore import configprovider, translate
from botocore.loaders import Loader
from botocore.retries import standard

MODES = ("legacy", "standard", "adaptive")
DEFAULT_SERVICE = "__default__"  # legacy `_retry.json` key for "any service"


class _Unresolved:
    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED = _Unresolved()  # a value the static reading cannot determine


# -- botocore's model ------------------------------------------------------------------------------------
@functools.cache
def _loader() -> Loader:
    return Loader()


@functools.cache
def _retry_data() -> dict:
    return _loader().load_data("_retry")


@functools.cache
def service_names(service: str) -> tuple[str, str]:
    """(service id hyphenized, endpoint prefix) of a botocore service name, e.g. ("dynamodb", "dynamodb")."""
    try:
        metadata = _loader().load_service_model(service, "service-2")["metadata"]
    except Exception:  # unknown service name: botocore's defaults apply
        return service, service
    service_id = str(metadata.get("serviceId", service)).replace(" ", "-").lower()
    return service_id, str(metadata.get("endpointPrefix", service))


def default_retry_mode() -> str:
    """botocore's default `retry_mode` when neither the Config nor `AWS_RETRY_MODE` sets one."""
    return configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES["retry_mode"][2]


def standard_backoff_parameters() -> tuple[float, float, float]:
    """(largest base scale, growth base, max_backoff) of `botocore.retries.standard.ExponentialBackoff`."""
    backoff = standard.ExponentialBackoff
    scales = [*backoff._DEFAULT_BACKOFF_CONFIG.values()]
    scales += [v for config in backoff._SERVICE_BACKOFF_CONFIG.values() for v in config.values()]
    max_backoff = inspect.signature(backoff.__init__).parameters["max_backoff"].default
    return max(scales), backoff._BASE, max_backoff


def standard_max_delay(attempt_number: int) -> float:
    """The largest delay standard mode waits after failed attempt `attempt_number` (1-based)."""
    scale, base, max_backoff = standard_backoff_parameters()
    return min(scale * base ** (attempt_number - 1), max_backoff)


def standard_default_attempts(service: str | None) -> int:
    service_id = service_names(service)[0] if service else None
    return standard._SERVICE_MAX_ATTEMPTS.get(service_id, standard.DEFAULT_MAX_ATTEMPTS)


def legacy_retry_config(service: str | None, total_max_attempts: int | None = None) -> dict:
    """The `__default__` legacy retry config botocore builds for a client (max_attempts, delay)."""
    data = copy.deepcopy(_retry_data())
    prefix = service_names(service)[1] if service else DEFAULT_SERVICE
    client_retries = None if total_max_attempts is None else {"max_attempts": total_max_attempts - 1}
    config = translate.build_retry_config(prefix, data.get("retry", {}), data.get("definitions", {}), client_retries)
    return config["__default__"]


def legacy_max_delay(delay: Mapping, attempt_number: int) -> float:
    """The largest delay of a legacy `exponential` delay policy after failed attempt `attempt_number`."""
    base = delay["base"]
    if base == "rand":
        base = 1  # random.random() is in [0, 1): its supremum is the worst case
    return base * delay["growth_factor"] ** (attempt_number - 1)


# -- one client's settings and its worst case -----------------------------------------------------------
@dataclass(frozen=True)
class RetrySettings:
    """What a client is configured with; None means "not set" (botocore's default applies)."""

    mode: str | None = None
    total_max_attempts: int | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    service: str | None = None  # botocore service name ("dynamodb"); None when unknown
    # Where each setting comes from, for messages: "AWS_MAX_ATTEMPTS=5", "total_max_attempts=10 (app.py:5)".
    attempts_source: str = ""
    mode_source: str = ""

    @property
    def explicit(self) -> bool:
        return any(v is not None for v in (self.mode, self.total_max_attempts, self.connect_timeout, self.read_timeout))


@dataclass(frozen=True)
class WorstCase:
    mode: str
    mode_is_default: bool
    service: str | None
    attempts: int
    attempts_are_default: bool
    delays: tuple[float, ...]
    connect_timeout: float | None
    read_timeout: float | None

    @property
    def backoff(self) -> float:
        return _round(sum(self.delays))

    @property
    def per_attempt(self) -> float:
        return _round((self.connect_timeout or 0) + (self.read_timeout or 0))

    @property
    def socket(self) -> float:
        return _round(self.attempts * self.per_attempt)

    @property
    def total(self) -> float:
        return _round(self.backoff + self.socket)

    def arithmetic(self) -> str:
        """`back-off 1+2+4 = 7 s, plus 4 x (connect 5 s + read 10 s) = 60 s; worst case 67 s`."""
        if self.delays:
            terms = "+".join(_fmt(d) for d in self.delays)
            text = f"back-off {terms} = {_fmt(self.backoff)} s" if len(self.delays) > 1 else f"back-off {terms} s"
        else:
            text = "no retries, no back-off"
        parts = [
            f"{name} {_fmt(value)} s"
            for name, value in (("connect", self.connect_timeout), ("read", self.read_timeout))
            if value is not None
        ]
        if parts:
            text += f", plus {self.attempts} x ({' + '.join(parts)}) = {_fmt(self.socket)} s"
        return f"{text}; worst case {_fmt(self.total)} s"


def worst_case(settings: RetrySettings, attempts: int | None = None) -> WorstCase | None:
    """The worst-case time of one call with these settings (`attempts` overrides the attempt count)."""
    mode = settings.mode or default_retry_mode()
    if mode not in MODES:
        return None
    total = attempts if attempts is not None else settings.total_max_attempts
    if mode == "legacy":
        config = legacy_retry_config(settings.service, total)
        delay = config.get("delay", {})
        if delay.get("type") != "exponential":
            return None
        count = config["max_attempts"]
        delays = tuple(_round(legacy_max_delay(delay, n)) for n in range(1, count))
    else:
        count = total if total is not None else standard_default_attempts(settings.service)
        delays = tuple(_round(standard_max_delay(n)) for n in range(1, count))
    if count < 1:
        return None
    return WorstCase(
        mode=mode,
        mode_is_default=settings.mode is None,
        service=settings.service,
        attempts=count,
        attempts_are_default=total is None,
        delays=delays,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    )


def attempts_that_fit(settings: RetrySettings, budget: float) -> int | None:
    """The largest attempt count (at most the configured one) whose worst case fits in `budget` seconds."""
    current = worst_case(settings)
    if current is None:
        return None
    for attempts in range(current.attempts, 0, -1):
        case = worst_case(settings, attempts)
        if case is not None and case.total <= budget:
            return attempts
    return None


def _round(value: float) -> float:
    return round(value, 6)


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


# -- reading the settings from a handler's syntax tree --------------------------------------------------
@dataclass
class ClientConfig:
    """One `boto3.client(...)`-like call in a handler: its service and its `Config(...)` keywords."""

    service: str | None
    line: int  # the client call's line
    config_line: int | None = None  # the Config(...) call's line, None without config
    # retries / connect_timeout / read_timeout as resolved; UNRESOLVED when they cannot be read.
    values: dict[str, object] = field(default_factory=dict)
    resolved: bool = True


_CLIENT_METHODS = ("client", "resource", "create_client")
_CONFIG_MODULES = ("botocore.config", "botocore.client")


class _Reader:
    """Evaluates the few expression shapes that Config keywords are written with."""

    def __init__(self, tree: ast.Module, environ: Mapping[str, object] | None):
        self.environ = environ  # None: the function's environment is unknown
        self.aliases: dict[str, str] = {}  # local name -> dotted origin ("Config" -> "botocore.config.Config")
        self.assigned: dict[str, list[ast.expr]] = {}
        self._active: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.aliases[local] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                value = node.value if node.value is not None else ast.Constant(None)
                if isinstance(node, ast.AugAssign):
                    value = ast.Constant(UNRESOLVED)  # rebinding by arithmetic: not a constant
                self._bind(node.target, value)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.With | ast.AsyncWith | ast.comprehension):
                targets = [node.target] if hasattr(node, "target") else [i.optional_vars for i in node.items]
                for target in targets:
                    if target is not None:
                        self._bind(target, ast.Constant(UNRESOLVED))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                    self._bind(ast.Name(arg.arg), ast.Constant(UNRESOLVED))

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind(element, ast.Constant(UNRESOLVED))

    def dotted(self, node: ast.expr) -> str | None:
        """`botocore.config.Config` for `Config` imported from there, `boto3.client` for `boto3.client`."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            inner = self.dotted(node.value)
            return f"{inner}.{node.attr}" if inner else None
        return None

    def is_config_call(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and self.dotted(node.func) in {f"{m}.Config" for m in _CONFIG_MODULES}

    def name_value(self, name: str) -> ast.expr | None:
        values = self.assigned.get(name, [])
        return values[0] if len(values) == 1 else None

    def value(self, node: ast.expr | None) -> object:
        if node is None:
            return UNRESOLVED
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            bound = self.name_value(node.id)
            if bound is None or node.id in self._active:
                return UNRESOLVED
            self._active.add(node.id)
            try:
                return self.value(bound)
            finally:
                self._active.discard(node.id)
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                return UNRESOLVED  # {**other}
            result = {}
            for key, item in zip(node.keys, node.values, strict=True):
                resolved_key = self.value(key)
                if not isinstance(resolved_key, str):
                    return UNRESOLVED
                result[resolved_key] = item  # values are read lazily: only the keys botocore uses matter
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self.value(node.operand)
            return -operand if _is_number(operand) else UNRESOLVED
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            left, right = self.value(node.left), self.value(node.right)
            if not (_is_number(left) and _is_number(right)):
                return UNRESOLVED
            try:
                return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(
                    type(node.op), left / right if right else UNRESOLVED
                )
            except (ArithmeticError, TypeError):
                return UNRESOLVED
        if isinstance(node, ast.Subscript) and self.dotted(node.value) == "os.environ":
            return self._environ(self.value(node.slice), required=True)
        if isinstance(node, ast.Call):
            return self._call(node)
        return UNRESOLVED

    def _call(self, node: ast.Call) -> object:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        dotted = self.dotted(node.func)
        if name in ("int", "float", "str") and name not in self.assigned and len(node.args) == 1 and not node.keywords:
            inner = self.value(node.args[0])
            if inner is UNRESOLVED or inner is None or isinstance(inner, bool | dict):
                return UNRESOLVED
            try:
                return {"int": int, "float": float, "str": str}[name](inner)
            except (TypeError, ValueError, OverflowError):
                return UNRESOLVED
        if dotted in ("os.environ.get", "os.getenv") and not node.keywords and 1 <= len(node.args) <= 2:
            default = self.value(node.args[1]) if len(node.args) == 2 else None
            found = self._environ(self.value(node.args[0]), required=False)
            return default if found is _ABSENT else found
        return UNRESOLVED

    def _environ(self, key: object, *, required: bool) -> object:
        if not isinstance(key, str) or self.environ is None:
            return UNRESOLVED
        if key not in self.environ:
            return UNRESOLVED if required else _ABSENT
        value = self.environ[key]
        return value if isinstance(value, str) else UNRESOLVED


_ABSENT = object()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def client_configs(tree: ast.Module, environ: Mapping[str, object] | None) -> list[ClientConfig]:
    """Every SDK client created in the module, with its Config keywords resolved where possible.

    `environ` is the function's environment (str values; others count as unknown), or None when unknown.
    A module that imports neither boto3 nor botocore has no clients.
    """
    reader = _Reader(tree, environ)
    if not any(origin.split(".")[0] in ("boto3", "botocore", "aioboto3") for origin in reader.aliases.values()):
        return []
    clients = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _is_client_call(reader, node):
            continue
        service_node = node.args[0] if node.args else _keyword(node, "service_name")
        service = reader.value(service_node) if service_node is not None else None
        client = ClientConfig(service=service if isinstance(service, str) else None, line=node.lineno)
        config_node = _keyword(node, "config")
        if any(k.arg is None for k in node.keywords):
            client.resolved = False  # **kwargs may carry a config
        elif config_node is not None:
            _read_config(reader, config_node, client)
        clients.append(client)
    clients.sort(key=lambda c: c.line)
    return clients


def _is_client_call(reader: _Reader, node: ast.Call) -> bool:
    dotted = reader.dotted(node.func)
    if dotted in ("boto3.client", "boto3.resource"):
        return True
    if isinstance(node.func, ast.Attribute) and node.func.attr in _CLIENT_METHODS:
        first = node.args[0] if node.args else _keyword(node, "service_name")
        return isinstance(first, ast.Constant | ast.Name) or _keyword(node, "config") is not None
    return False


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _read_config(reader: _Reader, node: ast.expr, client: ClientConfig) -> None:
    if isinstance(node, ast.Name):
        bound = reader.name_value(node.id)
        node = bound if bound is not None else node
    if isinstance(node, ast.Constant) and node.value is None:
        return  # config=None: botocore's defaults
    if not reader.is_config_call(node):
        client.resolved = False
        return
    assert isinstance(node, ast.Call)
    client.config_line = node.lineno
    if node.args or any(k.arg is None for k in node.keywords):
        client.resolved = False  # positional options or **kwargs: cannot tell which options they set
        return
    for name in ("retries", "connect_timeout", "read_timeout"):
        expr = _keyword(node, name)
        if expr is None:
            continue
        value = reader.value(expr)
        if name == "retries" and isinstance(value, dict):
            value = {key: reader.value(item) for key, item in value.items()}
        client.values[name] = value


def settings_for(
    client: ClientConfig | None,
    environ: Mapping[str, object] | None,
    *,
    path: str = "",
    fallback_service: str | None = None,
) -> RetrySettings | None:
    """The effective settings of a client (None: unresolvable), with the function's environment applied.

    `client` None stands for a client created without a Config (only the environment applies).
    """
    values = client.values if client is not None else {}
    if client is not None and not client.resolved:
        return None
    where = f" ({path}:{client.config_line})" if client is not None and client.config_line else ""
    retries = values.get("retries")
    if retries is None:
        retries = {}
    if not isinstance(retries, dict):
        return None
    attempts: int | None = None
    attempts_source = mode_source = ""
    if "total_max_attempts" in retries:
        attempts = retries["total_max_attempts"]
        attempts_source = f"total_max_attempts={attempts}{where}"
    elif "max_attempts" in retries:
        retries_count = retries["max_attempts"]
        if not _is_int(retries_count):
            return None
        attempts = retries_count + 1
        attempts_source = f"retries max_attempts={retries_count} (= {attempts} attempts){where}"
    else:
        env_attempts = _env(environ, "AWS_MAX_ATTEMPTS")
        if env_attempts is UNRESOLVED:
            return None
        if env_attempts is not None:
            try:
                attempts = int(str(env_attempts))
            except ValueError:
                return None
            attempts_source = f"AWS_MAX_ATTEMPTS={attempts}"
    if attempts is not None and (not _is_int(attempts) or attempts < 1):
        return None
    mode = retries.get("mode")
    if mode is not None:
        mode_source = where.strip(" ()") or "Config"
    else:
        mode = _env(environ, "AWS_RETRY_MODE")
        if mode is UNRESOLVED:
            return None
        if mode is not None:
            mode_source = "AWS_RETRY_MODE"
    if mode is not None and mode not in MODES:
        return None
    timeouts = []
    for name in ("connect_timeout", "read_timeout"):
        value = values.get(name)
        if value is not None and (not _is_number(value) or value < 0):
            return None
        timeouts.append(value)
    service = client.service if client is not None and client.service else fallback_service
    return RetrySettings(
        mode=mode,  # type: ignore[arg-type]
        total_max_attempts=attempts,
        connect_timeout=timeouts[0],
        read_timeout=timeouts[1],
        service=service,
        attempts_source=attempts_source,
        mode_source=mode_source,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _env(environ: Mapping[str, object] | None, key: str) -> object:
    """The variable's value, None when it is not set, UNRESOLVED when the environment is unknown."""
    if environ is None:
        return UNRESOLVED
    if key not in environ:
        return None
    value = environ[key]
    if _is_number(value):
        return str(value)
    return value if isinstance(value, str) else UNRESOLVED


__all__ = [
    "UNRESOLVED",
    "ClientConfig",
    "RetrySettings",
    "WorstCase",
    "attempts_that_fit",
    "client_configs",
    "default_retry_mode",
    "legacy_max_delay",
    "legacy_retry_config",
    "settings_for",
    "standard_default_attempts",
    "standard_max_delay",
    "worst_case",
]

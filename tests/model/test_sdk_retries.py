"""ddblint.model.sdk_retries against botocore's own implementation.

Two levels: the delay formulas against `ExponentialBackoff.delay_amount` / `delay_exponential` with the
random part at its maximum, and whole settings against the retry handler that botocore registers on a real
client built with the same Config and environment (no request is sent).
"""

from __future__ import annotations

import ast
import random

import boto3
import pytest
from botocore import retryhandler
from botocore.config import Config
from botocore.retries import standard
from ddblint.model.sdk_retries import (
    UNRESOLVED,
    RetrySettings,
    attempts_that_fit,
    client_configs,
    default_retry_mode,
    legacy_max_delay,
    legacy_retry_config,
    settings_for,
    standard_default_attempts,
    standard_max_delay,
    worst_case,
)


class _AlwaysThrottling:
    def is_throttling_error_from_context(self, context) -> bool:
        return True


def _client(service: str, config: Config | None = None):
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )


def _registered_handler(client):
    service_id = client.meta.service_model.service_id.hyphenize()
    return client.meta.events._emitter._unique_id_handlers[f"retry-config-{service_id}"]["handler"]


def _botocore_worst_case(client, monkeypatch) -> tuple[str, int, list[float]]:
    """(mode, attempts, the largest delay before each retry) from the handler botocore registered."""
    handler = _registered_handler(client)
    if isinstance(handler, retryhandler.RetryHandler):  # legacy
        monkeypatch.setattr(retryhandler.random, "random", lambda: 1.0)
        attempts = handler._checker._max_attempts
        return "legacy", attempts, [handler._action(attempts=n) for n in range(1, attempts)]
    policy = handler.__self__._retry_policy
    attempts = policy._retry_checker._max_attempts_checker._max_attempts
    backoff = policy._retry_backoff
    backoff._random = lambda: 1
    throttled = {"Error": {"Code": "ThrottlingException"}}
    delays = [
        backoff.delay_amount(standard.RetryContext(attempt_number=n, parsed_response=throttled))
        for n in range(1, attempts)
    ]
    return client.meta.config.retries["mode"], attempts, delays


# -- the formulas ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("service", [None, "dynamodb", "s3"])
def test_standard_delays_match_exponential_backoff(service) -> None:
    backoff = standard.ExponentialBackoff(
        random=lambda: 1, service_name=service, throttling_detector=_AlwaysThrottling()
    )
    for attempt in range(1, 15):
        expected = backoff.delay_amount(standard.RetryContext(attempt_number=attempt))
        assert standard_max_delay(attempt) == pytest.approx(expected)
    # The cap is botocore's: 20 s from the 6th retry on.
    assert [standard_max_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 20, 20]


def test_non_throttling_delays_are_smaller() -> None:
    backoff = standard.ExponentialBackoff(random=lambda: 1, service_name="dynamodb")
    for attempt in range(1, 10):
        assert backoff.delay_amount(standard.RetryContext(attempt_number=attempt)) <= standard_max_delay(attempt)


@pytest.mark.parametrize("service", [None, "dynamodb", "sqs", "kinesis"])
def test_legacy_delays_match_delay_exponential(service, monkeypatch) -> None:
    config = legacy_retry_config(service)
    delay = config["delay"]
    monkeypatch.setattr(retryhandler.random, "random", lambda: 1.0)
    function = retryhandler.create_exponential_delay_function(delay["base"], delay["growth_factor"])
    for attempt in range(1, config["max_attempts"]):
        assert legacy_max_delay(delay, attempt) == pytest.approx(function(attempts=attempt))


def test_legacy_dynamodb_data_comes_from_retry_json() -> None:
    config = legacy_retry_config("dynamodb")
    assert config["max_attempts"] == 10
    assert config["delay"]["base"] == 0.05
    case = worst_case(RetrySettings(mode="legacy", service="dynamodb"))
    assert case.attempts == 10
    assert case.backoff == pytest.approx(0.05 * (2**9 - 1))  # 25.55 s
    assert legacy_retry_config(None)["max_attempts"] == 5


def test_defaults_come_from_botocore() -> None:
    assert default_retry_mode() == "standard"
    assert standard_default_attempts("dynamodb") == 4
    assert standard_default_attempts("s3") == standard.DEFAULT_MAX_ATTEMPTS
    assert standard_default_attempts(None) == standard.DEFAULT_MAX_ATTEMPTS


# -- whole settings against a real botocore client --------------------------------------------------------
CLIENT_CASES = [
    ("dynamodb", {"retries": {"total_max_attempts": 10}}, {}),
    ("dynamodb", {"retries": {"max_attempts": 4}}, {}),
    ("dynamodb", {"retries": {"max_attempts": 4, "mode": "legacy"}}, {}),
    ("dynamodb", {"retries": {"mode": "legacy"}}, {}),
    ("dynamodb", {"retries": {"mode": "adaptive", "total_max_attempts": 7}}, {}),
    ("dynamodb", {}, {"AWS_MAX_ATTEMPTS": "6"}),
    ("dynamodb", {}, {"AWS_RETRY_MODE": "legacy"}),
    ("dynamodb", {}, {"AWS_RETRY_MODE": "standard"}),
    ("dynamodb", {"retries": {"max_attempts": 2}}, {"AWS_MAX_ATTEMPTS": "9"}),
    ("dynamodb", {"retries": {"mode": "standard"}}, {"AWS_RETRY_MODE": "legacy", "AWS_MAX_ATTEMPTS": "5"}),
    ("s3", {"retries": {"mode": "legacy"}}, {}),
    ("s3", {}, {"AWS_MAX_ATTEMPTS": "8", "AWS_RETRY_MODE": "legacy"}),
    ("sqs", {"retries": {"total_max_attempts": 3}}, {}),
    ("dynamodbstreams", {"retries": {"mode": "standard"}}, {}),
    ("dynamodbstreams", {"retries": {"mode": "legacy"}}, {}),
]


@pytest.mark.parametrize(("service", "config", "environ"), CLIENT_CASES)
def test_worst_case_matches_a_real_client(service, config, environ, monkeypatch) -> None:
    for key in ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    client = _client(service, Config(**config) if config else None)
    mode, attempts, delays = _botocore_worst_case(client, monkeypatch)

    (parsed,) = client_configs(ast.parse(_handler_source(service, config)), environ)
    settings = settings_for(parsed, environ)
    case = worst_case(settings)
    assert (case.mode, case.attempts) == (mode, attempts)
    assert list(case.delays) == pytest.approx(delays)


def _handler_source(service: str, config: dict) -> str:
    keywords = ", ".join(f"{k}={v!r}" for k, v in config.items())
    call = f"boto3.client({service!r}, config=Config({keywords}))" if config else f"boto3.client({service!r})"
    return f"import boto3\nfrom botocore.config import Config\nc = {call}\n"


def test_socket_time_counts_explicit_timeouts_only() -> None:
    case = worst_case(RetrySettings(total_max_attempts=10, connect_timeout=5, read_timeout=10, service="dynamodb"))
    assert case.backoff == 111
    assert case.socket == 150
    assert case.total == 261
    assert case.arithmetic() == (
        "back-off 1+2+4+8+16+20+20+20+20 = 111 s, plus 10 x (connect 5 s + read 10 s) = 150 s; worst case 261 s"
    )
    only_read = worst_case(RetrySettings(total_max_attempts=2, read_timeout=3))
    assert only_read.total == 1 + 2 * 3
    assert worst_case(RetrySettings(total_max_attempts=1)).total == 0


def test_attempts_that_fit() -> None:
    settings = RetrySettings(total_max_attempts=10, connect_timeout=5, read_timeout=10)
    assert attempts_that_fit(settings, 30) == 1
    assert attempts_that_fit(RetrySettings(total_max_attempts=8), 10) == 4
    assert attempts_that_fit(RetrySettings(total_max_attempts=2, read_timeout=50), 10) is None


# -- reading Config from the syntax tree ----------------------------------------------------------------
def _clients(source: str, environ=None):
    return client_configs(ast.parse(source), {} if environ is None else environ)


def test_config_by_name_constants_and_environment() -> None:
    source = """
import os
import boto3
from botocore.config import Config as BotoConfig

RETRIES = {"total_max_attempts": int(os.getenv("ATTEMPTS", "3")), "mode": "adaptive"}
CFG = BotoConfig(retries=RETRIES, read_timeout=float(os.environ["READ"]), connect_timeout=2 * 1.5)
session = boto3.session.Session()
ddb = session.client(service_name="dynamodb", config=CFG)
"""
    (client,) = _clients(source, {"ATTEMPTS": "7", "READ": "2.5"})
    assert client.service == "dynamodb"
    assert client.values == {
        "retries": {"total_max_attempts": 7, "mode": "adaptive"},
        "read_timeout": 2.5,
        "connect_timeout": 3.0,
    }
    settings = settings_for(client, {"ATTEMPTS": "7", "READ": "2.5"}, path="app.py")
    assert settings.attempts_source == "total_max_attempts=7 (app.py:7)"
    (client,) = _clients(source, {"READ": "1"})  # ATTEMPTS unset: the default "3"
    assert client.values["retries"]["total_max_attempts"] == 3
    (client,) = _clients(source, {})  # os.environ["READ"] would raise: unresolvable
    assert client.values["read_timeout"] is UNRESOLVED
    assert settings_for(client, {}) is None


def test_unresolvable_shapes() -> None:
    source = """
import boto3
import botocore.config

cfg = botocore.config.Config(retries={"total_max_attempts": 5})
cfg = botocore.config.Config(retries={"total_max_attempts": 50})
a = boto3.client("dynamodb", config=cfg)
b = boto3.client("dynamodb", config=make_config())
c = boto3.client("dynamodb", **kwargs)
d = boto3.client("dynamodb", config=botocore.config.Config({"x": 1}))
"""
    clients = _clients(source)
    assert [settings_for(c, {}) for c in clients] == [None, None, None, None]


def test_no_boto_import_no_clients() -> None:
    assert _clients("import requests\nr = requests.Session().client('x', config=1)\n") == []


def test_environment_unknown_needs_complete_config() -> None:
    (client,) = _clients(
        "import boto3\nfrom botocore.config import Config\n"
        "c = boto3.client('dynamodb', config=Config(retries={'total_max_attempts': 5, 'mode': 'standard'}))\n"
    )
    assert settings_for(client, None).total_max_attempts == 5
    (client,) = _clients("import boto3\nc = boto3.client('dynamodb')\n")
    assert settings_for(client, None) is None


def test_invalid_settings_are_silent() -> None:
    assert settings_for(None, {"AWS_MAX_ATTEMPTS": "many"}) is None
    assert settings_for(None, {"AWS_RETRY_MODE": "eager"}) is None
    assert settings_for(None, {"AWS_MAX_ATTEMPTS": "0"}) is None
    assert not settings_for(None, {}).explicit


def test_random_is_left_alone() -> None:
    before = random.random
    worst_case(RetrySettings(mode="legacy"))
    assert random.random is before

"""The findings cache: a warm run reuses each unchanged root module's findings, and every kind of input a
root's findings depend on invalidates its entry when it changes (compared with a run without any cache)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from ddblint import findings_cache, parse_cache
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.parse_cache import ParseCache
from ddblint.pipeline import rules_by_id
from ddblint.reporters import render

STACK = """\
variable "timeout" {
  type    = number
  default = 30
}

module "fn" {
  source  = "../modules/fn"
  timeout = var.timeout
}

resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("${path.module}/policy.json")
}
"""

FUNCTION = """\
variable "timeout" {
  type = number
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  range_key        = "sk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }
}

data "archive_file" "app" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/app.zip"
}

resource "aws_lambda_function" "f" {
  function_name    = "orders-api"
  role             = "arn:aws:iam::123456789012:role/orders-api"
  runtime          = "python3.12"
  handler          = "app.handler"
  filename         = data.archive_file.app.output_path
  source_code_hash = data.archive_file.app.output_base64sha256
  timeout          = var.timeout

  environment {
    variables = {
      TABLE_NAME = aws_dynamodb_table.orders.name
    }
  }
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.f.arn
  starting_position = "LATEST"
}
"""

HANDLER_WRONG_KEY = """\
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    return TABLE.get_item(Key={"id": event["id"], "sk": "order"}).get("Item")
"""

WIDE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:*:table/orders"}],
    }
)
NARROW_POLICY = WIDE_POLICY.replace("dynamodb:*", "dynamodb:GetItem")
EXTRA_POLICY = """\
resource "aws_iam_policy" "extra" {
  name = "extra"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "stack").mkdir(parents=True)
    (root / "modules" / "fn" / "src").mkdir(parents=True)
    (root / "stack" / "main.tf").write_text(STACK)
    (root / "modules" / "fn" / "main.tf").write_text(FUNCTION)
    (root / "modules" / "fn" / "src" / "app.py").write_text(HANDLER_WRONG_KEY)
    (root / "other").mkdir()  # a second root, unaffected by most changes
    (root / "other" / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')
    return root


def output(repo: Path, cache_dir: Path | None, config: Config | None = None) -> str:
    """The JSON report of a run from inside `repo` (cached when `cache_dir` is given)."""
    cache = ParseCache(cache_dir) if cache_dir is not None else None
    result = run_check([repo], root=repo, config=config or Config(), cache=cache, jobs=1)
    return render("json", result.report, rules_by_id())


def check_matches_uncached(repo: Path, cache_dir: Path, config: Config | None = None) -> str:
    cached = output(repo, cache_dir, config)
    assert cached == output(repo, None, config)
    return cached


def rule_ids(report: str) -> list[tuple[str, str]]:
    return sorted((f["rule_id"], f["address"]) for f in json.loads(report)["findings"])


def test_warm_run_reuses_every_root_and_matches_cold(repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = check_matches_uncached(repo, cache_dir)
    assert findings_cache.LAST_RUN.root_misses == 2
    assert ("OPS604", "module.fn.aws_lambda_function.f") in rule_ids(cold)
    warm = output(repo, cache_dir)
    assert warm == cold
    assert findings_cache.LAST_RUN.root_hits == 2
    assert findings_cache.LAST_RUN.root_misses == 0
    assert findings_cache.LAST_RUN.summary_misses == 0


def test_findings_cache_can_be_turned_off(repo: Path, tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    first = run_check([repo], root=repo, config=Config(), cache=cache, use_findings_cache=False)
    findings_cache.LAST_RUN.root_hits = -1
    second = run_check([repo], root=repo, config=Config(), cache=cache, use_findings_cache=False)
    assert findings_cache.LAST_RUN.root_hits == -1  # not used
    assert first.report.findings == second.report.findings


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(repo: Path) -> None:
        target = repo / path
        text = target.read_text()
        assert old in text
        target.write_text(text.replace(old, new))

    return change


def _write(path: str, text: str) -> Callable[[Path], None]:
    def change(repo: Path) -> None:
        (repo / path).write_text(text)

    return change


# Each change alters the findings of the stack root (and only of it): (name, setup before the first run,
# change, a finding present after the change but not before, or absent after but present before).
CHANGES = [
    # A .tf edit in the root module: a timeout below LAM302's default threshold.
    ("root tf edit", None, _edit("stack/main.tf", "default = 30", "default = 3"), ("+", "LAM302")),
    # A .tf edit in the called local module: the key schema now matches the handler's keys.
    ("module tf edit", None, _edit("modules/fn/main.tf", '"pk"', '"id"'), ("-", "OPS604")),
    # A new .tf file in the called module's directory.
    ("module tf added", None, _write("modules/fn/extra.tf", EXTRA_POLICY), ("+", "IAM101")),
    # A .tf file deleted from the called module's directory.
    (
        "module tf deleted",
        _write("modules/fn/extra.tf", EXTRA_POLICY),
        lambda repo: (repo / "modules/fn/extra.tf").unlink(),
        ("-", "IAM101"),
    ),
    # terraform.tfvars appears, then (next case) changes.
    ("tfvars added", None, _write("stack/terraform.tfvars", "timeout = 5\n"), ("+", "LAM302")),
    (
        "tfvars changed",
        _write("stack/terraform.tfvars", "timeout = 30\n"),
        _write("stack/terraform.tfvars", "timeout = 5\n"),
        ("+", "LAM302"),
    ),
    # An *.auto.tfvars file appears (found by listing the root directory).
    ("auto tfvars added", None, _write("stack/short.auto.tfvars", "timeout = 5\n"), ("+", "LAM302")),
    # The file() target appears: read at the policy resource instead of missing.
    ("file() target appears", None, _write("stack/policy.json", WIDE_POLICY), ("+", "IAM101")),
    (
        "file() target changed",
        _write("stack/policy.json", NARROW_POLICY),
        _write("stack/policy.json", WIDE_POLICY),
        ("+", "IAM101"),
    ),
    # The handler source (read by OPS604 and RTY406) now uses the table's key names.
    ("handler source changed", None, _edit("modules/fn/src/app.py", '"id"', '"pk"'), ("-", "OPS604")),
    # The handler source disappears: OPS604 has nothing to read.
    (
        "handler source deleted",
        None,
        lambda repo: (repo / "modules/fn/src/app.py").unlink(),
        ("-", "OPS604"),
    ),
    # A module call whose directory appears later.
    (
        "called module directory appears",
        _edit("stack/main.tf", '"../modules/fn"', '"../modules/fn2"'),
        lambda repo: shutil.copytree(repo / "modules/fn", repo / "modules/fn2"),
        ("-", "DDB003"),
    ),
]


@pytest.mark.parametrize(("name", "setup", "change", "expected"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_invalidates_the_entry(repo: Path, tmp_path: Path, name, setup, change, expected) -> None:
    cache_dir = tmp_path / "cache"
    if setup is not None:
        setup(repo)
    before = check_matches_uncached(repo, cache_dir)
    assert output(repo, cache_dir) == before  # warm
    assert findings_cache.LAST_RUN.root_misses == 0
    change(repo)
    after = check_matches_uncached(repo, cache_dir)
    sign, rule_id = expected
    had = {rid for rid, _ in rule_ids(before)}
    has = {rid for rid, _ in rule_ids(after)}
    assert (rule_id in has and rule_id not in had) if sign == "+" else (rule_id in had and rule_id not in has)
    # Warm again after the change: reused, and still the same.
    assert output(repo, cache_dir) == after
    assert findings_cache.LAST_RUN.root_misses == 0


def test_a_config_option_change_invalidates(repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    default = check_matches_uncached(repo, cache_dir)
    strict = Config(options={"min_timeout_seconds": 60})
    changed = check_matches_uncached(repo, cache_dir, strict)
    assert "LAM302" not in {rid for rid, _ in rule_ids(default)}
    assert "LAM302" in {rid for rid, _ in rule_ids(changed)}
    assert output(repo, cache_dir) == default
    assert findings_cache.LAST_RUN.root_misses == 0  # each configuration keeps its own entries


def test_a_rule_selection_change_invalidates(repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    everything = check_matches_uncached(repo, cache_dir)
    selected = check_matches_uncached(repo, cache_dir, Config(select=("OPS",)))
    # Exactly the OPS findings of the full run (OPS601, OPS603-OPS605 here), nothing cached from it.
    assert rule_ids(selected) == [(rid, address) for rid, address in rule_ids(everything) if rid.startswith("OPS")]
    assert selected != everything
    ignored = check_matches_uncached(repo, cache_dir, Config(ignore=("OPS604",)))
    assert "OPS604" not in {rid for rid, _ in rule_ids(ignored)}


def test_an_exclude_change_invalidates(repo: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    (repo / "modules/fn/extra.tf").write_text(EXTRA_POLICY)
    everything = check_matches_uncached(repo, cache_dir)
    excluded = check_matches_uncached(repo, cache_dir, Config(exclude=("modules/fn/extra.tf",)))
    assert "IAM101" in {rid for rid, _ in rule_ids(everything)}
    assert "IAM101" not in {rid for rid, _ in rule_ids(excluded)}


def test_a_version_bump_invalidates(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    before = check_matches_uncached(repo, cache_dir)
    monkeypatch.setattr(parse_cache, "_TAG", parse_cache.cache_tag().replace("-ddblint", "-ddblint9"))
    assert output(repo, cache_dir) == before
    assert findings_cache.LAST_RUN.root_hits == 0
    assert findings_cache.LAST_RUN.summary_hits == 0


def test_edited_ddblint_code_invalidates(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    before = check_matches_uncached(repo, cache_dir)
    monkeypatch.setattr(findings_cache, "_CODE", None)
    fingerprint = findings_cache.code_fingerprint()
    monkeypatch.setattr(findings_cache, "_CODE", None)
    assert findings_cache.code_fingerprint() == fingerprint  # stable while nothing changes
    monkeypatch.setattr(findings_cache, "_CODE", "edited")
    assert output(repo, cache_dir) == before
    assert findings_cache.LAST_RUN.root_hits == 0


def _findings_entries(cache_dir: Path) -> list[Path]:
    entries = []
    for directory, _, names in os.walk(cache_dir):
        for name in names:
            path = Path(directory) / name
            if path.read_bytes().startswith(b"ddblint-findings-cache\n"):
                entries.append(path)
    return entries


@pytest.mark.parametrize("damage", ["truncate", "garbage", "forged class"])
def test_a_corrupted_entry_is_ignored_and_rewritten(repo: Path, tmp_path: Path, damage: str) -> None:
    import pickle

    cache_dir = tmp_path / "cache"
    before = check_matches_uncached(repo, cache_dir)
    entries = _findings_entries(cache_dir)
    assert len(entries) == 5  # two roots (stack, other), a summary per module directory (stack, modules/fn, other)
    for path in entries:
        data = path.read_bytes()
        header = data[: data.index(b"\n", len(b"ddblint-findings-cache\n")) + 1]
        key_line = data[len(header) : data.index(b"\n", len(header)) + 1]
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(header + key_line + b"\x80\x05not a pickle")
        else:
            path.write_bytes(header + key_line + pickle.dumps({"findings": os.system}))
    assert output(repo, cache_dir) == before
    assert findings_cache.LAST_RUN.root_hits == 0
    assert output(repo, cache_dir) == before  # rewritten: reused now
    assert findings_cache.LAST_RUN.root_misses == 0


def test_the_bench_corpus_is_identical_cold_warm_and_after_a_change(tmp_path: Path) -> None:
    """A generated repository (modules calling modules, handlers, tfvars): the same report every way."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "bench"))
    from generate import generate

    corpus = tmp_path / "corpus"
    generate(corpus, 60)
    cache_dir = tmp_path / "cache"
    cold = check_matches_uncached(corpus, cache_dir)
    assert output(corpus, cache_dir) == cold
    assert findings_cache.LAST_RUN.root_misses == 0
    files = sorted(corpus.rglob("*.tf"))
    for target in files[:: max(1, len(files) // 4)]:
        target.write_text(target.read_text().replace("= 30", "= 3").replace("true", "false"))
        check_matches_uncached(corpus, cache_dir)

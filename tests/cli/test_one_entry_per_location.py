"""A module called six times: one entry per offending line in every format, suppressions and baselines per
instance (CLI runs in-process: the subject is the grouping, not the process)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli_in_process import run_ddblint

from .conftest import write_tree

MODULE = """\
variable "name" {
  type = string
}

resource "aws_iam_policy" "this" {
  name = var.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:*"
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    }]
  })
}
"""
# IAM101 reports at the statement: line 9 of MODULE.
STATEMENT_LINE = 9

ROOT = """\
module "a" {
  source = "../modules/policy"
  name   = "a"
}

module "b" {
  source = "../modules/policy"
  name   = "b"
}

module "many" {
  source   = "../modules/policy"
  for_each = toset(["c", "d", "e", "f"])
  name     = each.key
}
"""
INSTANCES = [
    "module.a.aws_iam_policy.this",
    "module.b.aws_iam_policy.this",
    'module.many["c"].aws_iam_policy.this',
    'module.many["d"].aws_iam_policy.this',
    'module.many["e"].aws_iam_policy.this',
    'module.many["f"].aws_iam_policy.this',
]


def six_calls(root: Path) -> Path:
    return write_tree(root, {"modules/policy/main.tf": MODULE, "stack/main.tf": ROOT})


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return six_calls(tmp_path_factory.mktemp("six-calls"))


def run(project: Path, *args: str):
    return run_ddblint(project, "check", "stack", "--no-cache", "--select", "IAM101", *args)


def test_json_has_one_entry_with_every_instance(project: Path) -> None:
    document = json.loads(run(project, "--format", "json").stdout)
    (finding,) = document["findings"]
    assert (finding["file"], finding["line"], finding["root"]) == ("modules/policy/main.tf", STATEMENT_LINE, "stack")
    assert finding["instances"] == INSTANCES
    assert finding["address"] == INSTANCES[0]
    assert document["summary"]["error"] == 1


def test_text_names_the_resource_once_and_counts_the_instances(project: Path) -> None:
    result = run(project)
    assert result.returncode == 1
    header = [line for line in result.stdout.splitlines() if "IAM101" in line]
    assert len(header) == 1
    assert (
        header[0]
        .rstrip()
        .endswith('aws_iam_policy.this in 6 instances: module.a, module.b, module.many["c"] and 3 more')
    )
    assert result.stdout.count("every action of the service") == 1


def test_github_gives_one_annotation(project: Path) -> None:
    lines = [line for line in run(project, "--format", "github").stdout.splitlines() if line.startswith("::")]
    assert len(lines) == 1
    assert lines[0].startswith(f"::error file=modules/policy/main.tf,line={STATEMENT_LINE},title=IAM101")
    assert '(in 6 instances: module.a, module.b, module.many["c"] and 3 more)' in lines[0]


def test_markdown_shows_the_finding_once(project: Path) -> None:
    comment = run(project, "--format", "markdown").stdout
    assert comment.count("every action of the service") == 1
    assert comment.count(f"modules/policy/main.tf:{STATEMENT_LINE}") == 1
    assert "in 6 instances: module.a, module.b" in comment


def test_sarif_has_one_result_with_a_logical_location_per_instance(project: Path) -> None:
    log = json.loads(run(project, "--format", "sarif").stdout)
    (result,) = log["runs"][0]["results"]
    assert [loc["fullyQualifiedName"] for loc in result["locations"][0]["logicalLocations"]] == INSTANCES
    assert result["properties"] == {"root": "stack", "instances": INSTANCES}
    assert "in 6 instances" in result["message"]["text"]


def test_gitlab_has_one_issue(project: Path) -> None:
    (issue,) = json.loads(run(project, "--format", "gitlab").stdout)
    assert issue["location"] == {"path": "modules/policy/main.tf", "lines": {"begin": STATEMENT_LINE}}
    assert "in 6 instances" in issue["description"]


def test_two_calls_are_named(tmp_path: Path) -> None:
    write_tree(tmp_path, {"modules/policy/main.tf": MODULE, "stack/main.tf": ROOT.split('module "many"')[0]})
    result = run_ddblint(tmp_path, "check", "stack", "--no-cache", "--select", "IAM101")
    assert "aws_iam_policy.this in module.a and module.b" in result.stdout


def test_messages_name_resources_as_the_module_writes_them(tmp_path: Path) -> None:
    """LAM301's message names the function; in the entry it is the module's `aws_lambda_function.this`."""
    function = 'resource "aws_lambda_function" "this" {\n  function_name = "f"\n  role = "arn:aws:iam::1:role/r"\n}\n'
    root = 'module "a" {\n  source = "./fn"\n}\n\nmodule "b" {\n  source = "./fn"\n}\n'
    write_tree(tmp_path, {"fn/main.tf": function, "main.tf": root})
    document = json.loads(run_ddblint(tmp_path, "check", "--no-cache", "--select", "LAM301", "--format", "json").stdout)
    (finding,) = document["findings"]
    assert finding["instances"] == ["module.a.aws_lambda_function.this", "module.b.aws_lambda_function.this"]
    assert finding["message"].startswith("aws_lambda_function.this sets no timeout")
    assert "module." not in finding["message"]


def test_suppression_above_one_call_hides_only_its_instances(tmp_path: Path) -> None:
    six_calls(tmp_path)
    stack = tmp_path / "stack" / "main.tf"
    stack.write_text(
        "# ddblint:ignore[IAM101] module a is the admin tool, reviewed in SEC-9\n" + ROOT, encoding="utf-8"
    )
    document = json.loads(
        run_ddblint(tmp_path, "check", "stack", "--no-cache", "--select", "IAM101", "--format", "json").stdout
    )
    (finding,) = document["findings"]
    assert finding["instances"] == INSTANCES[1:]
    assert document["summary"]["suppressed"] == 1  # instances


def test_suppression_in_the_module_hides_every_instance(tmp_path: Path) -> None:
    six_calls(tmp_path)
    module = tmp_path / "modules" / "policy" / "main.tf"
    module.write_text(
        MODULE.replace(
            'resource "aws_iam_policy"', '# ddblint:ignore[IAM101] reviewed in SEC-9\nresource "aws_iam_policy"'
        ),
        encoding="utf-8",
    )
    document = json.loads(
        run_ddblint(tmp_path, "check", "stack", "--no-cache", "--select", "IAM101", "--format", "json").stdout
    )
    assert document["findings"] == []
    assert document["summary"]["suppressed"] == len(INSTANCES)


def test_baseline_holds_instances_and_a_new_call_is_new(tmp_path: Path) -> None:
    six_calls(tmp_path)
    written = run_ddblint(tmp_path, "check", "stack", "--no-cache", "--select", "IAM101", "--write-baseline", "b.json")
    assert "wrote 6 findings" in written.stderr
    entries = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"]
    assert [entry["address"] for entry in entries] == INSTANCES

    stack = tmp_path / "stack" / "main.tf"
    stack.write_text(ROOT + '\nmodule "g" {\n  source = "../modules/policy"\n  name   = "g"\n}\n', encoding="utf-8")
    later = run_ddblint(
        tmp_path, "check", "stack", "--no-cache", "--select", "IAM101", "--baseline", "b.json", "--format", "json"
    )
    document = json.loads(later.stdout)
    assert [f["instances"] for f in document["findings"]] == [["module.g.aws_iam_policy.this"]]
    assert document["summary"]["baselined"] == 6
    assert later.returncode == 1


def test_no_line_is_reported_twice_on_the_examples() -> None:
    """A rule may say two different things about one line (two handler calls); never the same thing twice."""
    repository = Path(__file__).resolve().parents[2]
    result = run_ddblint(repository, "check", "examples", "--no-cache", "--format", "github")
    messages: dict[tuple[str, str], list[str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"::\w+ (file=[^,]*,line=\d+),title=(\S+) [^:]*::(.*)$", line)
        if match:
            messages.setdefault(match.group(1, 2), []).append(match.group(3))
    assert messages
    for place, texts in messages.items():
        assert len(set(texts)) == len(texts), place

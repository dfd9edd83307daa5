"""Bounded work, no reading outside the root, no execution, deterministic output."""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest
from ddblint.findings import Report

from .conftest import REAL_DEFECT, check, cli, ids_at, write_tree

SECRET_POLICY = '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Sid": "OUTSIDESECRET"}]}'


# -- no reading outside the root -----------------------------------------------------------------------
def test_paths_outside_the_root_are_not_read(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"policy.json": SECRET_POLICY, "mod/main.tf": REAL_DEFECT})
    root = write_tree(
        tmp_path / "repo",
        {
            "main.tf": 'resource "aws_iam_policy" "dotdot" {\n  policy = file("../outside/policy.json")\n}\n'
            'resource "aws_iam_policy" "absolute" {\n'
            f'  policy = templatefile("{outside}/policy.json", {{}})\n}}\n'
            'resource "aws_iam_policy" "linked" {\n  policy = file("link.json")\n}\n'
            'module "up" {\n  source = "../outside/mod"\n}\n',
        },
    )
    os.symlink(outside / "policy.json", root / "link.json")
    os.symlink(outside / "mod", root / "linked_dir")
    report = check(root)
    assert not report.errors
    text = " ".join(f.message for f in report.findings)
    assert "OUTSIDESECRET" not in text
    assert not [f for f in report.findings if f.rule_id.startswith("IAM")], report.findings
    outside_reads = sorted((f.location.file, f.location.line) for f in report.findings if f.rule_id == "DDB004")
    assert outside_reads == [
        ("link.json", 0),
        ("linked_dir", 0),
        ("main.tf", 2),
        ("main.tf", 5),
        ("main.tf", 8),
        ("main.tf", 10),
    ]


# -- bounded work ----------------------------------------------------------------------------------------
def test_module_that_sources_itself_directly_or_through_another(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "self/main.tf": 'module "me" {\n  source = "./"\n}\n' + REAL_DEFECT,
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n' + REAL_DEFECT,
        },
    )
    report = check(tmp_path)
    assert not report.errors
    cycles = sorted((f.location.file, f.message) for f in report.findings if f.rule_id == "DDB003")
    assert [file for file, _ in cycles] == ["b/main.tf", "self/main.tf"]
    assert all("calls itself" in message for _, message in cycles)
    # The cycle note and the defect; b/main.tf is checked as module.b of the cycle's root a.
    assert ids_at(report, "self/main.tf") == {"DDB003", "IAM101", "IAM102"}
    assert ids_at(report, "b/main.tf") == {"DDB003", "IAM101", "IAM102"}


def _timed(root: Path) -> tuple[float, Report]:
    """The faster of two checks of `root`, and the report."""
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        report = check(root)
        best = min(best, time.perf_counter() - start)
    return best, report


def _normal_file(size: int) -> str:
    """Ordinary resources, to about `size` characters."""
    blocks = []
    index = 0
    while sum(map(len, blocks)) < size:
        blocks.append(REAL_DEFECT.replace('"wild"', f'"wild{index}"'))
        index += 1
    return "".join(blocks)


PATHOLOGICAL = {
    # nested parentheses within the depth limit, repeated to fill the file
    "nested_parens": lambda: "locals {\n" + "".join(f"  p{i} = {'(' * 150}1{')' * 150}\n" for i in range(150)) + "}\n",
    "long_string": lambda: 'locals {\n  s = "' + "a" * 45_000 + '"\n}\n',
    "many_attributes": lambda: "locals {\n" + "".join(f"  a{i} = {i}\n" for i in range(4_500)) + "}\n",
    "long_template": lambda: 'locals {\n  t = "' + "${local.x}" * 4_500 + '"\n  x = "y"\n}\n',
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_run_time_is_linear_in_input_size(tmp_path: Path, name: str) -> None:
    """A pathological input takes at most 20x a normal file of the same size (never an absolute bound)."""
    pathological = PATHOLOGICAL[name]()
    normal = write_tree(tmp_path / "normal", {"main.tf": _normal_file(len(pathological))})
    odd = write_tree(tmp_path / "odd", {"main.tf": pathological})
    (baseline, _), (measured, report) = _timed(normal), _timed(odd)
    assert not report.errors
    assert measured <= 20 * baseline + 0.05, (name, measured, baseline)


# -- no execution ------------------------------------------------------------------------------------------
def test_check_runs_with_an_empty_path(tmp_path: Path) -> None:
    """No Terraform, provider or other program is spawned: with PATH empty the output is the same."""
    write_tree(
        tmp_path,
        {
            "main.tf": REAL_DEFECT
            + 'data "external" "x" {\n  program = ["sh", "-c", "touch pwned"]\n}\n'
            + 'resource "null_resource" "y" {\n  provisioner "local-exec" {\n    command = "touch pwned"\n  }\n}\n',
            "handler/app.py": "import os\nos.system('touch pwned')\n\ndef handler(event, context):\n    return {}\n",
        },
    )
    with_path = cli(tmp_path, "check", "--no-cache", "--format", "json")
    empty = cli(tmp_path, "check", "--no-cache", "--format", "json", env={**os.environ, "PATH": ""})
    assert empty.returncode == with_path.returncode == 1, empty.stderr
    assert empty.stdout == with_path.stdout
    assert not (tmp_path / "pwned").exists()


# -- determinism -------------------------------------------------------------------------------------------
FILES = {
    "b/main.tf": REAL_DEFECT,
    "a/main.tf": REAL_DEFECT.replace('"wild"', '"other"') + 'module "m" {\n  source = "../m"\n}\n',
    "m/main.tf": REAL_DEFECT.replace('"wild"', '"inner"'),
    "a/z.tf": 'resource "aws_iam_policy" "z" {\n  policy = file("${path.module}/p.json")\n}\n',
    "a/p.json": '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}',
    "c/p.json": '{"Statement": [{"Effect": "Allow", "Action": "dynamodb:Get*", "Resource": "*"}]}',
    "d/bad.tf": "resource {",
}


ORDERS = [sorted(FILES), sorted(FILES, reverse=True), random.Random(7).sample(sorted(FILES), len(FILES))]


# JSON over every file order; text (the same findings, formatted) over one, which is enough to catch an unsorted
# formatter and keeps the fast tier fast.
@pytest.mark.parametrize(("format_name", "orders"), [("json", ORDERS), ("text", ORDERS[2:])])
def test_output_is_byte_identical_across_runs_orders_and_cache(tmp_path: Path, format_name: str, orders) -> None:
    outputs = set()
    for attempt, order in enumerate(orders):
        root = tmp_path / "repo"
        shutil.rmtree(root, ignore_errors=True)
        write_tree(root, {name: FILES[name] for name in order})
        cache = ["--cache-dir", str(tmp_path / "cache")]
        for args in (["--no-cache"], cache, cache, ["--no-cache", "--jobs", "2"]):
            result = cli(root, "check", "--format", format_name, *args)
            assert result.returncode == 2, (attempt, result.stderr)
            outputs.add((result.stdout, result.stderr))
    assert len(outputs) == 1

"""Every registered rule has its metadata, a complete doc, fixtures both ways, and matches the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ddblint.check import run_check
from ddblint.config import Config
from ddblint.rules import Rule, all_rules

HERE = Path(__file__).parent
REPO = HERE.parents[1]
# The rule catalogue (the contract) is shared/rules.md beside the checkout, or beside a folder above it
# (a git worktree); the first found is used.
CATALOGUE_CANDIDATES = tuple(folder / "shared" / "rules.md" for folder in REPO.parents)
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "When it stays silent", "Example", "Use instead")
LAST_SECTION = "References"
CATALOGUE_ROW = re.compile(r"^\|\s*([A-Z]{3}\d{3})\s*\|\s*([a-z0-9-]+)\s*\|", re.MULTILINE)
HCL_BLOCK = re.compile(r"```hcl\n(.*?)```", re.DOTALL)
# Other files an example needs (a handler source), fenced with their path: ```python src/app.py
FILE_BLOCK = re.compile(r"```\w+ ([\w./-]+)\n(.*?)```", re.DOTALL)

RULES = all_rules()


def rule_params():
    return [pytest.param(rule, id=rule.id) for rule in RULES]


def sections(doc: str) -> list[str]:
    return [line[3:].strip() for line in doc.splitlines() if line.startswith("## ")]


def section_text(doc: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", doc, re.DOTALL | re.MULTILINE)
    assert match, f"no section {title!r}"
    return match.group(1)


def hcl_of(doc: str, title: str) -> str:
    blocks = HCL_BLOCK.findall(section_text(doc, title))
    assert len(blocks) == 1, f"section {title!r} needs exactly one ```hcl block"
    return blocks[0]


def findings(rule: Rule, directory: Path) -> list:
    result = run_check([directory], root=directory, config=Config(select=(rule.id,)))
    assert not result.report.errors, result.report.errors
    return [f for f in result.report.findings if f.rule_id == rule.id]


def test_rules_are_registered() -> None:
    assert [r.id for r in RULES if r.family == "IAM"] == [f"IAM10{i}" for i in range(1, 9)]


@pytest.mark.parametrize("rule", rule_params())
def test_metadata(rule: Rule) -> None:
    assert re.fullmatch(r"[A-Z]{3}\d{3}", rule.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.source_urls and all(u.startswith("https://") for u in rule.source_urls)


@pytest.mark.parametrize("rule", rule_params())
def test_doc_sections(rule: Rule) -> None:
    doc = rule.doc
    assert doc.splitlines()[0] == f"# {rule.id} {rule.name} ({rule.severity.value})"
    found = sections(doc)
    expected = list(REQUIRED_SECTIONS) + (["Options"] if rule.options else []) + [LAST_SECTION]
    assert found == expected
    references = section_text(doc, LAST_SECTION)
    for url in rule.source_urls:
        assert f"]({url})" in references, f"{url} is not in References"


@pytest.mark.parametrize("rule", rule_params())
def test_fixture_dirs_both_ways(rule: Rule) -> None:
    for kind in ("fires", "silent"):
        cases = [p for p in (HERE / rule.id / kind).glob("*") if p.is_dir()]
        assert cases, f"tests/rules/{rule.id}/{kind}/ has no case"


@pytest.mark.parametrize("rule", rule_params())
def test_doc_example_fires_and_use_instead_does_not(rule: Rule, tmp_path: Path) -> None:
    for title, fires in (("Example", True), ("Use instead", False)):
        case = tmp_path / title.replace(" ", "_").lower()
        case.mkdir()
        (case / "main.tf").write_text(hcl_of(rule.doc, title), encoding="utf-8")
        for path, text in FILE_BLOCK.findall(section_text(rule.doc, title)):
            assert ".." not in path, path
            (case / path).parent.mkdir(parents=True, exist_ok=True)
            (case / path).write_text(text, encoding="utf-8")
        found = findings(rule, case)
        if fires:
            assert found, f"the doc's Example does not make {rule.id} fire"
        else:
            assert not found, [f.message for f in found]


def test_ids_and_names_match_the_catalogue() -> None:
    catalogue = next((path for path in CATALOGUE_CANDIDATES if path.is_file()), None)
    assert catalogue is not None, f"no rule catalogue: looked for {', '.join(map(str, CATALOGUE_CANDIDATES))}"
    rows = dict(CATALOGUE_ROW.findall(catalogue.read_text(encoding="utf-8")))
    assert rows, "no rule rows found in the catalogue"
    for rule in RULES:
        if rule.family == "DDB":
            continue  # ddblint's own input rules: not in the catalogue (see test_ddb_rules_are_in_the_readme)
        assert rule.id in rows, f"{rule.id} is not in the catalogue"
        assert rows[rule.id] == rule.name, f"{rule.id}: catalogue name {rows[rule.id]!r}, rule name {rule.name!r}"


def test_ddb_rules_are_registered_and_in_the_readme() -> None:
    """The rules about ddblint's own input are real rules, listed in the README's rule table."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ddb = [rule for rule in RULES if rule.family == "DDB"]
    assert [rule.id for rule in ddb] == ["DDB001", "DDB002", "DDB003", "DDB004"]
    for rule in ddb:
        assert not rule.checks_model
        assert f"| {rule.id} | `{rule.name}` | {rule.severity.value} | {rule.summary} |" in readme

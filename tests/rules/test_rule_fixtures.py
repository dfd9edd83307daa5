"""Fixture tests for every rule, both ways (see tests/rules/README.md for the layout and conventions).

`tests/rules/<ID>/fires/<case>/` must produce exactly the findings of rule <ID> that the case marks;
`tests/rules/<ID>/silent/<case>/` must produce no finding of rule <ID>.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from ddblint.check import run_check
from ddblint.config import CONFIG_FILE_NAME, Config, load_config
from ddblint.findings import Finding
from ddblint.rules import all_rules

HERE = Path(__file__).parent
EXPECT_COMMENT = re.compile(r"#\s*expect:\s*(?P<spec>.+?)\s*$")
EXPECT_LINE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+)\s+(?P<spec>.+?)\s*$")
RULE_ID = re.compile(r"^[A-Z]{3}\d{3}$")

SUPPRESSION_RULES = ("DDB001", "DDB002")
# Cases whose expectations document a known rule bug (strict: the test fails once the bug is fixed).
XFAIL: dict[str, str] = {}


@dataclass(frozen=True)
class Expected:
    rule: str
    file: str
    line: int
    address: str | None = None
    severity: str | None = None


def _parse_spec(spec: str, file: str, line: int) -> list[Expected]:
    """`IAM101 [address=...] [severity=...]`, several separated by `;`."""
    expected = []
    for part in spec.split(";"):
        words = part.split()
        if not words:
            continue
        rule, extras = words[0], dict(w.split("=", 1) for w in words[1:])
        assert RULE_ID.match(rule), f"{file}:{line}: bad rule ID in expectation {part!r}"
        unknown = set(extras) - {"address", "severity"}
        assert not unknown, f"{file}:{line}: unknown expectation keys {sorted(unknown)}"
        expected.append(Expected(rule, file, line, extras.get("address"), extras.get("severity")))
    return expected


def expectations(case: Path) -> list[Expected]:
    """`# expect:` comments in the case's .tf files, plus `expect.txt` lines (`file:line RULE ...`)."""
    found: list[Expected] = []
    for path in sorted(case.rglob("*.tf")):
        rel = path.relative_to(case).as_posix()
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT_COMMENT.search(text)
            if match:
                found += _parse_spec(match["spec"], rel, number)
    expect_file = case / "expect.txt"
    if expect_file.exists():
        for text in expect_file.read_text(encoding="utf-8").splitlines():
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            match = EXPECT_LINE.match(text.strip())
            assert match, f"{expect_file}: cannot read {text!r} (want `file:line RULE [key=value ...]`)"
            found += _parse_spec(match["spec"], match["file"], int(match["line"]))
    return found


def discover() -> list[tuple[str, str, Path]]:
    cases = []
    for rule_dir in sorted(p for p in HERE.iterdir() if p.is_dir() and RULE_ID.match(p.name)):
        for kind in ("fires", "silent"):
            for case in sorted(p for p in (rule_dir / kind).glob("*") if p.is_dir()):
                cases.append((rule_dir.name, kind, case))
    return cases


def findings_of(rule_id: str, case: Path) -> list[Finding]:
    # A case may carry its own .ddblint.toml (rule options); only the rule under test runs either way,
    # except for the DDB rules about suppression comments, which are about the other rules' findings.
    config = load_config(case, rules=all_rules()) if (case / CONFIG_FILE_NAME).is_file() else Config()
    if rule_id not in SUPPRESSION_RULES:
        config = dataclasses.replace(config, select=(rule_id,))
    result = run_check([case], root=case, config=config)
    assert not result.report.errors, f"input errors in {case}: {result.report.errors}"
    # One finding per instance: the report's entries group the instances of a module line (instance_groups.py).
    return [i for f in result.report.findings if f.rule_id == rule_id for i in f.each_instance()]


def _params():
    for rule_id, kind, case in discover():
        case_id = f"{rule_id}/{kind}/{case.name}"
        marks = []
        if case_id in XFAIL:
            marks.append(pytest.mark.xfail(reason=XFAIL[case_id], strict=True))
        yield pytest.param(rule_id, kind, case, id=case_id, marks=marks)


@pytest.mark.parametrize(("rule_id", "kind", "case"), list(_params()))
def test_case(rule_id: str, kind: str, case: Path) -> None:
    expected = expectations(case)
    assert all(e.rule == rule_id for e in expected), f"{case}: expectations name another rule"
    found = findings_of(rule_id, case)
    if kind == "silent":
        assert not expected, f"{case}: silent cases carry no expectations"
        assert found == [], "\n".join(f"{f.location}: {f.rule_id} {f.address}: {f.message}" for f in found)
        return
    assert expected, f"{case}: a fires case needs at least one `# expect:` mark or expect.txt line"
    got = Counter((f.rule_id, f.location.file, f.location.line) for f in found)
    want = Counter((e.rule, e.file, e.line) for e in expected)
    assert got == want, "\n".join(f"{f.location}: {f.rule_id} {f.address}: {f.message}" for f in found)
    for e in expected:
        at_line = [f for f in found if (f.location.file, f.location.line) == (e.file, e.line)]
        if e.address is not None:
            assert e.address in {f.address for f in at_line}, f"{e}: addresses {[f.address for f in at_line]}"
        if e.severity is not None:
            assert e.severity in {f.severity.value for f in at_line}, (
                f"{e}: severities {[f.severity.value for f in at_line]}"
            )


def test_every_case_is_discovered() -> None:
    """Each registered rule has cases both ways, and no case directory belongs to an unknown rule."""
    found = {(rule_id, kind) for rule_id, kind, _ in discover()}
    assert found == {(rule.id, kind) for rule in all_rules() for kind in ("fires", "silent")}

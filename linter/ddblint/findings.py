"""What a check produces: locations, severities, findings and input errors.

These are plain frozen values. Rules create findings, the suppression/config/baseline step filters them,
and reporters format them; nobody mutates one after it is made.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A place in a scanned file: a path relative to the scan boundary (POSIX separators), 1-based line and
    column; `end_line`/`end_column` (the position just after the last character) where known, else 0."""

    file: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe: error 3, warning 2, info 1."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None


@dataclass(frozen=True)
class Finding:
    """One problem a rule found on one resource."""

    rule_id: str
    rule_name: str
    severity: Severity
    address: str
    location: Location
    message: str
    fix: str = ""
    # Extra locations a reporter may show (e.g. the policy that lacks a grant); not part of identity.
    related: tuple[Location, ...] = field(default=(), compare=False)
    # The root module directory it was found in (relative to the scan boundary, POSIX; "." for the boundary
    # itself), so a shared module checked from two roots gives two findings; "" when no root module is
    # involved (a standalone policy JSON file, a suppression comment).
    root: str = ""
    # One entry for one source location in several instances (a module called several times, a resource
    # with count/for_each): every instance's address, sorted, `address` being the first; empty for a
    # finding of one instance. Made by `instance_groups.group_instances`; the message and fix then name the
    # resources as the module's code does (`aws_iam_role.this`, without the instance's module path).
    instances: tuple[str, ...] = ()
    # What the message and fix say for this source location in every instance, when `message`/`fix` hold
    # something of this instance alone (the module block to edit, a log group name from the instance's inputs);
    # "" when they say it already. `instance_groups` merges the instances of a line on these texts.
    shared_message: str = field(default="", compare=False)
    shared_fix: str = field(default="", compare=False)
    # For an entry of several instances whose own texts differ: (address, message, fix) of each instance.
    instance_texts: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.rule_id, self.address, self.message, self.root)

    def fingerprint(self) -> str:
        """Identity for baselines, SARIF and GitLab: rule, root, file and address. Without the line, so editing
        above a finding keeps it baselined, and without the message, so rewording it in an upgrade reopens
        nothing. An entry for several instances has the identity of its first one."""
        return f"{self.rule_id}|{self.root}|{self.location.file}|{self.address}"

    def instance_addresses(self) -> tuple[str, ...]:
        """The address of every instance this finding stands for (its own address when it is one)."""
        return self.instances or (self.address,)

    def each_instance(self) -> list[Finding]:
        """This finding once per instance (itself when it stands for one)."""
        if not self.instances:
            return [self]
        own = {address: (message, fix) for address, message, fix in self.instance_texts}
        return [
            dataclasses.replace(
                self,
                address=address,
                instances=(),
                instance_texts=(),
                message=own.get(address, (self.message, self.fix))[0],
                fix=own.get(address, (self.message, self.fix))[1],
            )
            for address in self.instances
        ]

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "rule_name": self.rule_name,
            "severity": self.severity.value,
            "address": self.address,
            "instances": list(self.instance_addresses()),
            "root": self.root or None,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column or None,
            "end_line": self.location.end_line or None,
            "end_column": self.location.end_column or None,
            "message": self.message,
            "fix": self.fix,
        } | self._instance_findings()

    def _instance_findings(self) -> dict:
        """For an entry whose instances say different things: each instance's own message and fix."""
        if not self.instance_texts:
            return {}
        return {
            "instance_findings": [
                {"address": address, "message": message, "fix": fix} for address, message, fix in self.instance_texts
            ]
        }


def distinct_fingerprints(findings: Iterable[Finding]) -> list[str]:
    """`Finding.fingerprint()` of each finding, made unique within one report: the second and later findings
    with one identity (one rule on two statements of one policy) get `|2`, `|3`, ... in their order, as
    GitHub and GitLab take equal fingerprints for one alert."""
    seen: Counter[str] = Counter()
    fingerprints = []
    for finding in findings:
        fingerprint = finding.fingerprint()
        seen[fingerprint] += 1
        fingerprints.append(fingerprint if seen[fingerprint] == 1 else f"{fingerprint}|{seen[fingerprint]}")
    return fingerprints


@dataclass(frozen=True, order=True)
class InputError:
    """A file that could not be read or parsed. The run goes on with the other files and exits 2."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(frozen=True, order=True)
class PlanChange:
    """A risky change a Terraform plan brings (`ddblint plan --changed-only`): e.g. a mapping's retries loosened."""

    address: str
    message: str
    location: Location = Location("")

    def to_dict(self) -> dict:
        return {
            "address": self.address,
            "file": self.location.file,
            "line": self.location.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class FunctionPermissionReview:
    """`ddblint plan --changed-only`: for one changed function, the permissions its code needs that its role
    lacks (IAM107) and the grants its code no longer uses (IAM108), as their findings word them."""

    address: str
    location: Location
    missing: tuple[str, ...] = ()
    unused: tuple[str, ...] = ()


@dataclass
class Report:
    """The result of one run, after suppressions, config and baseline: what reporters format."""

    findings: list[Finding]
    errors: list[InputError]
    version: str
    # Resources checked and files read, for summaries.
    files_scanned: int = 0
    suppressed: int = 0
    baselined: int = 0
    # `ddblint plan` only: risky changes the plan brings, and notes about the run (e.g. no source directory).
    plan_changes: list[PlanChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # `ddblint plan --changed-only`: what each changed function's code needs from its role and no longer uses.
    permission_reviews: list[FunctionPermissionReview] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

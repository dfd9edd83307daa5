#!/usr/bin/env python3
"""Generate the Requirements/Inputs/Outputs tables of module and example READMEs.

terraform-docs cannot be installed here, so this script does its job for our modules: it reads
``versions.tf``, ``variables.tf`` and ``outputs.tf`` with python-hcl2 and rewrites the part of
``README.md`` between ``<!-- BEGIN_TF_DOCS -->`` and ``<!-- END_TF_DOCS -->``. The hand-written
text above the markers is left alone. Types are copied from the source text (python-hcl2 turns them
into ``${...}`` strings), so the tables show them as written.

    python linter/scripts/module_docs.py            # rewrite every README that has the markers
    python linter/scripts/module_docs.py --check    # exit 1 and print a diff when a README drifted
    python linter/scripts/module_docs.py modules/table examples/complete

Without paths it covers ``modules/*`` and ``examples/*`` whose README.md has the markers.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
REPO_ROOT = Path(__file__).resolve().parents[2]


class DocsError(Exception):
    """A configuration or README the script cannot handle; the message says which and why."""


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    type: str
    default: Any
    required: bool


@dataclass(frozen=True)
class Output:
    name: str
    description: str


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8") as handle:
            return hcl2.load(handle)
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        raise DocsError(f"{path}: cannot parse: {exc}") from exc


def _blocks(parsed: dict[str, Any], kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(name, body) for block in parsed.get(kind, []) for name, body in block.items()]


def _strip_comment(line: str) -> str:
    """Drop a trailing # or // comment that is outside a string."""
    in_string = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and in_string:
            i += 2
            continue
        if char == '"':
            in_string = not in_string
        elif not in_string and (char == "#" or line.startswith("//", i)):
            return line[:i].rstrip()
        i += 1
    return line.rstrip()


def _expression_after(text: str, start: int) -> str:
    """The expression from start to the end of its line, continued while brackets are open."""
    depth = 0
    in_string = False
    i = start
    while i < len(text):
        char = text[i]
        if in_string:
            if char == "\\":
                i += 2
                continue
            if char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "\n" and depth <= 0:
            break
        i += 1
    return text[start:i]


def _one_line(expression: str) -> str:
    """Join a multi-line type expression into one line, separating object attributes with commas."""
    lines = [_strip_comment(line).strip() for line in expression.splitlines()]
    lines = [line for line in lines if line]
    out = ""
    for line in lines:
        if out and not out.endswith(("(", "{", "[", ",")) and not line.startswith((")", "}", "]")):
            out += ", "
        elif out and (out.endswith(("{", ",")) or line.startswith("}")):
            out += " "
        out += line
    return re.sub(r"\s+", " ", out)


def raw_types(variables_tf: Path) -> dict[str, str]:
    """Map variable name -> its `type` expression as written in variables.tf."""
    text = variables_tf.read_text(encoding="utf-8") if variables_tf.is_file() else ""
    types: dict[str, str] = {}
    for match in re.finditer(r'^variable\s+"([^"]+)"\s*\{', text, flags=re.MULTILINE):
        name = match.group(1)
        body_start = match.end()
        next_block = re.search(r"^\S", text[body_start:], flags=re.MULTILINE)
        body_end = body_start + next_block.start() if next_block else len(text)
        body = text[body_start:body_end]
        type_match = re.search(r"^\s{2}type\s*=\s*", body, flags=re.MULTILINE)
        if type_match:
            types[name] = _one_line(_expression_after(body, type_match.end()))
    return types


def read_variables(directory: Path) -> list[Variable]:
    path = directory / "variables.tf"
    types = raw_types(path)
    variables = []
    for name, body in _blocks(_load(path), "variable"):
        variables.append(
            Variable(
                name=name,
                description=str(body.get("description") or ""),
                type=types.get(name, "any"),
                default=body.get("default"),
                required="default" not in body,
            )
        )
    return sorted(variables, key=lambda v: (not v.required, v.name))


def read_outputs(directory: Path) -> list[Output]:
    outputs = [
        Output(name=name, description=str(body.get("description") or ""))
        for name, body in _blocks(_load(directory / "outputs.tf"), "output")
    ]
    return sorted(outputs, key=lambda o: o.name)


def read_requirements(directory: Path) -> list[tuple[str, str]]:
    requirements = []
    for block in _load(directory / "versions.tf").get("terraform", []):
        if "required_version" in block:
            requirements.append(("terraform", block["required_version"]))
        for providers in block.get("required_providers", []):
            for name, spec in sorted(providers.items()):
                version = spec.get("version", "n/a") if isinstance(spec, dict) else str(spec)
                requirements.append((name, version))
    return requirements


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>").strip()


def _code(text: str) -> str:
    text = text.replace("|", "\\|")
    return f"`{text}`" if "`" not in text else f"``{text}``"


def _default(value: Any) -> str:
    return _code(json.dumps(value, separators=(", ", ": ")))


def render(directory: Path) -> str:
    """The generated section, markers included."""
    lines = [BEGIN, "## Requirements", "", "| Name | Version |", "|------|---------|"]
    lines += [f"| {name} | {_code(version)} |" for name, version in read_requirements(directory)]

    lines += ["", "## Inputs", ""]
    variables = read_variables(directory)
    if variables:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for v in variables:
            default = "n/a" if v.required else _default(v.default)
            lines.append(
                f'| <a name="input_{v.name}"></a> [{v.name}](#input_{v.name}) | {_cell(v.description)} '
                f"| {_code(v.type)} | {default} | {'yes' if v.required else 'no'} |"
            )
    else:
        lines.append("No inputs.")

    lines += ["", "## Outputs", ""]
    outputs = read_outputs(directory)
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        for o in outputs:
            lines.append(f'| <a name="output_{o.name}"></a> [{o.name}](#output_{o.name}) | {_cell(o.description)} |')
    else:
        lines.append("No outputs.")
    lines.append(END)
    return "\n".join(lines)


def updated_readme(directory: Path) -> tuple[str, str]:
    """(current, expected) text of directory/README.md."""
    readme = directory / "README.md"
    if not readme.is_file():
        raise DocsError(f"{readme}: missing (write the hand-written part, then add {BEGIN} and {END})")
    current = readme.read_text(encoding="utf-8")
    begin, end = current.find(BEGIN), current.find(END)
    if begin < 0 or end < begin:
        raise DocsError(f"{readme}: no {BEGIN} ... {END} section")
    expected = current[:begin] + render(directory) + current[end + len(END) :]
    return current, expected


def discover(root: Path = REPO_ROOT) -> list[Path]:
    found = []
    for parent in ("modules", "examples"):
        for directory in sorted((root / parent).glob("*/")):
            readme = directory / "README.md"
            if (directory / "variables.tf").is_file() and readme.is_file() and BEGIN in readme.read_text():
                found.append(directory)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="module or example directories (default: all)")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 when a README is stale")
    args = parser.parse_args(argv)

    directories = [p.resolve() for p in args.paths] or discover()
    stale = 0
    for directory in directories:
        try:
            current, expected = updated_readme(directory)
        except DocsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if current == expected:
            continue
        readme = directory / "README.md"
        try:
            shown = readme.relative_to(REPO_ROOT)
        except ValueError:
            shown = readme
        if args.check:
            stale += 1
            print(f"{shown}: generated section is out of date; run linter/scripts/module_docs.py", file=sys.stderr)
            sys.stderr.writelines(
                difflib.unified_diff(
                    current.splitlines(keepends=True), expected.splitlines(keepends=True), str(shown), "expected"
                )
            )
        else:
            readme.write_text(expected, encoding="utf-8")
            print(f"updated {shown}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

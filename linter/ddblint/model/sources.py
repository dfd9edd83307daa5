"""The parsed files of one module directory, as the loaders hand them to the model.

`ddblint.loaders.terraform` finds and parses the files; a `ModuleInstance` of the model evaluates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ddblint.model.expressions import Attribute, Block, Body


@dataclass
class SourceFile:
    rel: str  # path relative to the scan root, POSIX separators
    text: str
    body: Body


@dataclass
class ModuleSource:
    """The parsed `.tf` files of one module directory."""

    directory: Path
    rel_dir: str
    files: list[SourceFile]
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    blocks_by_address: dict[str, Block] = field(default_factory=dict)  # resources, data sources, module calls

    def index(self) -> None:
        for source_file in self.files:
            for block in source_file.body.blocks:
                labels = block.labels
                if block.type == "variable" and labels:
                    self.variables[labels[0]] = block
                elif block.type == "locals":
                    self.locals.update(block.body.attributes)
                elif block.type == "output" and labels:
                    self.outputs[labels[0]] = block
                elif block.type == "resource" and len(labels) == 2:
                    self.blocks_by_address[f"{labels[0]}.{labels[1]}"] = block
                elif block.type == "data" and len(labels) == 2:
                    self.blocks_by_address[f"data.{labels[0]}.{labels[1]}"] = block
                elif block.type == "module" and labels:
                    self.blocks_by_address[f"module.{labels[0]}"] = block

    @property
    def module_calls(self) -> list[Block]:
        return [b for b in self.blocks_by_address.values() if b.type == "module"]

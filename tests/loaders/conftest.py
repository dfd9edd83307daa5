"""Build small Terraform directories and load them in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from ddblint.loaders.terraform import LoadResult, TerraformLoader
from ddblint.model import Model


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def load(root: Path) -> LoadResult:
    return TerraformLoader(root).load([root])


def load_model(root: Path, module_dir: str = ".") -> Model:
    result = load(root)
    assert result.errors == []
    (model,) = [m for m in result.models if m.module_dir == module_dir]
    return model


@pytest.fixture
def tree(tmp_path: Path):
    """tree({"main.tf": ...}) -> the loaded Model of tmp_path."""

    def build(files: dict[str, str]) -> Model:
        return load_model(write_tree(tmp_path, files))

    return build

"""ddblint.loaders.handler: finding and parsing a function's Python handler file (never importing it)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from ddblint.loaders.handler import HandlerSource, handler_source

from .conftest import load_model, write_tree

HANDLER = "def handler(event, context):\n    return event\n"


def function_tf(**attributes: str) -> str:
    body = "\n".join(f"  {name} = {value}" for name, value in attributes.items())
    return (
        f'resource "aws_lambda_function" "f" {{\n  function_name = "f"\n  role = "arn:aws:iam::1:role/r"\n{body}\n}}\n'
    )


def source_of(root: Path, files: dict[str, str]) -> HandlerSource | None:
    model = load_model(write_tree(root, files))
    return handler_source(model, model.resource("aws_lambda_function.f"))


def test_archive_file_source_dir(tmp_path: Path) -> None:
    archive = (
        'data "archive_file" "code" {\n  type = "zip"\n  source_dir = "${path.module}/lambda"\n'
        '  output_path = "${path.module}/build/code.zip"\n}\n'
    )
    found = source_of(
        tmp_path,
        {
            "main.tf": archive
            + function_tf(
                handler='"orders.api.handler"', runtime='"python3.12"', filename="data.archive_file.code.output_path"
            ),
            "lambda/orders/api.py": HANDLER,
        },
    )
    assert found is not None
    assert found.path == "lambda/orders/api.py"
    assert found.handler_name == "handler"
    assert isinstance(found.tree, ast.Module) and found.text == HANDLER


def test_archive_file_source_file_by_source_code_hash(tmp_path: Path) -> None:
    archive = (
        'data "archive_file" "code" {\n  type = "zip"\n  source_file = "src/app.py"\n  output_path = "app.zip"\n}\n'
    )
    found = source_of(
        tmp_path,
        {
            "main.tf": archive
            + function_tf(
                handler='"app.handler"',
                filename='"app.zip"',
                source_code_hash="data.archive_file.code.output_base64sha256",
            ),
            "src/app.py": HANDLER,
        },
    )
    assert found is not None and found.path == "src/app.py"


@pytest.mark.parametrize(
    "layout", ["build/orders/app.py", "build/orders/src/app.py", "build/src/app.py", "build/app.py"]
)
def test_zip_neighbours(tmp_path: Path, layout: str) -> None:
    found = source_of(
        tmp_path,
        {
            "main.tf": function_tf(handler='"app.handler"', runtime='"python3.11"', filename='"build/orders.zip"'),
            layout: HANDLER,
        },
    )
    assert found is not None and found.path == layout


def test_slash_handler_and_unknown_runtime(tmp_path: Path) -> None:
    found = source_of(
        tmp_path,
        {
            "main.tf": function_tf(handler='"pkg/app.main"', runtime="var.runtime", filename='"code.zip"'),
            "variables.tf": 'variable "runtime" {\n  type = string\n}\n',
            "code/pkg/app.py": HANDLER,
        },
    )
    assert found is not None and found.path == "code/pkg/app.py" and found.handler_name == "main"


@pytest.mark.parametrize(
    "attributes",
    [
        {"handler": '"app.handler"', "runtime": '"nodejs20.x"', "filename": '"build/orders.zip"'},
        {"image_uri": '"123.dkr.ecr.us-east-1.amazonaws.com/x:1"', "package_type": '"Image"'},
        {"handler": '"app.handler"', "filename": '"build/orders.zip"', "package_type": '"Image"'},
        {"handler": "var.handler", "filename": '"build/orders.zip"'},
        {"handler": '"handler"', "filename": '"build/orders.zip"'},
        {"handler": '"../app.handler"', "filename": '"build/orders.zip"'},
        {"handler": '"missing.handler"', "filename": '"build/orders.zip"'},
        {"handler": '"app.handler"', "s3_bucket": '"b"', "s3_key": '"k"'},
    ],
)
def test_no_source(tmp_path: Path, attributes: dict[str, str]) -> None:
    files = {
        "main.tf": function_tf(**attributes),
        "build/orders/app.py": HANDLER,
        "variables.tf": 'variable "handler" {\n  type = string\n}\n',
    }
    assert source_of(tmp_path, files) is None


def test_syntax_error_and_non_utf8(tmp_path: Path) -> None:
    tf = function_tf(handler='"app.handler"', filename='"build/orders.zip"')
    assert source_of(tmp_path / "a", {"main.tf": tf, "build/orders/app.py": "def handler(:\n"}) is None
    root = write_tree(tmp_path / "b", {"main.tf": tf})
    (root / "build/orders").mkdir(parents=True)
    (root / "build/orders/app.py").write_bytes(b"x = '\xff\xfe'\n")
    model = load_model(root)
    assert handler_source(model, model.resource("aws_lambda_function.f")) is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_out_of_the_scan_root_is_not_read(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"app.py": HANDLER})
    root = write_tree(
        tmp_path / "scan", {"main.tf": function_tf(handler='"app.handler"', filename='"build/orders.zip"')}
    )
    (root / "build/orders").mkdir(parents=True)
    (root / "build/orders/app.py").symlink_to(outside / "app.py")
    model = load_model(root)
    assert handler_source(model, model.resource("aws_lambda_function.f")) is None


def test_path_outside_the_scan_root_is_not_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"shared/app.py": HANDLER})
    root = write_tree(tmp_path / "scan", {"main.tf": function_tf(handler='"app.handler"', filename='"../shared.zip"')})
    model = load_model(root)
    assert handler_source(model, model.resource("aws_lambda_function.f")) is None


def test_cached_per_model_and_function(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "main.tf": function_tf(handler='"app.handler"', filename='"build/orders.zip"'),
            "build/orders/app.py": HANDLER,
        },
    )
    model = load_model(root)
    function = model.resource("aws_lambda_function.f")
    first = handler_source(model, function)
    (root / "build/orders/app.py").write_text("changed = True\n", encoding="utf-8")
    assert handler_source(model, function) is first


def test_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x')\ndef handler(e, c):\n    pass\n"
    found = source_of(
        tmp_path,
        {"main.tf": function_tf(handler='"app.handler"', filename='"build/orders.zip"'), "build/orders/app.py": code},
    )
    assert found is not None and not marker.exists()


@pytest.mark.parametrize(
    ("zip_path", "source"),
    [
        ('"${path.module}/build/consumer.zip"', "src/handler.py"),  # build/ made from ../src
        ('"${path.module}/dist/consumer.zip"', "handler.py"),  # next to the module's .tf files
        ('"/tmp/elsewhere/consumer.zip"', "src/handler.py"),  # a zip built outside: the module's src/
    ],
)
def test_zip_in_a_build_folder_made_from_src(tmp_path: Path, zip_path: str, source: str) -> None:
    found = source_of(
        tmp_path,
        {
            "main.tf": function_tf(handler='"handler.handle"', runtime='"python3.12"', filename=zip_path),
            source: HANDLER,
        },
    )
    assert found is not None and found.path == source

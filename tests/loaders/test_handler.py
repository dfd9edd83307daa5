"""ddblint.loaders.handler: finding a function's handler package (Python, JavaScript, TypeScript) and parsing its
Python handler file (never importing it)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from ddblint.loaders.handler import MAX_SOURCE_BYTES, HandlerSource, handler_package, handler_probes, handler_source
from ddblint.model.code_calls import HandlerPackage

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


# -- handler packages: Python and JavaScript/TypeScript ---------------------------------------------------------
SCRIPT = "export const handler = async (event) => event;\n"


def package_of(root: Path, files: dict[str, str], address: str = "aws_lambda_function.f") -> HandlerPackage | None:
    model = load_model(write_tree(root, files))
    return handler_package(model, model.resource(address))


def archive_tf(source: str) -> str:
    return (
        f'data "archive_file" "code" {{\n  type = "zip"\n  {source}\n'
        '  output_path = "${path.module}/build/code.zip"\n}\n'
    )


@pytest.mark.parametrize(
    ("runtime", "handler", "layout", "language", "package_root"),
    [
        ('"python3.12"', '"orders.api.handler"', "lambda/orders/api.py", "python", "lambda"),
        ('"nodejs20.x"', '"index.handler"', "lambda/index.js", "javascript", "lambda"),
        ('"nodejs20.x"', '"index.handler"', "lambda/index.mjs", "javascript", "lambda"),
        ('"nodejs20.x"', '"index.handler"', "lambda/index.cjs", "javascript", "lambda"),
        ('"nodejs20.x"', '"index.handler"', "lambda/index.ts", "typescript", "lambda"),
        ('"nodejs22.x"', '"src/handlers/orders.handler"', "lambda/src/handlers/orders.js", "javascript", "lambda"),
        (None, '"index.handler"', "lambda/index.mjs", "javascript", "lambda"),  # runtime not set: the file says
    ],
)
def test_package_from_archive_source_dir(
    tmp_path: Path, runtime: str | None, handler: str, layout: str, language: str, package_root: str
) -> None:
    attributes = {"handler": handler, "filename": "data.archive_file.code.output_path"}
    if runtime is not None:
        attributes["runtime"] = runtime
    found = package_of(
        tmp_path,
        {"main.tf": archive_tf('source_dir = "${path.module}/lambda"') + function_tf(**attributes), layout: SCRIPT},
    )
    assert found is not None
    assert (found.language, found.handler_file, found.package_root) == (language, layout, package_root)
    assert found.handler_name == "handler"
    assert found.reader.read(layout) == SCRIPT


def test_script_module_prefers_javascript_then_typescript_source(tmp_path: Path) -> None:
    files = {
        "main.tf": archive_tf('source_dir = "lambda"') + function_tf(handler='"index.handler"', runtime='"nodejs20.x"'),
        "lambda/index.ts": SCRIPT,
        "lambda/index.cjs": SCRIPT,
    }
    found = package_of(tmp_path, files)
    assert found is not None and found.handler_file == "lambda/index.cjs"


@pytest.mark.parametrize(
    "archive",
    ['source_dir = "${path.module}/app/dist"', 'source_file = "${path.module}/app/dist/index.js"'],
)
def test_typescript_source_of_a_compiled_dist_folder(tmp_path: Path, archive: str) -> None:
    found = package_of(
        tmp_path,
        {
            "main.tf": archive_tf(archive)
            + function_tf(
                handler='"index.handler"', runtime='"nodejs20.x"', filename="data.archive_file.code.output_path"
            ),
            "app/src/index.ts": "export const handler = async () => 1;\n",
        },
    )
    assert found is not None
    assert (found.language, found.handler_file, found.package_root) == ("typescript", "app/src/index.ts", "app/src")


def test_archive_source_file_names_the_module(tmp_path: Path) -> None:
    found = package_of(
        tmp_path,
        {
            "main.tf": archive_tf('source_file = "code/main.mjs"')
            + function_tf(
                handler='"main.handler"', runtime='"nodejs20.x"', filename="data.archive_file.code.output_path"
            ),
            "code/main.mjs": SCRIPT,
        },
    )
    assert found is not None and (found.handler_file, found.package_root) == ("code/main.mjs", "code")


@pytest.mark.parametrize(
    ("attributes", "layout", "package_root"),
    [
        ({"filename": '"build/orders.zip"'}, "build/orders/index.js", "build/orders"),
        ({"filename": '"build/orders.zip"'}, "orders/index.js", "orders"),  # build/<name>.zip next to <name>/
        ({"filename": '"dist/orders.zip"'}, "src/index.ts", "src"),
        ({"filename": '"orders.zip"'}, "src/index.js", "src"),
        ({"filename": '"orders.zip"'}, "functions/orders/index.js", "functions/orders"),
        ({"s3_bucket": '"artifacts"', "s3_key": '"lambda/orders.zip"'}, "orders/index.js", "orders"),
        ({"s3_bucket": '"artifacts"', "s3_key": '"v1/orders.zip"'}, "lambda/orders/index.mjs", "lambda/orders"),
        ({"s3_bucket": '"artifacts"', "s3_key": '"v1/orders.zip"'}, "functions/orders/index.ts", "functions/orders"),
        ({"filename": '"app.zip"'}, "lambda/index.js", "lambda"),
        (
            {"filename": '"app.zip"', "function_name": '"orders-api"'},
            "functions/orders-api/index.js",
            "functions/orders-api",
        ),
        ({"filename": '"app.zip"'}, "functions/f/index.js", "functions/f"),  # the resource name
    ],
)
def test_script_package_layouts(tmp_path: Path, attributes: dict[str, str], layout: str, package_root: str) -> None:
    tf = function_tf(handler='"index.handler"', runtime='"nodejs20.x"', **attributes).replace(
        '  function_name = "f"\n', "" if "function_name" in attributes else '  function_name = "f"\n'
    )
    found = package_of(tmp_path, {"main.tf": tf, layout: SCRIPT})
    assert found is not None
    assert (found.handler_file, found.package_root) == (layout, package_root)


@pytest.mark.parametrize(
    ("attributes", "layout", "package_root"),
    [
        ({"filename": '"build/orders.zip"'}, "orders/app.py", "orders"),
        ({"s3_bucket": '"artifacts"', "s3_key": '"orders.zip"'}, "src/orders/app.py", "src/orders"),
        ({"filename": '"app.zip"'}, "lambda/app.py", "lambda"),
        ({"filename": '"app.zip"'}, "functions/f/app.py", "functions/f"),
        ({"filename": '"build/orders.zip"'}, "build/orders/src/app.py", "build/orders/src"),
    ],
)
def test_python_package_layouts(tmp_path: Path, attributes: dict[str, str], layout: str, package_root: str) -> None:
    files = {"main.tf": function_tf(handler='"app.handler"', runtime='"python3.12"', **attributes), layout: HANDLER}
    found = package_of(tmp_path, files)
    assert found is not None
    assert (found.language, found.handler_file, found.package_root) == ("python", layout, package_root)
    python = source_of(tmp_path, files)  # find() agrees with package() on Python handlers
    assert python is not None and python.path == layout


def test_package_root_of_a_python_package_module(tmp_path: Path) -> None:
    found = package_of(
        tmp_path,
        {
            "main.tf": function_tf(handler='"orders.api.handler"', runtime='"python3.12"', filename='"build/code.zip"'),
            "build/code/orders/api.py": HANDLER,
        },
    )
    assert found is not None and (found.handler_file, found.package_root) == ("build/code/orders/api.py", "build/code")


@pytest.mark.parametrize(
    "attributes",
    [
        {
            "handler": '"index.handler"',
            "image_uri": '"123.dkr.ecr.us-east-1.amazonaws.com/x:1"',
            "package_type": '"Image"',
        },
        {"handler": '"index.handler"', "runtime": '"nodejs20.x"', "s3_bucket": '"b"', "s3_key": '"releases/api.zip"'},
        {"handler": '"index.handler"', "runtime": '"java21"', "filename": '"build/orders.zip"'},
        {"handler": '"index.handler"', "runtime": '"python3.12"', "filename": '"build/orders.zip"'},
        {"handler": '"index"', "runtime": '"nodejs20.x"', "filename": '"build/orders.zip"'},
        {"handler": '"../index.handler"', "runtime": '"nodejs20.x"', "filename": '"build/orders.zip"'},
        {"handler": "var.handler", "runtime": '"nodejs20.x"', "filename": '"build/orders.zip"'},
    ],
)
def test_no_package(tmp_path: Path, attributes: dict[str, str]) -> None:
    files = {
        "main.tf": function_tf(**attributes),
        "build/orders/index.js": SCRIPT,
        "variables.tf": 'variable "handler" {\n  type = string\n}\n',
    }
    assert package_of(tmp_path, files) is None


def test_script_runtime_has_no_python_source(tmp_path: Path) -> None:
    files = {
        "main.tf": function_tf(handler='"app.handler"', runtime='"nodejs20.x"', filename='"build/orders.zip"'),
        "build/orders/app.py": HANDLER,
        "build/orders/app.js": SCRIPT,
    }
    found = package_of(tmp_path, files)
    assert found is not None and found.handler_file == "build/orders/app.js"
    assert source_of(tmp_path, files) is None


def test_package_outside_the_scan_root_is_not_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"shared/index.js": SCRIPT})
    root = write_tree(
        tmp_path / "scan",
        {"main.tf": function_tf(handler='"index.handler"', runtime='"nodejs20.x"', filename='"../shared.zip"')},
    )
    model = load_model(root)
    assert handler_package(model, model.resource("aws_lambda_function.f")) is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_package_symlinked_out_of_the_scan_root_is_not_read(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"index.js": SCRIPT})
    root = write_tree(
        tmp_path / "scan",
        {"main.tf": function_tf(handler='"index.handler"', runtime='"nodejs20.x"', filename='"build/orders.zip"')},
    )
    (root / "build/orders").mkdir(parents=True)
    (root / "build/orders/index.js").symlink_to(outside / "index.js")
    model = load_model(root)
    assert handler_package(model, model.resource("aws_lambda_function.f")) is None


def test_reader_is_confined_to_the_scan_root_and_records_probes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"secret.js": "x"})
    root = write_tree(
        tmp_path / "scan",
        {
            "main.tf": function_tf(handler='"index.handler"', runtime='"nodejs20.x"', filename='"build/orders.zip"'),
            "build/orders/index.js": "import { put } from './db.js';\n",
            "build/orders/db.js": "export const put = 1;\n",
        },
    )
    (root / "build/orders/bom.js").write_bytes(b"\xef\xbb\xbfexport const a = 1;\n")
    (root / "build/orders/latin1.js").write_bytes(b"x = '\xff'\n")
    (root / "build/orders/big.js").write_bytes(b"x" * (MAX_SOURCE_BYTES + 1))
    model = load_model(root)
    package = handler_package(model, model.resource("aws_lambda_function.f"))
    assert package is not None
    reader = package.reader
    assert reader.read("build/orders/db.js") == "export const put = 1;\n"
    assert reader.exists("build/orders/db.js") and not reader.exists("build/orders/missing.js")
    assert reader.read("build/orders/bom.js") == "export const a = 1;\n"
    assert reader.exists("build/orders/latin1.js") and reader.exists("build/orders/big.js")  # there, not read
    assert not reader.exists("../secret.js")
    for refused in (
        "build/orders/latin1.js",
        "build/orders/big.js",
        "../secret.js",
        "/etc/passwd",
        "build/../../secret.js",
    ):
        assert reader.read(refused) is None
    probes = {path.resolve() for path in handler_probes(model)}
    assert (root / "build/orders/db.js").resolve() in probes
    assert (root / "build/orders/missing.js").resolve() in probes


def test_package_cached_per_model_and_function(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "main.tf": function_tf(handler='"index.handler"', runtime='"nodejs20.x"', filename='"build/orders.zip"'),
            "build/orders/index.js": SCRIPT,
        },
    )
    model = load_model(root)
    function = model.resource("aws_lambda_function.f")
    first = handler_package(model, function)
    (root / "build/orders/index.js").unlink()
    assert handler_package(model, function) is first


@pytest.mark.parametrize("argument", ["source_path", "source_dir"])
def test_package_of_a_module_that_builds_it_from_a_source_path(tmp_path: Path, argument: str) -> None:
    module = (
        'variable "handler" {\n  type = string\n}\nvariable "runtime" {\n  type = string\n}\n'
        f'variable "{argument}" {{\n  type = string\n}}\n'
        'resource "aws_lambda_function" "this" {\n  function_name = "orders"\n  role = "r"\n'
        "  handler = var.handler\n  runtime = var.runtime\n  filename = local.built\n}\n"
        'locals {\n  built = "${path.root}/builds/${sha1(timestamp())}.zip"\n}\n'
    )
    root = (
        'module "orders" {\n  source = "./modules/lambda"\n  handler = "index.handler"\n  runtime = "nodejs20.x"\n'
        f'  {argument} = "${{path.module}}/services/orders"\n}}\n'
    )
    files = {"main.tf": root, "modules/lambda/main.tf": module, "services/orders/index.mjs": SCRIPT}
    found = package_of(tmp_path, files, "module.orders.aws_lambda_function.this")
    assert found is not None and (found.handler_file, found.package_root) == (
        "services/orders/index.mjs",
        "services/orders",
    )

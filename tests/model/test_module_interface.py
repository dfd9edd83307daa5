"""The module I/O facts that fixes are written from (`ddblint.model.module_interface`): which input of a module call
sets a resource's attribute, which output exposes one, and where a `depends_on` goes."""

from __future__ import annotations

from pathlib import Path

from ddblint.findings import Location
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model import Model
from ddblint.model.facts import facts_of
from ddblint.model.module_interface import ModuleCall, ModuleInput


def load_tree(root: Path, files: dict[str, str]) -> Model:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = TerraformLoader(root).load([root])
    assert result.errors == []
    (model,) = result.models
    return model


FUNCTION_MODULE = """\
variable "timeout" {
  type    = number
  default = 3
}

variable "settings" {
  type = object({ memory = number })
}

resource "aws_lambda_function" "this" {
  function_name = "f"
  timeout       = try(var.timeout, 3)
  memory_size   = var.settings.memory
  runtime       = "python3.12"
}

resource "aws_iam_role_policy" "this" {
  role   = "r"
  policy = "{}"
}

output "function_name" {
  value = try(aws_lambda_function.this.function_name, "")
}

output "function" {
  value = aws_lambda_function.this
}
"""

WRAPPER_MODULE = """\
variable "function_timeout" {
  type = number
}

module "inner" {
  source   = "../function"
  timeout  = var.function_timeout
  settings = { memory = 128 }
}

output "name" {
  value = module.inner.function_name
}
"""

ROOT = """\
module "lambda" {
  source   = "./modules/function"
  timeout  = 30
  settings = { memory = 256 }
}

module "wrapped" {
  source           = "./modules/wrapper"
  function_timeout = 10
}

module "registry" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "8.0.0"
}

resource "aws_lambda_event_source_mapping" "m" {
  function_name    = module.lambda.function_name
  event_source_arn = "arn:aws:sqs:eu-west-1:123456789012:q"
}
"""


def model_of(tmp_path: Path) -> Model:
    return load_tree(
        tmp_path,
        {
            "main.tf": ROOT,
            "modules/function/main.tf": FUNCTION_MODULE,
            "modules/wrapper/main.tf": WRAPPER_MODULE,
        },
    )


def test_input_set_by_the_root_call(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    interface = facts_of(model).module_interface
    function = model.resource("module.lambda.aws_lambda_function.this")
    assert function is not None
    found = interface.input_feeding(function, "timeout")
    call = ModuleCall("lambda", "module.lambda", "./modules/function", Location("main.tf", 1), local=True)
    assert found == ModuleInput(call=call, variable="timeout", set_at=Location("main.tf", 3))
    assert found.call.label == 'module "lambda" (main.tf:1)'


def test_input_followed_through_a_nested_call(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    function = model.resource("module.wrapped.module.inner.aws_lambda_function.this")
    assert function is not None
    found = facts_of(model).module_interface.input_feeding(function, "timeout")
    assert found is not None
    assert (found.call.address, found.variable, found.set_at) == (
        "module.wrapped",
        "function_timeout",
        Location("main.tf", 9),
    )


def test_no_input_when_the_module_writes_the_value_or_leaves_it_out(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    interface = facts_of(model).module_interface
    function = model.resource("module.lambda.aws_lambda_function.this")
    assert function is not None
    assert interface.input_feeding(function, "function_name") is None  # a literal in the module
    assert interface.input_feeding(function, "memory_size") is None  # a field of an input, not an input
    assert interface.input_feeding(function, "reserved_concurrent_executions") is None  # not written
    mapping = model.resource("aws_lambda_event_source_mapping.m")
    assert mapping is not None
    assert interface.input_feeding(mapping, "batch_size") is None  # a root resource


def test_output_exposing_an_attribute(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    interface = facts_of(model).module_interface
    function = model.resource("module.lambda.aws_lambda_function.this")
    assert function is not None
    assert interface.output_exposing(function, "function_name") == "module.lambda.function_name"
    # no output of its own; the output holding the whole resource reaches it
    assert interface.output_exposing(function, "arn") == "module.lambda.function.arn"
    inner = model.resource("module.wrapped.module.inner.aws_lambda_function.this")
    assert inner is not None
    assert interface.output_exposing(inner, "function_name") == "module.wrapped.name"
    assert interface.output_exposing(inner, "arn") is None  # the wrapper passes only the name on
    policy = model.resource("module.lambda.aws_iam_role_policy.this")
    assert policy is not None
    assert interface.output_exposing(policy, "name") is None


def test_where_depends_on_goes(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    interface = facts_of(model).module_interface
    mapping = model.resource("aws_lambda_event_source_mapping.m")
    policy = model.resource("module.lambda.aws_iam_role_policy.this")
    function = model.resource("module.lambda.aws_lambda_function.this")
    assert mapping is not None and policy is not None and function is not None
    into_module = interface.dependency(mapping, policy)
    assert (into_module.item, into_module.on_call, into_module.editable) == ("module.lambda", None, True)
    out_of_module = interface.dependency(function, model.resource("aws_lambda_event_source_mapping.m"))  # type: ignore[arg-type]
    assert out_of_module.item == "aws_lambda_event_source_mapping.m"
    assert out_of_module.on_call is not None and out_of_module.on_call.label == 'module "lambda" (main.tf:1)'
    inside = interface.dependency(function, policy)
    assert (inside.item, inside.on_call, inside.editable) == ("aws_iam_role_policy.this", None, True)


def test_editable_and_calls(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    interface = facts_of(model).module_interface
    inner = model.resource("module.wrapped.module.inner.aws_lambda_function.this")
    assert inner is not None
    outer = interface.call_of(inner)
    assert outer is not None and outer.address == "module.wrapped"
    assert interface.editable(inner.instance)
    root_mapping = model.resource("aws_lambda_event_source_mapping.m")
    assert root_mapping is not None and interface.call_of(root_mapping) is None


def test_written_name_of_a_resource_to_attach_to(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    interface = facts_of(model).module_interface
    function = model.resource("module.lambda.aws_lambda_function.this")
    policy = model.resource("module.lambda.aws_iam_role_policy.this")
    mapping = model.resource("aws_lambda_event_source_mapping.m")
    assert function is not None and policy is not None and mapping is not None
    assert (
        interface.written_name(function, "function_name") == "the lambda function named by module.lambda.function_name"
    )
    assert interface.written_name(policy, "name") == "aws_iam_role_policy.this (modules/function/main.tf:17)"
    assert interface.written_name(mapping, "uuid") == "aws_lambda_event_source_mapping.m"

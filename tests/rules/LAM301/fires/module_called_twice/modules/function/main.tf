variable "name" {
  type = string
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "this" { # expect: LAM301 address=module.a.aws_lambda_function.this severity=warning; LAM301 address=module.b.aws_lambda_function.this severity=warning
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/${var.name}.zip"
}

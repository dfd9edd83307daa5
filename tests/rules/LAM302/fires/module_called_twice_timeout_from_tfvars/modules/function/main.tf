variable "name" {
  type = string
}

variable "timeout" {
  type = number
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/${var.name}.zip"
  timeout       = var.timeout # expect: LAM302 address=module.a.aws_lambda_function.this; LAM302 address=module.b.aws_lambda_function.this

  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

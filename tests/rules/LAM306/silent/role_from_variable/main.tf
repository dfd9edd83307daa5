variable "role_arn" {
  type = string
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
  timeout       = 30
}

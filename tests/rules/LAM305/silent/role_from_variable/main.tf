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

  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

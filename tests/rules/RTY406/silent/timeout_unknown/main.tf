# The timeout comes from a variable without a value: stay silent.
variable "timeout" {
  type = number
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  timeout       = var.timeout

  environment {
    variables = {
      AWS_MAX_ATTEMPTS = "10"
    }
  }
}

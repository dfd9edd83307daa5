# AWS_MAX_ATTEMPTS = 6 in standard mode: back-off 1+2+4+8+16 = 31 s > timeout 10 s.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  timeout       = 10

  environment { # expect: RTY406 address=aws_lambda_function.orders severity=warning
    variables = {
      AWS_MAX_ATTEMPTS = 6
    }
  }
}

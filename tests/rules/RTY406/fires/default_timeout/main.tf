# No timeout: the 3 s default applies; AWS_MAX_ATTEMPTS = "4" gives back-off 1+2+4 = 7 s.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"

  environment { # expect: RTY406
    variables = {
      AWS_MAX_ATTEMPTS = "4"
    }
  }
}

# AWS_MAX_ATTEMPTS = 3: back-off 1+2 = 3 s; the handler's Config (4 attempts, read 1 s, connect 1 s):
# 1+2+4 + 4 x 2 = 15 s; both fit in 30 s.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "orders.zip"
  timeout       = 30

  environment {
    variables = {
      AWS_MAX_ATTEMPTS = "3"
    }
  }
}

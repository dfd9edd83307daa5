# build/orders/app.py: Config(retries={"max_attempts": 4}) means 4 retries = 5 attempts:
# back-off 1+2+4+8 = 15 s > timeout 10 s (4 attempts would fit: 1+2+4 = 7 s).
resource "aws_lambda_function" "orders" { # expect: RTY406
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  timeout       = 10
}

# The handler's Config comes from **kwargs and from a helper call: the settings cannot be read statically.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  timeout       = 3
}

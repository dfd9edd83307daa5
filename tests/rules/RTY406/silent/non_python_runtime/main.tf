# A Node.js function: the app.py next to the package is not its handler.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "nodejs20.x"
  filename      = "build/orders.zip"
  timeout       = 3
}

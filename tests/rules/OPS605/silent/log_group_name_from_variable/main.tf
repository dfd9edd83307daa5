variable "log_group_name" {
  type = string
}

resource "aws_lambda_function" "f" {
  function_name = "orders-api"
  role          = "arn:aws:iam::123456789012:role/orders-api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30
}
resource "aws_cloudwatch_log_group" "f" {
  name              = var.log_group_name
  retention_in_days = 30
}

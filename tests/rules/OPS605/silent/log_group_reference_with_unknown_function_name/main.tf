variable "name" {
  type = string
}

# The function's name is unknown, but logging_config.log_group refers to the group it logs to, and that group
# has a retention.
resource "aws_lambda_function" "f" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/orders-api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.shared.name
  }
}

resource "aws_cloudwatch_log_group" "shared" {
  name              = "/app/${var.name}"
  retention_in_days = 14
}

variable "name" {
  type = string
}

# The function's name is unknown; the group logging_config.log_group refers to has no retention.
resource "aws_lambda_function" "f" { # expect: OPS605
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
  name = "/app/${var.name}"
}

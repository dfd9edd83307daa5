# The handler source is outside the scanned directory: it is never read.
data "archive_file" "code" {
  type        = "zip"
  source_dir  = "../../fires/handler_config_retries_and_timeouts/src"
  output_path = "build/code.zip"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "handler.main"
  runtime       = "python3.12"
  filename      = data.archive_file.code.output_path
  timeout       = 30
}

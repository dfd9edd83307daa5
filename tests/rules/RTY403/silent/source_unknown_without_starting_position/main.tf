resource "aws_iam_role" "consumer" {
  name = "consumer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
  timeout       = 30
}

variable "source_arn" {
  type = string
}

# The source is not known and there is no starting_position, which every stream source requires: not a stream.
resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn              = var.source_arn
  function_name                 = aws_lambda_function.consumer.arn
  maximum_retry_attempts        = 3
  maximum_record_age_in_seconds = 3600
  function_response_types       = ["ReportBatchItemFailures"]
}

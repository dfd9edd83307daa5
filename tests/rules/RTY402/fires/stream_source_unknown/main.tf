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

# The source is not known, but a starting_position (and no Kafka or MQ settings) means a stream.
resource "aws_lambda_event_source_mapping" "orders" { # expect: RTY402
  event_source_arn               = var.source_arn
  function_name                  = aws_lambda_function.consumer.arn
  starting_position              = "LATEST"
  maximum_retry_attempts         = 3
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]
}

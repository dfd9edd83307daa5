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

variable "cluster_arn" {
  type = string
}

# Kafka takes a starting_position too: with topics, the unknown source is a Kafka cluster, not a stream.
resource "aws_lambda_event_source_mapping" "events" {
  event_source_arn  = var.cluster_arn
  function_name     = aws_lambda_function.consumer.arn
  topics            = ["orders"]
  starting_position = "TRIM_HORIZON"
}

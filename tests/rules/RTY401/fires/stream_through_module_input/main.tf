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

resource "aws_kinesis_stream" "events" {
  name             = "events"
  shard_count      = 1
  retention_period = 24
}

module "events" {
  source        = "./modules/consumer"
  stream_arn    = aws_kinesis_stream.events.arn
  function_name = aws_lambda_function.consumer.function_name
}

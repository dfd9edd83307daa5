variable "queues" {
  type = set(string)
}

resource "aws_sqs_queue" "jobs" {
  for_each = var.queues
  name     = each.key
}

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

resource "aws_lambda_function" "consumer" { # expect: LAM301 address=aws_lambda_function.consumer
  for_each = aws_sqs_queue.jobs

  function_name = "consumer-${each.key}"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
}

# A splat over a resource without count is a list of that one resource (Terraform wraps a single value).
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
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

resource "aws_lambda_function" "consumer" { # expect: LAM301 address=aws_lambda_function.consumer[0]
  count = length(aws_sqs_queue.jobs[*].arn)

  function_name = "consumer-${count.index}"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
}

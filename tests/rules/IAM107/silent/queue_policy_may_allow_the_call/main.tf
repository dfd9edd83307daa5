resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

# The queue's own policy lets the role send, which its identity policies do not.
resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.fn.arn }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.jobs.arn
    }]
  })
}

resource "aws_iam_role" "fn" {
  name = "orders-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

data "archive_file" "app" {
  type        = "zip"
  source_dir  = "src"
  output_path = "build/app.zip"
}

resource "aws_lambda_function" "fn" {
  function_name    = "orders-fn"
  role             = aws_iam_role.fn.arn
  runtime          = "python3.12"
  handler          = "app.handler"
  filename         = data.archive_file.app.output_path
  source_code_hash = data.archive_file.app.output_base64sha256
  timeout          = 30

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
    }
  }
}

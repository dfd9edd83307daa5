
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_s3_bucket" "reports" {
  bucket = "orders-reports"
}

resource "aws_kinesis_stream" "clicks" {
  name        = "clicks"
  shard_count = 1
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}
resource "aws_iam_role" "fn" {
  name = "orders-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "fn" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["sqs:ReceiveMessage"], Resource = aws_sqs_queue.jobs.arn },
    ]
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
  handler          = "app.handler" # expect: IAM107
  filename         = data.archive_file.app.output_path
  source_code_hash = data.archive_file.app.output_base64sha256
  timeout          = 30

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.jobs.url
      TOPIC_ARN = aws_sns_topic.alerts.arn
      BUCKET    = aws_s3_bucket.reports.id
      STREAM    = aws_kinesis_stream.clicks.name
      BUS       = aws_cloudwatch_event_bus.orders.name
    }
  }
}

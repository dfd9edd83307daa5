resource "aws_iam_role" "fn" {
  name = "consumer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "LATEST"
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30
}


# A registry module that is not downloaded: it may define the IteratorAge alarm.
module "alarms" {
  source  = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  version = "~> 5.0"

  alarm_name  = "consumer-iterator-age"
  namespace   = "AWS/Lambda"
  metric_name = "IteratorAge"
  dimensions  = { FunctionName = aws_lambda_function.consumer.function_name }
}

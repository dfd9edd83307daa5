# Log groups with a retention, created before the functions so Lambda does not create them without one.
resource "aws_cloudwatch_log_group" "consumer" {
  name              = "/aws/lambda/${var.name_prefix}-consumer"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${var.name_prefix}-api"
  retention_in_days = 30
}

# A consumer stuck on a batch, or falling behind, shows as a growing IteratorAge.
resource "aws_cloudwatch_metric_alarm" "consumer_iterator_age" {
  alarm_name          = "${var.name_prefix}-consumer-iterator-age"
  alarm_description   = "Orders stream records wait more than a minute: the consumer is behind or stuck."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 60000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { FunctionName = aws_lambda_function.consumer.function_name }
}

# A notifier that SNS invokes asynchronously, with no dead-letter queue or on-failure destination: an event
# that fails its retries is discarded.

resource "aws_sns_topic" "order_events" {
  name = "${var.name_prefix}-order-events"
}

resource "aws_lambda_function" "notifier" {
  function_name = "${var.name_prefix}-notifier"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "${path.module}/build/notifier.zip"
  timeout       = 30
}

resource "aws_lambda_permission" "notifier_from_sns" {
  statement_id  = "AllowSNSInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.notifier.function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.order_events.arn
}

resource "aws_sns_topic_subscription" "notifier" {
  topic_arn = aws_sns_topic.order_events.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.notifier.arn
}

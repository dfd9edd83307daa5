# Alarms that show a stuck or failing consumer before the stream's 24 h retention runs out.

locals {
  alarm_actions = compact([var.alarm_sns_topic_arn])

  function_alarms = var.create && var.create_alarms ? {
    iterator_age = {
      metric      = "IteratorAge"
      statistic   = "Maximum"
      threshold   = var.iterator_age_threshold_ms
      description = "Records wait longer than ${var.iterator_age_threshold_ms} ms in the stream: ${var.function_name} is falling behind or stuck on a batch."
    }
    errors = {
      metric      = "Errors"
      statistic   = "Sum"
      threshold   = var.errors_threshold
      description = "${var.function_name} returned errors; failed batches are retried, then sent to the on-failure destination."
    }
    throttles = {
      metric      = "Throttles"
      statistic   = "Sum"
      threshold   = var.throttles_threshold
      description = "${var.function_name} was throttled; the stream backs up while it is."
    }
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "function" {
  for_each = local.function_alarms

  alarm_name          = "${local.name}-${replace(each.key, "_", "-")}"
  alarm_description   = each.value.description
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    FunctionName = var.function_name
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "on_failure_queue" {
  count = var.create && var.create_alarms && local.on_failure_service == "sqs" ? 1 : 0

  alarm_name          = "${local.name}-stream-failures-visible"
  alarm_description   = "Stream batches that ${var.function_name} could not process are waiting in the failure queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  period              = var.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    QueueName = local.on_failure_queue_name
  }

  tags = var.tags
}

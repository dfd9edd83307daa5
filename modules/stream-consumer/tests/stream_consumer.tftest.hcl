mock_provider "aws" {
  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  override_data {
    target = data.aws_region.current
    values = { id = "eu-west-1" }
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }

  override_resource {
    target          = aws_sqs_queue.on_failure
    override_during = plan
    values = {
      arn  = "arn:aws:sqs:eu-west-1:111122223333:orders-consumer-stream-failures"
      name = "orders-consumer-stream-failures"
    }
  }
}

variables {
  function_name      = "orders-consumer"
  function_role_name = "orders-consumer"
  event_source_arn   = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2026-01-01T00:00:00.000"
}

run "bounded_defaults" {
  command = plan

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].maximum_retry_attempts == 3
    error_message = "maximum_retry_attempts must default to 3."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].maximum_record_age_in_seconds == 3600
    error_message = "maximum_record_age_in_seconds must default to 3600."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].bisect_batch_on_function_error == true
    error_message = "bisect_batch_on_function_error must default to true."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "Partial batch responses must be on by default."
  }

  assert {
    condition = (
      aws_lambda_event_source_mapping.this[0].starting_position == "LATEST" &&
      aws_lambda_event_source_mapping.this[0].batch_size == 100 &&
      aws_lambda_event_source_mapping.this[0].maximum_batching_window_in_seconds == 1 &&
      aws_lambda_event_source_mapping.this[0].parallelization_factor == 1 &&
      aws_lambda_event_source_mapping.this[0].enabled
    )
    error_message = "Batching defaults changed."
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.this[0].filter_criteria) == 0
    error_message = "No filter by default."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].destination_config[0].on_failure[0].destination_arn == "arn:aws:sqs:eu-west-1:111122223333:orders-consumer-stream-failures"
    error_message = "The mapping must send failed batches to the created queue."
  }

  assert {
    condition     = aws_sqs_queue.on_failure[0].sqs_managed_sse_enabled == true && aws_sqs_queue.on_failure[0].message_retention_seconds == 1209600
    error_message = "The failure queue must be encrypted (SSE-SQS) and keep messages 14 days."
  }

  assert {
    condition     = aws_iam_role_policy.this[0].role == "orders-consumer"
    error_message = "The policy must be attached to the function's role."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.this[0].policy).Statement == [
      {
        Sid      = "ReadStream"
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
        Resource = ["arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2026-01-01T00:00:00.000"]
      },
      {
        Sid      = "ListStreams"
        Effect   = "Allow"
        Action   = ["dynamodb:ListStreams"]
        Resource = ["*"]
      },
      {
        Sid      = "SendToOnFailureDestination"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = ["arn:aws:sqs:eu-west-1:111122223333:orders-consumer-stream-failures"]
      },
    ]
    error_message = "The policy must grant stream reads on the exact stream and SendMessage on the exact queue."
  }
}

run "alarms" {
  command = plan

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.function["iterator_age"].namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.function["iterator_age"].metric_name == "IteratorAge" &&
      aws_cloudwatch_metric_alarm.function["iterator_age"].threshold == 30000 &&
      aws_cloudwatch_metric_alarm.function["iterator_age"].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.function["iterator_age"].dimensions["FunctionName"] == "orders-consumer"
    )
    error_message = "IteratorAge alarm must watch the function above 30000 ms."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.function["errors"].metric_name == "Errors" &&
      aws_cloudwatch_metric_alarm.function["errors"].threshold == 0 &&
      aws_cloudwatch_metric_alarm.function["throttles"].metric_name == "Throttles" &&
      aws_cloudwatch_metric_alarm.function["throttles"].dimensions["FunctionName"] == "orders-consumer"
    )
    error_message = "Errors and Throttles alarms must watch the function."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.on_failure_queue[0].namespace == "AWS/SQS" &&
      aws_cloudwatch_metric_alarm.on_failure_queue[0].metric_name == "ApproximateNumberOfMessagesVisible" &&
      aws_cloudwatch_metric_alarm.on_failure_queue[0].threshold == 0 &&
      aws_cloudwatch_metric_alarm.on_failure_queue[0].dimensions["QueueName"] == "orders-consumer-stream-failures"
    )
    error_message = "The failure-queue depth alarm must fire on any visible message."
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.function["errors"].alarm_actions) == 0
    error_message = "No alarm actions without a topic."
  }
}

run "alarm_topic" {
  command = plan

  variables {
    alarm_sns_topic_arn = "arn:aws:sns:eu-west-1:111122223333:oncall"
  }

  assert {
    condition = alltrue([
      for a in concat(values(aws_cloudwatch_metric_alarm.function), aws_cloudwatch_metric_alarm.on_failure_queue) :
      a.alarm_actions == toset(["arn:aws:sns:eu-west-1:111122223333:oncall"]) && a.ok_actions == toset(["arn:aws:sns:eu-west-1:111122223333:oncall"])
    ])
    error_message = "Every alarm must notify the topic."
  }
}

run "given_sns_destination" {
  command = plan

  variables {
    on_failure_destination = { arn = "arn:aws:sns:eu-west-1:111122223333:stream-failures", type = "sns" }
    filter_criteria        = [jsonencode({ eventName = ["INSERT"] })]
  }

  assert {
    condition     = length(aws_sqs_queue.on_failure) == 0 && length(aws_cloudwatch_metric_alarm.on_failure_queue) == 0
    error_message = "A given SNS destination creates no queue and no queue alarm."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : [s.Action, s.Resource] if s.Sid == "SendToOnFailureDestination"
    ] == [[["sns:Publish"], ["arn:aws:sns:eu-west-1:111122223333:stream-failures"]]]
    error_message = "The role must publish to exactly the given topic."
  }

  assert {
    condition     = one(aws_lambda_event_source_mapping.this[0].filter_criteria[0].filter[*].pattern) == jsonencode({ eventName = ["INSERT"] })
    error_message = "Filter criteria must be passed through."
  }
}

run "given_queue_gets_depth_alarm" {
  command = plan

  variables {
    on_failure_destination = { arn = "arn:aws:sqs:eu-west-1:111122223333:shared-failures" }
  }

  assert {
    condition     = length(aws_sqs_queue.on_failure) == 0 && aws_cloudwatch_metric_alarm.on_failure_queue[0].dimensions["QueueName"] == "shared-failures"
    error_message = "A given queue is watched by name."
  }
}

run "rejects_unbounded_retries" {
  command = plan

  variables {
    maximum_retry_attempts = -1
  }

  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "allows_unbounded_retries_when_opted_out" {
  command = plan

  variables {
    maximum_retry_attempts  = -1
    allow_unbounded_retries = true
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].maximum_retry_attempts == -1
    error_message = "The opt-out must allow -1."
  }
}

run "rejects_unbounded_record_age" {
  command = plan

  variables {
    maximum_record_age_in_seconds = -1
  }

  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "allows_unbounded_record_age_when_opted_out" {
  command = plan

  variables {
    maximum_record_age_in_seconds = -1
    allow_unbounded_record_age    = true
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this[0].maximum_record_age_in_seconds == -1
    error_message = "The opt-out must allow -1."
  }
}

run "rejects_out_of_range_values" {
  command = plan

  variables {
    maximum_retry_attempts        = 10001
    maximum_record_age_in_seconds = 30
    batch_size                    = 0
    starting_position             = "AT_TIMESTAMP"
  }

  expect_failures = [
    var.maximum_retry_attempts,
    var.maximum_record_age_in_seconds,
    var.batch_size,
    var.starting_position,
  ]
}

run "rejects_unknown_destination_type" {
  command = plan

  variables {
    on_failure_destination = { arn = "arn:aws:sns:eu-west-1:111122223333:stream-failures", type = "lambda" }
  }

  expect_failures = [var.on_failure_destination]
}

run "rejects_table_arn_as_source" {
  command = plan

  variables {
    event_source_arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"
  }

  expect_failures = [var.event_source_arn]
}

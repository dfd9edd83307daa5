data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  name         = coalesce(var.name, var.function_name)
  create_queue = var.create && var.on_failure_destination == null
  queue_name   = "${local.name}-stream-failures"

  on_failure_service = var.on_failure_destination == null ? "sqs" : var.on_failure_destination.type
  # The created queue's ARN, built from its name so that the policy is known at plan time.
  on_failure_policy_arn = local.create_queue ? "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:${local.queue_name}" : try(var.on_failure_destination.arn, "")
  on_failure_arn        = local.create_queue ? try(aws_sqs_queue.on_failure[0].arn, "") : try(var.on_failure_destination.arn, "")
  # Name of the failure queue, for its depth alarm (the last field of an SQS ARN).
  on_failure_queue_name = local.create_queue ? try(aws_sqs_queue.on_failure[0].name, "") : (
    local.on_failure_service == "sqs" ? try(element(split(":", var.on_failure_destination.arn), 5), null) : null
  )
}

resource "aws_sqs_queue" "on_failure" {
  count = local.create_queue ? 1 : 0

  name                      = local.queue_name
  message_retention_seconds = var.on_failure_queue_message_retention_seconds
  sqs_managed_sse_enabled   = var.on_failure_queue_kms_key_arn == null ? true : null
  kms_master_key_id         = var.on_failure_queue_kms_key_arn

  tags = var.tags
}

# Stream-read and failure-destination permissions on the exact ARNs, attached to the function's role.
resource "aws_iam_role_policy" "this" {
  count = var.create ? 1 : 0

  name = "${local.name}-stream-consumer"
  role = var.function_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "ReadStream"
          Effect   = "Allow"
          Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
          Resource = [var.event_source_arn]
        },
        {
          # ListStreams does not support resource-level permissions.
          Sid      = "ListStreams"
          Effect   = "Allow"
          Action   = ["dynamodb:ListStreams"]
          Resource = ["*"]
        },
        {
          Sid      = "SendToOnFailureDestination"
          Effect   = "Allow"
          Action   = [local.on_failure_service == "sns" ? "sns:Publish" : "sqs:SendMessage"]
          Resource = [local.on_failure_policy_arn]
        }
      ],
      var.on_failure_queue_kms_key_arn != null && local.create_queue ? [
        {
          Sid      = "EncryptForOnFailureQueue"
          Effect   = "Allow"
          Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
          Resource = [var.on_failure_queue_kms_key_arn]
        }
      ] : []
    )
  })
}

resource "aws_lambda_event_source_mapping" "this" {
  count = var.create ? 1 : 0

  event_source_arn                   = var.event_source_arn
  function_name                      = var.function_name
  enabled                            = var.enabled
  starting_position                  = var.starting_position
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  parallelization_factor             = var.parallelization_factor
  maximum_retry_attempts             = var.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.maximum_record_age_in_seconds
  bisect_batch_on_function_error     = var.bisect_batch_on_function_error
  function_response_types            = var.function_response_types

  destination_config {
    on_failure {
      destination_arn = local.on_failure_arn
    }
  }

  dynamic "filter_criteria" {
    for_each = length(var.filter_criteria) > 0 ? [var.filter_criteria] : []

    content {
      dynamic "filter" {
        for_each = filter_criteria.value

        content {
          pattern = filter.value
        }
      }
    }
  }

  tags = var.tags

  # Lambda validates the role's stream permissions when the mapping is created.
  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = var.maximum_retry_attempts != -1 || var.allow_unbounded_retries
      error_message = "maximum_retry_attempts = -1 retries a poison record until it expires, blocking its shard: set 0-10000, or set allow_unbounded_retries = true to accept that."
    }

    precondition {
      condition     = var.maximum_record_age_in_seconds != -1 || var.allow_unbounded_record_age
      error_message = "maximum_record_age_in_seconds = -1 keeps retrying a failing batch until it leaves the stream: set 60-604800, or set allow_unbounded_record_age = true to accept that."
    }
  }
}

locals {
  log_group_name = "/aws/lambda/${var.function_name}"
  in_vpc         = var.vpc_config != null
}

resource "aws_cloudwatch_log_group" "this" {
  count = var.create ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_group_kms_key_arn

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  count = var.create ? 1 : 0

  function_name                  = var.function_name
  description                    = var.description
  role                           = var.create_role ? aws_iam_role.this[0].arn : var.role_arn
  filename                       = var.filename
  source_code_hash               = var.source_code_hash
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = var.architectures
  timeout                        = var.timeout
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
  layers                         = var.layers
  publish                        = var.publish

  dynamic "environment" {
    for_each = length(var.environment_variables) > 0 ? [var.environment_variables] : []

    content {
      variables = environment.value
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [var.vpc_config] : []

    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  dynamic "tracing_config" {
    for_each = var.tracing_mode == null ? [] : [var.tracing_mode]

    content {
      mode = tracing_config.value
    }
  }

  dynamic "dead_letter_config" {
    for_each = var.dead_letter_target_arn == null ? [] : [var.dead_letter_target_arn]

    content {
      target_arn = dead_letter_config.value
    }
  }

  tags = var.tags

  # The role must hold its permissions (ENI actions for a VPC function) and the log group must exist first.
  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]

  lifecycle {
    precondition {
      condition     = var.reserved_concurrent_executions != 0 || var.allow_zero_reserved_concurrency
      error_message = "reserved_concurrent_executions = 0 throttles every invocation: use -1 (unreserved) or a positive number, or set allow_zero_reserved_concurrency = true to stop the function on purpose."
    }

    precondition {
      condition     = var.create_async_event_config || (var.async_on_failure_destination_arn == null && var.async_on_success_destination_arn == null)
      error_message = "Set create_async_event_config = true to use async_on_failure_destination_arn or async_on_success_destination_arn."
    }

    precondition {
      condition     = var.create_role || var.role_arn != null
      error_message = "Set role_arn when create_role is false."
    }
  }
}

resource "aws_lambda_function_event_invoke_config" "this" {
  count = var.create && var.create_async_event_config ? 1 : 0

  function_name                = aws_lambda_function.this[0].function_name
  maximum_retry_attempts       = var.async_maximum_retry_attempts
  maximum_event_age_in_seconds = var.async_maximum_event_age_in_seconds

  destination_config {
    dynamic "on_failure" {
      for_each = var.async_on_failure_destination_arn == null ? [] : [var.async_on_failure_destination_arn]

      content {
        destination = on_failure.value
      }
    }

    dynamic "on_success" {
      for_each = var.async_on_success_destination_arn == null ? [] : [var.async_on_success_destination_arn]

      content {
        destination = on_success.value
      }
    }
  }
}

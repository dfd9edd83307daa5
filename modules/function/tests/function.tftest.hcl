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
}

variables {
  function_name = "orders-consumer"
  filename      = "package.zip"
  timeout       = 30
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_lambda_function.this[0].timeout == 30 && aws_lambda_function.this[0].memory_size == 256
    error_message = "timeout must be the given one and memory_size default to 256."
  }

  assert {
    condition     = aws_lambda_function.this[0].runtime == "python3.12" && aws_lambda_function.this[0].handler == "handler.handler"
    error_message = "runtime/handler defaults changed."
  }

  assert {
    condition     = aws_lambda_function.this[0].reserved_concurrent_executions == -1
    error_message = "Concurrency must be unreserved by default."
  }

  assert {
    condition     = length(aws_lambda_function.this[0].vpc_config) == 0 && length(aws_lambda_function.this[0].tracing_config) == 0
    error_message = "No VPC and no tracing by default."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].name == "/aws/lambda/orders-consumer" && aws_cloudwatch_log_group.this[0].retention_in_days == 30
    error_message = "The log group must be /aws/lambda/<name> with 30 days of retention."
  }

  assert {
    condition     = jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "The role must trust the Lambda service only."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.this[0].policy).Statement == [
      {
        Sid      = "WriteOwnLogGroup"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-consumer:*"]
      }
    ]
    error_message = "By default the role may only write to its own log group."
  }

  assert {
    condition     = length(aws_lambda_function_event_invoke_config.this) == 0
    error_message = "No event invoke config without destinations."
  }
}

run "vpc_tracing_kms_and_extra_statements" {
  command = plan

  variables {
    vpc_config       = { subnet_ids = ["subnet-1", "subnet-2"], security_group_ids = ["sg-1"] }
    tracing_mode     = "Active"
    kms_key_arn      = "arn:aws:kms:eu-west-1:111122223333:key/env"
    kms_key_arns     = ["arn:aws:kms:eu-west-1:111122223333:key/table"]
    source_code_hash = "abc="
    policy_statements = [
      {
        sid       = "WriteAudit"
        actions   = ["dynamodb:PutItem"]
        resources = ["arn:aws:dynamodb:eu-west-1:111122223333:table/audit"]
        conditions = [
          { test = "ForAllValues:StringEquals", variable = "dynamodb:Attributes", values = ["pk", "sk"] },
        ]
      },
    ]
  }

  assert {
    condition     = aws_lambda_function.this[0].vpc_config[0].subnet_ids == toset(["subnet-1", "subnet-2"])
    error_message = "vpc_config must be passed through."
  }

  assert {
    condition     = aws_lambda_function.this[0].tracing_config[0].mode == "Active"
    error_message = "tracing_mode must be passed through."
  }

  assert {
    condition = {
      for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Sid => s.Action
      } == {
      WriteOwnLogGroup           = ["logs:CreateLogStream", "logs:PutLogEvents"]
      CreateVpcNetworkInterfaces = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
      ManageVpcNetworkInterfaces = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
      SendTraces                 = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      DecryptWithKeys            = ["kms:Decrypt"]
      WriteAudit                 = ["dynamodb:PutItem"]
    }
    error_message = "The policy must hold exactly the statements for logs, ENIs, X-Ray, KMS and the extra statement."
  }

  assert {
    condition = {
      for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Sid => s.Resource
      }["DecryptWithKeys"] == [
      "arn:aws:kms:eu-west-1:111122223333:key/env", "arn:aws:kms:eu-west-1:111122223333:key/table",
    ]
    error_message = "kms:Decrypt must be limited to the given keys."
  }

  assert {
    condition = {
      for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Sid => s.Resource
      }["ManageVpcNetworkInterfaces"] == [
      "arn:aws:ec2:eu-west-1:111122223333:network-interface/*",
    ]
    error_message = "ENI management must be limited to this account and region."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : s.Condition if s.Sid == "WriteAudit"
      ][0] == {
      "ForAllValues:StringEquals" = { "dynamodb:Attributes" = ["pk", "sk"] }
    }
    error_message = "Conditions of extra statements must be rendered."
  }
}

run "async_destinations" {
  command = plan

  variables {
    dead_letter_target_arn           = "arn:aws:sqs:eu-west-1:111122223333:dlq"
    create_async_event_config        = true
    async_on_failure_destination_arn = "arn:aws:sns:eu-west-1:111122223333:failures"
  }

  assert {
    condition     = aws_lambda_function.this[0].dead_letter_config[0].target_arn == "arn:aws:sqs:eu-west-1:111122223333:dlq"
    error_message = "The DLQ must be configured."
  }

  assert {
    condition = (
      aws_lambda_function_event_invoke_config.this[0].destination_config[0].on_failure[0].destination == "arn:aws:sns:eu-west-1:111122223333:failures" &&
      aws_lambda_function_event_invoke_config.this[0].maximum_retry_attempts == 2 &&
      aws_lambda_function_event_invoke_config.this[0].maximum_event_age_in_seconds == 21600
    )
    error_message = "The on-failure destination must be configured with bounded retries and age."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this[0].policy).Statement : [s.Action, s.Resource] if startswith(s.Sid, "SendToDestination")
      ] == [
      [["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:111122223333:dlq"]],
      [["sns:Publish"], ["arn:aws:sns:eu-west-1:111122223333:failures"]],
    ]
    error_message = "The role must be able to send to exactly the DLQ and the destination."
  }
}

run "destination_needs_event_invoke_config" {
  command = plan

  variables {
    async_on_failure_destination_arn = "arn:aws:sns:eu-west-1:111122223333:failures"
  }

  expect_failures = [aws_lambda_function.this]
}

run "rejects_timeout_above_900" {
  command = plan

  variables {
    timeout = 901
  }

  expect_failures = [var.timeout]
}

run "rejects_timeout_zero" {
  command = plan

  variables {
    timeout = 0
  }

  expect_failures = [var.timeout]
}

run "rejects_zero_reserved_concurrency" {
  command = plan

  variables {
    reserved_concurrent_executions = 0
  }

  expect_failures = [aws_lambda_function.this]
}

run "allows_zero_reserved_concurrency_when_opted_out" {
  command = plan

  variables {
    reserved_concurrent_executions  = 0
    allow_zero_reserved_concurrency = true
  }

  assert {
    condition     = aws_lambda_function.this[0].reserved_concurrent_executions == 0
    error_message = "The opt-out must allow 0."
  }
}

run "rejects_unknown_tracing_mode" {
  command = plan

  variables {
    tracing_mode = "On"
  }

  expect_failures = [var.tracing_mode]
}

run "rejects_vpc_config_without_subnets" {
  command = plan

  variables {
    vpc_config = { subnet_ids = [], security_group_ids = ["sg-1"] }
  }

  expect_failures = [var.vpc_config]
}

run "existing_role" {
  command = plan

  variables {
    create_role = false
    role_arn    = "arn:aws:iam::111122223333:role/existing"
  }

  assert {
    condition     = length(aws_iam_role.this) == 0 && aws_lambda_function.this[0].role == "arn:aws:iam::111122223333:role/existing"
    error_message = "create_role = false must use role_arn."
  }
}

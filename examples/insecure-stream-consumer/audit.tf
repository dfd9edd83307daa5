# An audit trail fed by a second stream consumer, wired up by hand: the table never got its stream, the
# role grants the stream actions on the table ARN only, cannot publish failures to the topic it was given,
# cannot manage the VPC network interfaces, and cannot write logs. The timeout is tight for a function in
# a VPC.

variable "subnet_ids" {
  description = "Private subnets for the audit function (placeholders: this demo is only linted)."
  type        = list(string)
  default     = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

variable "security_group_ids" {
  description = "Security groups for the audit function (placeholder: this demo is only linted)."
  type        = list(string)
  default     = ["sg-0123456789abcdef0"]
}

resource "aws_dynamodb_table" "audit" {
  name         = "${var.name_prefix}-audit"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "event_id"

  attribute {
    name = "event_id"
    type = "S"
  }
}

resource "aws_sns_topic" "audit_failures" {
  name = "${var.name_prefix}-audit-failures"
}

resource "aws_iam_role" "audit" {
  name = "${var.name_prefix}-audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "audit" {
  name = "audit-stream"
  role = aws_iam_role.audit.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
        Resource = aws_dynamodb_table.audit.arn
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:ListStreams"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_lambda_function" "audit" {
  function_name = "${var.name_prefix}-audit"
  role          = aws_iam_role.audit.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "${path.module}/build/audit.zip"
  timeout       = 5

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }
}

resource "aws_lambda_event_source_mapping" "audit" {
  event_source_arn              = aws_dynamodb_table.audit.stream_arn
  function_name                 = aws_lambda_function.audit.arn
  starting_position             = "LATEST"
  maximum_retry_attempts        = 3
  maximum_record_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination_arn = aws_sns_topic.audit_failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.audit]
}

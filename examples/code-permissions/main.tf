# An orders API whose role was written for the first version of its handler. The handler has since started to
# update orders, query them by customer and announce them on a queue; the role still only allows what it did
# then, plus a delete nobody calls. `terraform apply` succeeds; the first update fails with AccessDenied.
# `ddblint check` finds both sides (IAM107, IAM108); `ddblint policy aws_lambda_function.api` writes the fix.

locals {
  package_path = coalesce(var.package_path, "${path.module}/build/orders-api.zip")
}

resource "aws_dynamodb_table" "orders" {
  name         = "${var.name_prefix}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "order_id"

  attribute {
    name = "order_id"
    type = "S"
  }

  attribute {
    name = "customer_id"
    type = "S"
  }

  global_secondary_index {
    name            = "by_customer"
    hash_key        = "customer_id"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_sqs_queue" "order_events" {
  name                      = "${var.name_prefix}-order-events"
  message_retention_seconds = 345600
}

resource "aws_iam_role" "api" {
  name = "${var.name_prefix}-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

# Written for the first handler: read and create orders. DeleteItem "in case we need it".
resource "aws_iam_role_policy" "api" {
  name = "orders-access"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
        Resource = aws_dynamodb_table.orders.arn
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.api.arn}:*"
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${var.name_prefix}-api"
  retention_in_days = 30
}

resource "aws_lambda_function" "api" {
  function_name    = "${var.name_prefix}-api"
  role             = aws_iam_role.api.arn
  runtime          = "python3.12"
  handler          = "handler.handler"
  filename         = local.package_path
  source_code_hash = filebase64sha256(local.package_path)
  timeout          = 10
  memory_size      = 256

  environment {
    variables = {
      TABLE_NAME = aws_dynamodb_table.orders.name
      QUEUE_URL  = aws_sqs_queue.order_events.url
    }
  }

  depends_on = [aws_cloudwatch_log_group.api]
}

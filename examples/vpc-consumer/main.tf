# The corrected stack of examples/insecure-vpc-consumer/: a VPC stream consumer and a VPC API function that reach
# DynamoDB through gateway endpoints. No NET5xx or OPS6xx rule fires here (tests/examples/).

# -- tables -----------------------------------------------------------------------------------------------------
resource "aws_dynamodb_table" "orders" {
  name             = "${var.name_prefix}-orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "order_id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "order_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

# Provisioned capacity that follows the load (autoscaling.tf).
resource "aws_dynamodb_table" "carts" {
  name           = "${var.name_prefix}-carts"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "customer_id"

  attribute {
    name = "customer_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

# -- stream consumer (orders VPC) -------------------------------------------------------------------------------
resource "aws_iam_role" "consumer" {
  name = "${var.name_prefix}-consumer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "stream-and-failures"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
          Resource = aws_dynamodb_table.orders.stream_arn
        },
        {
          Effect   = "Allow"
          Action   = "dynamodb:ListStreams"
          Resource = "*"
        },
        {
          Effect   = "Allow"
          Action   = "dynamodb:DeleteItem"
          Resource = aws_dynamodb_table.carts.arn
        },
        {
          Effect   = "Allow"
          Action   = "sqs:SendMessage"
          Resource = aws_sqs_queue.consumer_failures.arn
        },
        {
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "arn:aws:logs:*:*:log-group:/aws/lambda/${var.name_prefix}-*"
        },
        {
          Effect   = "Allow"
          Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"]
          Resource = "*"
        },
      ]
    })
  }
}

resource "aws_sqs_queue" "consumer_failures" {
  name = "${var.name_prefix}-consumer-failures"
}

resource "aws_lambda_function" "consumer" {
  function_name = "${var.name_prefix}-consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/consumer.zip"
  timeout       = 60

  environment {
    variables = {
      CARTS_TABLE = aws_dynamodb_table.carts.name
    }
  }

  vpc_config {
    subnet_ids         = aws_subnet.orders_private[*].id
    security_group_ids = [aws_security_group.consumer.id]
  }

  depends_on = [aws_cloudwatch_log_group.consumer]
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn               = aws_dynamodb_table.orders.stream_arn
  function_name                  = aws_lambda_function.consumer.arn
  starting_position              = "TRIM_HORIZON"
  maximum_retry_attempts         = 3
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.consumer_failures.arn
    }
  }
}

# -- carts API (carts VPC) --------------------------------------------------------------------------------------
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

  inline_policy {
    name = "carts"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          Resource = aws_dynamodb_table.carts.arn
        },
        {
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "arn:aws:logs:*:*:log-group:/aws/lambda/${var.name_prefix}-*"
        },
        {
          Effect   = "Allow"
          Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"]
          Resource = "*"
        },
      ]
    })
  }
}

# api/app.py reads and writes carts by "customer_id", the table's key.
resource "aws_lambda_function" "api" {
  function_name = "${var.name_prefix}-api"
  role          = aws_iam_role.api.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/api.zip"
  timeout       = 10

  environment {
    variables = {
      CARTS_TABLE = aws_dynamodb_table.carts.name
    }
  }

  vpc_config {
    subnet_ids         = [aws_subnet.carts_private.id]
    security_group_ids = [aws_security_group.api.id]
  }

  depends_on = [aws_cloudwatch_log_group.api]
}

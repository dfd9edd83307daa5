# A stream consumer as it is often written first: it plans and applies, and then fails in production.
# `make demo` runs ddblint on this directory; examples/complete/ is the corrected stack.

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
}

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
}

# "Just make it work": every DynamoDB action on every table in the account.
resource "aws_iam_role_policy" "consumer_data" {
  name = "data-access"
  role = aws_iam_role.consumer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:*"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "consumer_full_access" {
  role       = aws_iam_role.consumer.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}

# The stream actions are granted on the table ARN, where they do not apply.
data "aws_iam_policy_document" "stream_read" {
  statement {
    actions = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
    ]
    resources = [aws_dynamodb_table.orders.arn]
  }

  statement {
    actions   = ["dynamodb:Get*"]
    resources = [aws_dynamodb_table.orders.arn]
  }
}

resource "aws_iam_policy" "stream_read" {
  name   = "${var.name_prefix}-stream-read"
  policy = data.aws_iam_policy_document.stream_read.json
}

resource "aws_iam_role_policy_attachment" "stream_read" {
  role       = aws_iam_role.consumer.name
  policy_arn = aws_iam_policy.stream_read.arn
}

# Queue access from a JSON file: "everything except deleting the queue".
resource "aws_iam_policy" "queue" {
  name   = "${var.name_prefix}-queue"
  policy = file("${path.module}/policies/queue.json")
}

# A break-glass role anyone can assume.
resource "aws_iam_role" "debug" {
  name = "${var.name_prefix}-debug"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })
}

resource "aws_lambda_function" "consumer" {
  function_name = "${var.name_prefix}-consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "${path.module}/build/consumer.zip"
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "LATEST"
}

# The stream grant may come from a dynamic statement whose for_each is unknown: the role's document is
# incomplete, so a missing grant cannot be claimed.
variable "extra_statements" {
  description = "Statements to add to the consumer's policy."
  type = list(object({
    actions   = list(string)
    resources = list(string)
  }))
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_iam_role" "consumer" {
  name = "consumer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

data "aws_iam_policy_document" "consumer" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:*:*:log-group:/aws/lambda/consumer:*"]
  }

  dynamic "statement" {
    for_each = var.extra_statements
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "consumer" {
  role   = aws_iam_role.consumer.id
  policy = data.aws_iam_policy_document.consumer.json
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "LATEST"
  depends_on        = [aws_iam_role_policy.consumer]
}

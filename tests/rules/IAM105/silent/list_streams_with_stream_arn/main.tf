# dynamodb:ListStreams listed with the stream ARN, as AWS's Lambda developer guide writes it.
resource "aws_dynamodb_table" "t" {
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

resource "aws_iam_policy" "p" {
  name = "orders-stream"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "dynamodb:DescribeStream",
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:ListStreams",
        ]
        Resource = aws_dynamodb_table.t.stream_arn
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:ListStreams"]
        Resource = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/*"
      },
    ]
  })
}

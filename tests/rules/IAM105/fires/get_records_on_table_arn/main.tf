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
  name = "orders"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: IAM105
        Effect   = "Allow"
        Action   = ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]
        Resource = aws_dynamodb_table.t.arn
      },
    ]
  })
}

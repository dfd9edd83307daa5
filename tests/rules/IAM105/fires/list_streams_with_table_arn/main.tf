# dynamodb:ListStreams only accepts "*"; AWS documents it with the stream ARN, but never with the table ARN.
resource "aws_dynamodb_table" "t" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
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
        Action   = ["dynamodb:GetItem", "dynamodb:ListStreams"]
        Resource = aws_dynamodb_table.t.arn
      },
    ]
  })
}

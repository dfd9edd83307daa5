# Partial knowledge still counts: the table's name is unknown, but its arn is a table ARN, and GetRecords acts
# on a stream.
variable "table_name" {
  type = string
}

resource "aws_dynamodb_table" "t" {
  name         = var.table_name
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
        Action   = ["dynamodb:GetRecords"]
        Resource = aws_dynamodb_table.t.arn
      },
    ]
  })
}

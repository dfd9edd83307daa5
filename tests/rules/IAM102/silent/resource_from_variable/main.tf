variable "table_arn" {
  description = "ARN of the table the function writes to (no default: unknown when scanned)."
  type        = string
}

resource "aws_iam_policy" "p" {
  name = "orders"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem"]
        Resource = var.table_arn
      },
    ]
  })
}

resource "aws_iam_policy" "p" {
  name = "reads"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      },
    ]
  })
}

resource "aws_iam_policy" "p" {
  name = "everything"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: IAM101 severity=error address=aws_iam_policy.p
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
      { # expect: IAM101 severity=error
        Effect   = "Allow"
        Action   = ["dynamodb:*"]
        Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      },
    ]
  })
}

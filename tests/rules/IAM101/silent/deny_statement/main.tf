resource "aws_iam_policy" "p" {
  name = "guard"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Deny"
        Action   = ["dynamodb:Delete*", "dynamodb:*Table"]
        Resource = "*"
      },
    ]
  })
}

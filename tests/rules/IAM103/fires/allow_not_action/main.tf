resource "aws_iam_policy" "p" {
  name = "all-but-iam"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: IAM103 address=aws_iam_policy.p severity=warning
        Effect    = "Allow"
        NotAction = ["iam:*"]
        Resource  = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
      },
    ]
  })
}

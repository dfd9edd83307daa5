variable "name" {
  description = "Policy name."
  type        = string
  default     = "p"
}

resource "aws_iam_policy" "p" {
  name = var.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: IAM101 address=module.a.aws_iam_policy.p; IAM101 address=module.b.aws_iam_policy.p
        Effect   = "Allow"
        Action   = "dynamodb:*"
        Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/${var.name}"
      },
    ]
  })
}

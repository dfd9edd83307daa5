# Wildcards on services other than DynamoDB: the fix text names the service in question.
resource "aws_iam_policy" "p" {
  name = "search"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: IAM101
        Effect   = "Allow"
        Action   = "es:*"
        Resource = "arn:aws:es:eu-west-1:123456789012:domain/search/*"
      },
      { # expect: IAM101
        Effect   = "Allow"
        Action   = ["kms:*"]
        Resource = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      },
      { # expect: IAM101
        Effect   = "Allow"
        Action   = ["glue:*"]
        Resource = "arn:aws:glue:eu-west-1:123456789012:catalog"
      },
    ]
  })
}

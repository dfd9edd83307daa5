resource "aws_iam_role" "r" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "lambda.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
      {
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "sts:TagSession"
      },
    ]
  })
}

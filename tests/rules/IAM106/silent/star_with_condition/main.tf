resource "aws_iam_role" "r" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
      },
    ]
  })
}

resource "aws_iam_role" "r" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })

  inline_policy {
    name = "tables"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: IAM103 address=aws_iam_role.r
          Effect      = "Allow"
          Action      = ["dynamodb:GetItem"]
          NotResource = ["arn:aws:dynamodb:us-east-1:123456789012:table/secrets"]
        },
      ]
    })
  }
}

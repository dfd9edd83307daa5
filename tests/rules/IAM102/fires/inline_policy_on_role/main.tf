resource "aws_iam_role" "r" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })

  inline_policy {
    name = "queue"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: IAM102 address=aws_iam_role.r
          Effect   = "Allow"
          Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
          Resource = "*"
        },
      ]
    })
  }
}

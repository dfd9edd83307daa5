resource "aws_iam_role" "r" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = file("${path.module}/policy.json") # expect: IAM102 address=aws_iam_role_policy.p
}

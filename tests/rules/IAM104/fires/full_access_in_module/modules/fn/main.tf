variable "name" {
  description = "Function name."
  type        = string
  default     = "fn"
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "lambda" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/AWSLambda_FullAccess" # expect: IAM104 address=module.a.aws_iam_role_policy_attachment.lambda; IAM104 address=module.b.aws_iam_role_policy_attachment.lambda
}

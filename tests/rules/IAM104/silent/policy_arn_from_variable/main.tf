variable "extra_policy_arn" {
  description = "A policy ARN passed in by the caller (unknown when scanned)."
  type        = string
}

resource "aws_iam_role" "r" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "extra" {
  role       = aws_iam_role.r.name
  policy_arn = var.extra_policy_arn
}

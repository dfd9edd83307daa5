# ARNs that cannot be known statically are unknown, never invalid: a variable, a data source attribute, the
# ARN of a resource type whose ARN format is not known, an unknown inside a template.
variable "table_arn" {
  type = string
}

variable "queue_arns" {
  type = list(string)
}

data "aws_kms_alias" "k" {
  name = "alias/orders"
}

resource "aws_ssm_parameter" "p" {
  name  = "/orders/endpoint"
  type  = "String"
  value = "https://example.com"
}

resource "aws_secretsmanager_secret" "s" {
  name = "orders"
}

resource "aws_iam_policy" "p" {
  name = "orders"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = ["${var.table_arn}/index/*", var.table_arn]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = data.aws_kms_alias.k.target_key_arn
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "secretsmanager:GetSecretValue"]
        Resource = [aws_ssm_parameter.p.arn, aws_secretsmanager_secret.s.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = var.queue_arns
      },
    ]
  })
}

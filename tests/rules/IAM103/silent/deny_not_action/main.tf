data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["dynamodb:GetItem"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
  statement {
    effect      = "Deny"
    not_actions = ["dynamodb:GetItem", "dynamodb:Query"]
    resources   = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "reads-only"
  policy = data.aws_iam_policy_document.p.json
}

resource "aws_iam_policy" "q" {
  name = "reads-only-json"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        NotAction = ["dynamodb:GetItem"]
        Resource  = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "p" {
  statement { # expect: IAM105 address=data.aws_iam_policy_document.p
    actions   = ["dynamodb:Scan", "dynamodb:QueryItems"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "doc"
  policy = data.aws_iam_policy_document.p.json
}

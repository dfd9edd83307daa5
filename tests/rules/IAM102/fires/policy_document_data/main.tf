data "aws_iam_policy_document" "p" {
  statement { # expect: IAM102 address=data.aws_iam_policy_document.p
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "doc"
  policy = data.aws_iam_policy_document.p.json
}

data "aws_iam_policy_document" "p" {
  statement { # expect: IAM101 address=data.aws_iam_policy_document.p
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::orders-bucket/*"]
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::orders-bucket/*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "doc"
  policy = data.aws_iam_policy_document.p.json
}

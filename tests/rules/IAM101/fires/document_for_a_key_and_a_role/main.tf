# The same document is a key policy and, through aws_iam_policy, an identity policy: it is checked as one.
data "aws_iam_policy_document" "shared" {
  statement { # expect: IAM101 address=data.aws_iam_policy_document.shared
    actions   = ["kms:*"]
    resources = ["*"]
  }
}

resource "aws_kms_key" "orders" {
  description = "orders table"
  policy      = data.aws_iam_policy_document.shared.json
}

resource "aws_iam_policy" "shared" {
  name   = "shared"
  policy = data.aws_iam_policy_document.shared.json
}

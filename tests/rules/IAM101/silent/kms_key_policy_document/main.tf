data "aws_caller_identity" "current" {}

# AWS's default key policy: the account root gets kms:* on "*", where "*" means this key. A key policy is a
# resource-based policy, not an identity policy.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "EnableRootPermissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "orders" {
  description = "orders table"
  policy      = data.aws_iam_policy_document.key.json
}

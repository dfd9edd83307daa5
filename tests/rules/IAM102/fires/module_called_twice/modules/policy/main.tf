variable "name" {
  description = "Policy name."
  type        = string
  default     = "p"
}

data "aws_iam_policy_document" "p" {
  statement { # expect: IAM102 address=module.a.data.aws_iam_policy_document.p; IAM102 address=module.b.data.aws_iam_policy_document.p
    actions   = ["dynamodb:PutItem"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = var.name
  policy = data.aws_iam_policy_document.p.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_iam_role" "r" {
  name               = "fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json # expect: IAM106 address=aws_iam_role.r
}

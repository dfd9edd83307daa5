resource "aws_iam_policy" "p" {
  name   = "from-file"
  policy = file("${path.module}/policy.json") # expect: IAM101 address=aws_iam_policy.p
}

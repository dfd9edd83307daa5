# The policy file was saved on Windows: a UTF-8 byte order mark and CRLF line endings are normal input.
resource "aws_iam_policy" "p" {
  name   = "worker"
  policy = file("${path.module}/policy.json") # expect: IAM101
}

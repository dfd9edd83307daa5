resource "aws_iam_policy" "reader" {
  name   = "reader"
  policy = file("${path.module}/reader.json")
}

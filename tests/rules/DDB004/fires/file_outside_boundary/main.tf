resource "aws_iam_policy" "reader" {
  name   = "reader"
  policy = file("../../../../../../outside-the-boundary.json") # expect: DDB004
}

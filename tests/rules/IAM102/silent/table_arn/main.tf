resource "aws_dynamodb_table" "t" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.t.arn, "${aws_dynamodb_table.t.arn}/index/*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "orders"
  policy = data.aws_iam_policy_document.p.json
}

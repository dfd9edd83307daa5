resource "aws_dynamodb_table" "t" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]
    resources = [aws_dynamodb_table.t.stream_arn]
  }
  statement {
    actions   = ["dynamodb:ListStreams"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "stream"
  policy = data.aws_iam_policy_document.p.json
}

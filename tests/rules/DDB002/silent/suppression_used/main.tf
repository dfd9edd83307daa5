resource "aws_dynamodb_table" "cache" {
  # ddblint:ignore[OPS601] a cache rebuilt from the source of truth: nothing to restore
  name         = "cache"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

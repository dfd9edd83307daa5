variable "billing_mode" {
  type = string
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = var.billing_mode
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

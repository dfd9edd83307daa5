resource "aws_dynamodb_table" "orders" {
  name           = "orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "this" {
  for_each = {
    read  = "dynamodb:table:ReadCapacityUnits"
    write = "dynamodb:table:WriteCapacityUnits"
  }

  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.orders.name}"
  scalable_dimension = each.value
  min_capacity       = 5
  max_capacity       = 100
}

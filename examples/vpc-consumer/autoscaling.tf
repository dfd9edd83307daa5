# Target tracking on the carts table's read and write capacity.
resource "aws_appautoscaling_target" "carts" {
  for_each = {
    read  = "dynamodb:table:ReadCapacityUnits"
    write = "dynamodb:table:WriteCapacityUnits"
  }

  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.carts.name}"
  scalable_dimension = each.value
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "carts" {
  for_each = aws_appautoscaling_target.carts

  name               = "${var.name_prefix}-carts-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70

    predefined_metric_specification {
      predefined_metric_type = each.key == "read" ? "DynamoDBReadCapacityUtilization" : "DynamoDBWriteCapacityUtilization"
    }
  }
}

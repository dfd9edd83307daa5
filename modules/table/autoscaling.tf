# Read and write target tracking for a PROVISIONED table and each of its GSIs.

locals {
  autoscaling = var.create && local.provisioned && var.autoscaling_enabled

  # One entry per scalable dimension: the table itself ("table") and every GSI ("index/<name>").
  scaling_targets = local.autoscaling ? merge(
    {
      "table:read"  = { resource_id = "table/${var.name}", dimension = "dynamodb:table:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", settings = var.autoscaling_read }
      "table:write" = { resource_id = "table/${var.name}", dimension = "dynamodb:table:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", settings = var.autoscaling_write }
    },
    merge([
      for g in var.global_secondary_indexes : {
        "index/${g.name}:read"  = { resource_id = "table/${var.name}/index/${g.name}", dimension = "dynamodb:index:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", settings = var.autoscaling_read }
        "index/${g.name}:write" = { resource_id = "table/${var.name}/index/${g.name}", dimension = "dynamodb:index:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", settings = var.autoscaling_write }
      }
    ]...)
  ) : {}
}

resource "aws_appautoscaling_target" "this" {
  for_each = local.scaling_targets

  service_namespace  = "dynamodb"
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.dimension
  min_capacity       = each.value.settings.min_capacity
  max_capacity       = each.value.settings.max_capacity

  tags = var.tags

  depends_on = [aws_dynamodb_table.this]
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.scaling_targets

  name               = "${replace(each.value.resource_id, "/", "-")}-${each.value.metric}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.settings.target_value
    scale_in_cooldown  = each.value.settings.scale_in_cooldown
    scale_out_cooldown = each.value.settings.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}

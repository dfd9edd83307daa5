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

  depends_on = [aws_dynamodb_table.autoscaled]
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

# The autoscaled table ignores its global_secondary_index blocks (their capacity is autoscaling's), so an
# index added, removed or changed in global_secondary_indexes would silently not be applied. Say so.
check "autoscaled_table_indexes" {
  assert {
    condition = length(aws_dynamodb_table.autoscaled) == 0 ? true : (
      { for g in aws_dynamodb_table.autoscaled[0].global_secondary_index :
        g.name => join(" ", [g.hash_key, coalesce(g.range_key, "-"), g.projection_type, join(",", sort(coalesce(g.non_key_attributes, [])))])
      } ==
      { for g in var.global_secondary_indexes :
        g.name => join(" ", [g.hash_key, coalesce(g.range_key, "-"), g.projection_type, join(",", sort(coalesce(g.non_key_attributes, [])))])
      }
    )
    error_message = "global_secondary_indexes differ from the indexes of the autoscaled table ${var.name}, and Terraform does not apply index changes to an autoscaled table. Switch it to fixed capacity, apply the index change, and switch back (modules/table/README.md, \"Changing the indexes of an autoscaled table\")."
  }
}

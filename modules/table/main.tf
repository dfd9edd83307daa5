locals {
  provisioned = var.billing_mode == "PROVISIONED"

  # The table's resource, whichever of the two holds it (an empty list when create = false).
  table = local.autoscaling ? aws_dynamodb_table.autoscaled : aws_dynamodb_table.this
}

# Two resources for one table, because Terraform takes no expression in ignore_changes: "this" holds an
# on-demand table or a provisioned one with fixed capacity, whose capacity changes are applied;
# "autoscaled" (autoscaling.tf) holds a provisioned table whose capacity Application Auto Scaling owns.
# Keep their arguments identical; tests/modules/test_tf_modules.py checks that they are. Switching a
# table between them is a state move, see README.md.

resource "aws_dynamodb_table" "this" {
  count = var.create && !local.autoscaling ? 1 : 0

  name                        = var.name
  billing_mode                = var.billing_mode
  read_capacity               = local.provisioned ? var.read_capacity : null
  write_capacity              = local.provisioned ? var.write_capacity : null
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  table_class                 = var.table_class
  deletion_protection_enabled = var.deletion_protection_enabled
  stream_enabled              = var.stream_enabled
  stream_view_type            = var.stream_enabled ? var.stream_view_type : null

  dynamic "attribute" {
    for_each = var.attributes

    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes

    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.non_key_attributes
      read_capacity      = local.provisioned ? coalesce(global_secondary_index.value.read_capacity, var.read_capacity) : null
      write_capacity     = local.provisioned ? coalesce(global_secondary_index.value.write_capacity, var.write_capacity) : null
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.server_side_encryption_kms_key_arn
  }

  # Always present: the provider ignores a removed ttl block and leaves TTL as it was. Disabling sends
  # attribute_name to UpdateTimeToLive, which AWS requires; DescribeTimeToLive then omits it and the
  # provider suppresses that difference.
  ttl {
    enabled        = var.ttl_enabled && var.ttl_attribute_name != null
    attribute_name = var.ttl_attribute_name
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !var.stream_enabled || var.stream_view_type != null
      error_message = "Set stream_view_type (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES) when stream_enabled is true."
    }

    precondition {
      condition = alltrue([
        for key in compact(concat([var.hash_key, var.range_key], flatten([for g in var.global_secondary_indexes : [g.hash_key, g.range_key]]))) :
        contains([for a in var.attributes : a.name], key)
      ])
      error_message = "Declare every key of the table and its GSIs in attributes."
    }
  }
}

resource "aws_dynamodb_table" "autoscaled" {
  count = local.autoscaling ? 1 : 0

  name                        = var.name
  billing_mode                = var.billing_mode
  read_capacity               = local.provisioned ? var.read_capacity : null
  write_capacity              = local.provisioned ? var.write_capacity : null
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  table_class                 = var.table_class
  deletion_protection_enabled = var.deletion_protection_enabled
  stream_enabled              = var.stream_enabled
  stream_view_type            = var.stream_enabled ? var.stream_view_type : null

  dynamic "attribute" {
    for_each = var.attributes

    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes

    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.non_key_attributes
      read_capacity      = local.provisioned ? coalesce(global_secondary_index.value.read_capacity, var.read_capacity) : null
      write_capacity     = local.provisioned ? coalesce(global_secondary_index.value.write_capacity, var.write_capacity) : null
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.server_side_encryption_kms_key_arn
  }

  # Always present: the provider ignores a removed ttl block and leaves TTL as it was. Disabling sends
  # attribute_name to UpdateTimeToLive, which AWS requires; DescribeTimeToLive then omits it and the
  # provider suppresses that difference.
  ttl {
    enabled        = var.ttl_enabled && var.ttl_attribute_name != null
    attribute_name = var.ttl_attribute_name
  }

  tags = var.tags

  lifecycle {
    # Application Auto Scaling moves the capacity of the table and of every GSI; a GSI's capacity lives
    # inside its global_secondary_index block, so the whole set is ignored (see README.md for GSI changes).
    ignore_changes = [read_capacity, write_capacity, global_secondary_index]

    precondition {
      condition     = !var.stream_enabled || var.stream_view_type != null
      error_message = "Set stream_view_type (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES) when stream_enabled is true."
    }

    precondition {
      condition = alltrue([
        for key in compact(concat([var.hash_key, var.range_key], flatten([for g in var.global_secondary_indexes : [g.hash_key, g.range_key]]))) :
        contains([for a in var.attributes : a.name], key)
      ])
      error_message = "Declare every key of the table and its GSIs in attributes."
    }
  }
}

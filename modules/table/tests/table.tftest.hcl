mock_provider "aws" {}

variables {
  name     = "orders"
  hash_key = "pk"
  attributes = [
    { name = "pk", type = "S" },
  ]
}

run "defaults_are_safe" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this[0].billing_mode == "PAY_PER_REQUEST"
    error_message = "billing_mode must default to PAY_PER_REQUEST."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].point_in_time_recovery[0].enabled == true
    error_message = "Point-in-time recovery must be on by default."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].server_side_encryption[0].enabled == true
    error_message = "Server-side encryption must be on (AWS managed key) by default."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].deletion_protection_enabled == true
    error_message = "Deletion protection must be on by default."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].stream_enabled == false
    error_message = "The stream must be off unless asked for."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].ttl[0].enabled == false && aws_dynamodb_table.this[0].ttl[0].attribute_name == null
    error_message = "TTL must be off (an explicit ttl block with enabled = false) unless ttl_attribute_name is set."
  }

  assert {
    condition     = length(aws_dynamodb_table.autoscaled) == 0
    error_message = "An on-demand table is held by aws_dynamodb_table.this, not the autoscaled resource."
  }

  assert {
    condition     = length(aws_appautoscaling_target.this) == 0 && length(aws_appautoscaling_policy.this) == 0
    error_message = "An on-demand table has no autoscaling."
  }
}

run "stream_ttl_and_cmk" {
  command = plan

  variables {
    range_key                          = "sk"
    attributes                         = [{ name = "pk", type = "S" }, { name = "sk", type = "S" }]
    stream_enabled                     = true
    stream_view_type                   = "NEW_AND_OLD_IMAGES"
    ttl_attribute_name                 = "expires_at"
    server_side_encryption_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = aws_dynamodb_table.this[0].stream_enabled && aws_dynamodb_table.this[0].stream_view_type == "NEW_AND_OLD_IMAGES"
    error_message = "The stream must be on with the given view type."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].ttl[0].enabled && aws_dynamodb_table.this[0].ttl[0].attribute_name == "expires_at"
    error_message = "TTL must use ttl_attribute_name."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "The CMK must be used for server-side encryption."
  }

  assert {
    condition     = aws_dynamodb_table.this[0].range_key == "sk"
    error_message = "range_key must be set."
  }
}

run "stream_requires_view_type" {
  command = plan

  variables {
    stream_enabled = true
  }

  expect_failures = [aws_dynamodb_table.this]
}

run "rejects_unknown_view_type" {
  command = plan

  variables {
    stream_enabled   = true
    stream_view_type = "EVERYTHING"
  }

  expect_failures = [var.stream_view_type]
}

run "rejects_unknown_billing_mode" {
  command = plan

  variables {
    billing_mode = "ON_DEMAND"
  }

  expect_failures = [var.billing_mode]
}

run "rejects_undeclared_key" {
  command = plan

  variables {
    range_key = "sk"
  }

  expect_failures = [aws_dynamodb_table.this]
}

run "provisioned_gets_autoscaling_for_table_and_gsis" {
  command = plan

  variables {
    billing_mode = "PROVISIONED"
    attributes   = [{ name = "pk", type = "S" }, { name = "gsi1pk", type = "S" }]
    global_secondary_indexes = [
      { name = "gsi1", hash_key = "gsi1pk" },
    ]
  }

  assert {
    condition     = length(aws_dynamodb_table.this) == 0 && length(aws_dynamodb_table.autoscaled) == 1
    error_message = "An autoscaled table is held by aws_dynamodb_table.autoscaled, whose capacity changes are ignored."
  }

  assert {
    condition     = aws_dynamodb_table.autoscaled[0].read_capacity == 5 && aws_dynamodb_table.autoscaled[0].write_capacity == 5
    error_message = "A provisioned table starts at read/write_capacity."
  }

  assert {
    condition     = output.name == "orders"
    error_message = "The outputs must come from the autoscaled table."
  }

  assert {
    condition = toset(keys(aws_appautoscaling_target.this)) == toset([
      "table:read", "table:write", "index/gsi1:read", "index/gsi1:write",
    ])
    error_message = "Read and write targets must exist for the table and every GSI."
  }

  assert {
    condition     = aws_appautoscaling_target.this["index/gsi1:write"].scalable_dimension == "dynamodb:index:WriteCapacityUnits" && aws_appautoscaling_target.this["index/gsi1:write"].resource_id == "table/orders/index/gsi1"
    error_message = "The GSI write target must scale the index's write capacity."
  }

  assert {
    condition     = aws_appautoscaling_target.this["table:read"].min_capacity == 5 && aws_appautoscaling_target.this["table:read"].max_capacity == 100
    error_message = "Default read capacity range is 5-100."
  }

  assert {
    condition = alltrue([
      for k, p in aws_appautoscaling_policy.this : p.policy_type == "TargetTrackingScaling" &&
      p.target_tracking_scaling_policy_configuration[0].target_value == 70
    ])
    error_message = "Every target needs a target-tracking policy at 70 %."
  }

  assert {
    condition     = aws_appautoscaling_policy.this["table:write"].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "DynamoDBWriteCapacityUtilization"
    error_message = "The write policy must track write utilisation."
  }
}

run "autoscaling_can_be_turned_off" {
  command = plan

  variables {
    billing_mode        = "PROVISIONED"
    autoscaling_enabled = false
  }

  assert {
    condition     = length(aws_appautoscaling_target.this) == 0
    error_message = "autoscaling_enabled = false must create no targets."
  }

  assert {
    condition     = length(aws_dynamodb_table.autoscaled) == 0 && aws_dynamodb_table.this[0].read_capacity == 5
    error_message = "A fixed-capacity table is held by aws_dynamodb_table.this, whose capacity changes are applied."
  }
}

run "ttl_enabled_false_keeps_the_attribute_name" {
  command = plan

  variables {
    ttl_attribute_name = "expires_at"
    ttl_enabled        = false
  }

  assert {
    condition     = aws_dynamodb_table.this[0].ttl[0].enabled == false && aws_dynamodb_table.this[0].ttl[0].attribute_name == "expires_at"
    error_message = "Turning TTL off must keep attribute_name: AWS needs it to disable TTL."
  }
}

run "autoscaled_table_applied" {
  variables {
    billing_mode = "PROVISIONED"
    attributes   = [{ name = "pk", type = "S" }, { name = "gsi1pk", type = "S" }]
    global_secondary_indexes = [
      { name = "gsi1", hash_key = "gsi1pk" },
    ]
  }

  assert {
    condition     = output.arn == aws_dynamodb_table.autoscaled[0].arn && output.arn != ""
    error_message = "The outputs must come from the autoscaled table."
  }
}

run "index_change_on_autoscaled_table_warns" {
  command = plan

  variables {
    billing_mode = "PROVISIONED"
    attributes   = [{ name = "pk", type = "S" }, { name = "gsi1pk", type = "S" }]
    global_secondary_indexes = [
      { name = "gsi1", hash_key = "gsi1pk" },
      { name = "gsi2", hash_key = "gsi1pk", projection_type = "KEYS_ONLY" },
    ]
  }

  expect_failures = [check.autoscaled_table_indexes]
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_dynamodb_table.this) == 0 && output.arn == ""
    error_message = "create = false must create nothing."
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Example   = "ddblint/complete"
      ManagedBy = "terraform"
    }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  package_path = coalesce(var.package_path, "${path.module}/build/handler.zip")
}

module "network" {
  source = "../../modules/network"

  name     = var.name_prefix
  azs      = slice(data.aws_availability_zones.available.names, 0, 2)
  nat_mode = var.nat_mode

  # The gateway endpoint only lets the function reach the stack's own tables.
  dynamodb_endpoint_policy_table_arns = [module.orders_table.arn, module.audit_table.arn]
}

# Source table: every change to an order goes to its stream.
module "orders_table" {
  source = "../../modules/table"

  name             = "${var.name_prefix}-orders"
  hash_key         = "pk"
  range_key        = "sk"
  attributes       = [{ name = "pk", type = "S" }, { name = "sk", type = "S" }]
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  deletion_protection_enabled = var.deletion_protection_enabled
}

# The function writes one item per change here.
module "audit_table" {
  source = "../../modules/table"

  name               = "${var.name_prefix}-audit"
  hash_key           = "pk"
  range_key          = "sk"
  attributes         = [{ name = "pk", type = "S" }, { name = "sk", type = "S" }]
  ttl_attribute_name = "expires_at"

  deletion_protection_enabled = var.deletion_protection_enabled
}

module "consumer_function" {
  source = "../../modules/function"

  function_name    = "${var.name_prefix}-orders-consumer"
  description      = "Audits every change of the orders table"
  filename         = local.package_path
  source_code_hash = filebase64sha256(local.package_path)
  handler          = "handler.handler"
  runtime          = "python3.12"
  timeout          = 30 # the handler's DynamoDB client needs at most 24 s (src/handler.py)
  memory_size      = 256

  environment_variables = {
    AUDIT_TABLE_NAME = module.audit_table.name
  }

  vpc_config = {
    subnet_ids         = module.network.private_subnet_ids
    security_group_ids = [module.network.function_security_group_id]
  }

  policy_statements = [
    {
      sid       = "WriteAudit"
      actions   = ["dynamodb:PutItem"]
      resources = [module.audit_table.arn]
    },
  ]
}

module "orders_stream" {
  source = "../../modules/stream-consumer"

  function_name       = module.consumer_function.function_name
  function_role_name  = module.consumer_function.role_name
  event_source_arn    = module.orders_table.stream_arn
  starting_position   = "TRIM_HORIZON"
  alarm_sns_topic_arn = var.alarm_sns_topic_arn

  # Audit inserts and updates of orders, not deletions.
  filter_criteria = [jsonencode({ eventName = ["INSERT", "MODIFY"] })]
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "private_route_table_ids" {
  description = "Private route tables, each with the DynamoDB gateway endpoint."
  value       = module.network.private_route_table_ids
}

output "dynamodb_endpoint_id" {
  description = "ID of the DynamoDB gateway endpoint."
  value       = module.network.dynamodb_endpoint_id
}

output "function_security_group_id" {
  description = "Security group of the function."
  value       = module.network.function_security_group_id
}

output "orders_table_name" {
  description = "Name of the orders table (the stream source)."
  value       = module.orders_table.name
}

output "orders_stream_arn" {
  description = "ARN of the orders table's stream."
  value       = module.orders_table.stream_arn
}

output "audit_table_name" {
  description = "Name of the audit table the function writes to."
  value       = module.audit_table.name
}

output "function_name" {
  description = "Name of the consumer function."
  value       = module.consumer_function.function_name
}

output "function_role_name" {
  description = "Name of the consumer function's role."
  value       = module.consumer_function.role_name
}

output "event_source_mapping_uuid" {
  description = "UUID of the stream mapping."
  value       = module.orders_stream.event_source_mapping_uuid
}

output "on_failure_queue_url" {
  description = "URL of the queue that receives batches the function could not process."
  value       = module.orders_stream.on_failure_queue_url
}

output "on_failure_destination_arn" {
  description = "ARN of the on-failure destination of the mapping."
  value       = module.orders_stream.on_failure_destination_arn
}

output "function_name" {
  description = "Name of the orders API function."
  value       = aws_lambda_function.api.function_name
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.api.name
}

output "table_name" {
  description = "Name of the orders table."
  value       = aws_dynamodb_table.orders.name
}

output "queue_url" {
  description = "URL of the queue the function announces orders on."
  value       = aws_sqs_queue.order_events.url
}

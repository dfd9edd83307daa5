output "function_name" {
  description = "Name of the function."
  value       = try(aws_lambda_function.this[0].function_name, "")
}

output "function_arn" {
  description = "ARN of the function."
  value       = try(aws_lambda_function.this[0].arn, "")
}

output "invoke_arn" {
  description = "ARN for invoking the function from API Gateway."
  value       = try(aws_lambda_function.this[0].invoke_arn, "")
}

output "qualified_arn" {
  description = "ARN of the function including its version (when publish is true)."
  value       = try(aws_lambda_function.this[0].qualified_arn, "")
}

output "timeout" {
  description = "Timeout of the function in seconds."
  value       = var.timeout
}

output "role_name" {
  description = "Name of the created execution role (attach further policies to it, e.g. from the stream-consumer module); empty when create_role is false."
  value       = try(aws_iam_role.this[0].name, "")
}

output "role_arn" {
  description = "ARN of the execution role (created or given)."
  value       = var.create_role ? try(aws_iam_role.this[0].arn, "") : var.role_arn
}

output "role_policy" {
  description = "The role's inline policy document (JSON)."
  value       = try(aws_iam_role_policy.this[0].policy, "")
}

output "log_group_name" {
  description = "Name of the function's log group, /aws/lambda/<name>."
  value       = try(aws_cloudwatch_log_group.this[0].name, "")
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = try(aws_cloudwatch_log_group.this[0].arn, "")
}

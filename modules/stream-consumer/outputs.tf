output "event_source_mapping_uuid" {
  description = "UUID of the event source mapping."
  value       = try(aws_lambda_event_source_mapping.this[0].uuid, "")
}

output "event_source_mapping_arn" {
  description = "ARN of the event source mapping."
  value       = try(aws_lambda_event_source_mapping.this[0].arn, "")
}

output "on_failure_destination_arn" {
  description = "ARN of the on-failure destination (the created queue or the given one)."
  value       = local.on_failure_arn
}

output "on_failure_queue_url" {
  description = "URL of the created failure queue; empty when on_failure_destination was given."
  value       = try(aws_sqs_queue.on_failure[0].url, "")
}

output "on_failure_queue_name" {
  description = "Name of the failure queue (created or given); null for an SNS destination."
  value       = local.on_failure_queue_name
}

output "role_policy" {
  description = "The stream-consumer policy document (JSON) attached to the function's role."
  value       = try(aws_iam_role_policy.this[0].policy, "")
}

output "alarm_arns" {
  description = "ARNs of the alarms keyed by iterator_age, errors, throttles and on_failure_queue."
  value = merge(
    { for k, a in aws_cloudwatch_metric_alarm.function : k => a.arn },
    { for a in aws_cloudwatch_metric_alarm.on_failure_queue : "on_failure_queue" => a.arn }
  )
}

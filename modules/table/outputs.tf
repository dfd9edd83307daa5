output "arn" {
  description = "ARN of the table."
  value       = try(local.table[0].arn, "")
}

output "name" {
  description = "Name of the table."
  value       = try(local.table[0].name, "")
}

output "id" {
  description = "ID of the table (its name)."
  value       = try(local.table[0].id, "")
}

output "hash_key" {
  description = "Partition key attribute name."
  value       = var.hash_key
}

output "range_key" {
  description = "Sort key attribute name, or null."
  value       = var.range_key
}

output "stream_arn" {
  description = "ARN of the table's stream; empty when the stream is off."
  value       = try(local.table[0].stream_arn, "")
}

output "stream_label" {
  description = "Timestamp label of the table's stream; empty when the stream is off."
  value       = try(local.table[0].stream_label, "")
}

output "autoscaling_target_ids" {
  description = "Autoscaling target IDs keyed by \"table:read\", \"table:write\", \"index/<gsi>:read\", ...; empty unless PROVISIONED."
  value       = { for k, t in aws_appautoscaling_target.this : k => t.id }
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = try(aws_vpc.this[0].id, "")
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC."
  value       = try(aws_vpc.this[0].cidr_block, "")
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in the order of azs (give these to a function's vpc_config)."
  value       = aws_subnet.private[*].id
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, in the order of azs."
  value       = aws_route_table.private[*].id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets; empty when nat_mode is none."
  value       = aws_subnet.public[*].id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways; empty when nat_mode is none."
  value       = aws_nat_gateway.this[*].id
}

output "dynamodb_endpoint_id" {
  description = "ID of the DynamoDB gateway endpoint; empty when disabled."
  value       = try(aws_vpc_endpoint.dynamodb[0].id, "")
}

output "dynamodb_prefix_list_id" {
  description = "ID of the DynamoDB prefix list (the gateway endpoint's destination); empty when disabled."
  value       = try(aws_vpc_endpoint.dynamodb[0].prefix_list_id, "")
}

output "s3_endpoint_id" {
  description = "ID of the S3 gateway endpoint; empty when disabled."
  value       = try(aws_vpc_endpoint.s3[0].id, "")
}

output "interface_endpoint_ids" {
  description = "IDs of the interface endpoints keyed by service."
  value       = { for k, e in aws_vpc_endpoint.interface : k => e.id }
}

output "function_security_group_id" {
  description = "ID of the security group for functions: HTTPS egress to DynamoDB, S3, the interface endpoints and (with NAT) anywhere."
  value       = try(aws_security_group.function[0].id, "")
}

output "endpoints_security_group_id" {
  description = "ID of the interface endpoints' security group; empty without interface endpoints."
  value       = try(aws_security_group.endpoints[0].id, "")
}

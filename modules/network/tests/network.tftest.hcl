mock_provider "aws" {
  override_data {
    target = data.aws_region.current
    values = { id = "eu-west-1" }
  }

  override_resource {
    target          = aws_vpc_endpoint.dynamodb
    override_during = plan
    values          = { prefix_list_id = "pl-dynamodb" }
  }

  override_resource {
    target          = aws_vpc_endpoint.s3
    override_during = plan
    values          = { prefix_list_id = "pl-s3" }
  }

  override_resource {
    target          = aws_security_group.endpoints
    override_during = plan
    values          = { id = "sg-endpoints" }
  }
}

variables {
  name = "orders"
  azs  = ["eu-west-1a", "eu-west-1b"]
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_vpc.this[0].enable_dns_support && aws_vpc.this[0].enable_dns_hostnames
    error_message = "DNS support and hostnames must be on."
  }

  assert {
    condition     = [for s in aws_subnet.private : s.cidr_block] == ["10.0.0.0/24", "10.0.1.0/24"] && [for s in aws_subnet.private : s.availability_zone] == ["eu-west-1a", "eu-west-1b"]
    error_message = "One private subnet per zone with derived CIDRs."
  }

  assert {
    condition     = length(aws_route_table.private) == 2 && length(aws_route_table_association.private) == 2
    error_message = "One private route table per zone, associated."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_internet_gateway.this) == 0 && length(aws_subnet.public) == 0 && length(aws_route.private_nat) == 0
    error_message = "No NAT, internet gateway or public subnets by default."
  }

  assert {
    condition = (
      aws_vpc_endpoint.dynamodb[0].service_name == "com.amazonaws.eu-west-1.dynamodb" &&
      aws_vpc_endpoint.dynamodb[0].vpc_endpoint_type == "Gateway"
    )
    error_message = "A DynamoDB gateway endpoint must exist (its route tables are checked against moto)."
  }

  assert {
    condition     = aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.eu-west-1.s3" && aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway"
    error_message = "An S3 gateway endpoint must be on both private route tables."
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_security_group.endpoints) == 0
    error_message = "No interface endpoints by default."
  }

  assert {
    condition = (
      length(aws_security_group.function[0].egress) == 2 &&
      alltrue([for e in aws_security_group.function[0].egress : e.from_port == 443 && e.to_port == 443 && e.protocol == "tcp" && try(length(e.cidr_blocks), 0) == 0 && try(length(e.security_groups), 0) == 0]) &&
      toset(flatten([for e in aws_security_group.function[0].egress : e.prefix_list_ids])) == toset(["pl-dynamodb", "pl-s3"])
    )
    error_message = "The function security group must allow only HTTPS to the DynamoDB and S3 prefix lists."
  }
}

run "endpoint_policy_limited_to_tables" {
  command = plan

  variables {
    dynamodb_endpoint_policy_table_arns = ["arn:aws:dynamodb:eu-west-1:111122223333:table/orders"]
  }

  assert {
    condition = jsondecode(aws_vpc_endpoint.dynamodb[0].policy).Statement[0].Resource == [
      "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/*",
    ]
    error_message = "The endpoint policy must be limited to the given tables and their indexes."
  }

  assert {
    condition = (
      jsondecode(aws_vpc_endpoint.dynamodb[0].policy).Statement[0].Effect == "Allow" &&
      contains(jsondecode(aws_vpc_endpoint.dynamodb[0].policy).Statement[0].Action, "dynamodb:PutItem") &&
      !contains(jsondecode(aws_vpc_endpoint.dynamodb[0].policy).Statement[0].Action, "dynamodb:*")
    )
    error_message = "The endpoint policy must list table actions, without wildcards."
  }
}

run "single_nat" {
  command = plan

  variables {
    nat_mode = "single"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_eip.nat) == 1 && length(aws_internet_gateway.this) == 1 && length(aws_subnet.public) == 2
    error_message = "single NAT: one NAT gateway, one EIP, an internet gateway and public subnets."
  }

  assert {
    condition     = length(aws_route.private_nat) == 2 && alltrue([for r in aws_route.private_nat : r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "Every private route table must route 0.0.0.0/0 to the NAT gateway."
  }

  assert {
    condition     = length([for e in aws_security_group.function[0].egress : e if e.cidr_blocks == tolist(["0.0.0.0/0"]) && e.from_port == 443 && e.to_port == 443 && e.protocol == "tcp"]) == 1
    error_message = "With NAT, functions may send HTTPS anywhere."
  }
}

run "per_az_nat" {
  command = plan

  variables {
    nat_mode = "per_az"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 2 && length(aws_eip.nat) == 2
    error_message = "per_az NAT: one NAT gateway per zone."
  }
}

run "rejects_unknown_nat_mode" {
  command = plan

  variables {
    nat_mode = "shared"
  }

  expect_failures = [var.nat_mode]
}

run "interface_endpoints" {
  command = plan

  variables {
    interface_endpoints = ["sqs", "logs", "sts"]
  }

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["sqs", "logs", "sts"])
    error_message = "One interface endpoint per service."
  }

  assert {
    condition = alltrue([
      for e in aws_vpc_endpoint.interface : e.private_dns_enabled && e.vpc_endpoint_type == "Interface"
    ])
    error_message = "Interface endpoints need private DNS."
  }

  assert {
    condition     = aws_vpc_endpoint.interface["sqs"].service_name == "com.amazonaws.eu-west-1.sqs"
    error_message = "Service names are com.amazonaws.<region>.<service>."
  }

  assert {
    condition = alltrue([
      for i in aws_security_group.endpoints[0].ingress : i.from_port == 443 && i.to_port == 443 && i.cidr_blocks == tolist(["10.0.0.0/16"])
    ])
    error_message = "The endpoint security group must allow HTTPS from the VPC only."
  }

  assert {
    condition     = length([for e in aws_security_group.function[0].egress : e if e.security_groups == toset(["sg-endpoints"]) && e.from_port == 443]) == 1
    error_message = "Functions must reach the interface endpoints over HTTPS."
  }
}

run "rejects_dynamodb_interface_endpoint" {
  command = plan

  variables {
    interface_endpoints = ["dynamodb"]
  }

  expect_failures = [var.interface_endpoints]
}

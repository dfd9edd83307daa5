# Gateway endpoints (DynamoDB, S3) on the private route tables; optional interface endpoints.

locals {
  dynamodb_endpoint_policy = length(var.dynamodb_endpoint_policy_table_arns) == 0 ? null : jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowListedTables"
        Effect    = "Allow"
        Principal = "*"
        Action    = var.dynamodb_endpoint_policy_actions
        Resource = flatten([
          for arn in var.dynamodb_endpoint_policy_table_arns : [arn, "${arn}/index/*"]
        ])
      }
    ]
  })
}

resource "aws_vpc_endpoint" "dynamodb" {
  count = var.create && var.enable_dynamodb_endpoint ? 1 : 0

  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${local.region}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  policy            = local.dynamodb_endpoint_policy

  tags = merge(var.tags, { Name = "${var.name}-dynamodb" })
}

resource "aws_vpc_endpoint" "s3" {
  count = var.create && var.enable_s3_endpoint ? 1 : 0

  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = merge(var.tags, { Name = "${var.name}-s3" })
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.create ? toset(var.interface_endpoints) : toset([])

  vpc_id              = aws_vpc.this[0].id
  service_name        = "com.amazonaws.${local.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints[0].id]

  tags = merge(var.tags, { Name = "${var.name}-${each.value}" })
}

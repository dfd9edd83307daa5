# Private subnets that reach DynamoDB through gateway endpoints: no NAT gateway, no internet path.

locals {
  azs = ["${var.region}a", "${var.region}b"]
}

# -- orders VPC: the stream consumer runs here ----------------------------------------------------------------
resource "aws_vpc" "orders" {
  cidr_block           = "10.10.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = { Name = "${var.name_prefix}-orders" }
}

resource "aws_subnet" "orders_private" {
  count = 2

  vpc_id            = aws_vpc.orders.id
  cidr_block        = ["10.10.1.0/24", "10.10.2.0/24"][count.index]
  availability_zone = local.azs[count.index]

  tags = { Name = "${var.name_prefix}-orders-private-${count.index}" }
}

resource "aws_route_table" "orders_private" {
  count = 2

  vpc_id = aws_vpc.orders.id
}

resource "aws_route_table_association" "orders_private" {
  count = 2

  subnet_id      = aws_subnet.orders_private[count.index].id
  route_table_id = aws_route_table.orders_private[count.index].id
}

# Every private route table gets the (free) DynamoDB gateway endpoint.
resource "aws_vpc_endpoint" "orders_dynamodb" {
  vpc_id          = aws_vpc.orders.id
  service_name    = "com.amazonaws.${var.region}.dynamodb"
  route_table_ids = aws_route_table.orders_private[*].id
}

resource "aws_security_group" "consumer" {
  name        = "${var.name_prefix}-consumer"
  description = "Stream consumer"
  vpc_id      = aws_vpc.orders.id
}

resource "aws_vpc_security_group_egress_rule" "consumer_dynamodb" {
  security_group_id = aws_security_group.consumer.id
  description       = "HTTPS to DynamoDB through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.orders_dynamodb.prefix_list_id
}

# -- carts VPC: the API function runs here ---------------------------------------------------------------------
resource "aws_vpc" "carts" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = { Name = "${var.name_prefix}-carts" }
}

resource "aws_subnet" "carts_private" {
  vpc_id            = aws_vpc.carts.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = local.azs[0]

  tags = { Name = "${var.name_prefix}-carts-private" }
}

resource "aws_route_table" "carts_private" {
  vpc_id = aws_vpc.carts.id
}

resource "aws_route_table_association" "carts_private" {
  subnet_id      = aws_subnet.carts_private.id
  route_table_id = aws_route_table.carts_private.id
}

# The endpoint policy lets this VPC reach the carts table only, with the actions the API uses.
resource "aws_vpc_endpoint" "carts_dynamodb" {
  vpc_id          = aws_vpc.carts.id
  service_name    = "com.amazonaws.${var.region}.dynamodb"
  route_table_ids = [aws_route_table.carts_private.id]

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      Resource  = aws_dynamodb_table.carts.arn
    }]
  })
}

resource "aws_security_group" "api" {
  name        = "${var.name_prefix}-api"
  description = "Carts API"
  vpc_id      = aws_vpc.carts.id
}

resource "aws_vpc_security_group_egress_rule" "api_dynamodb" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS to DynamoDB through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.carts_dynamodb.prefix_list_id
}

# Two VPCs as they are often first written. Each has one mistake that only shows at run time.

locals {
  azs = ["${var.region}a", "${var.region}b"]
}

# -- orders VPC: the stream consumer runs here ----------------------------------------------------------------
resource "aws_vpc" "orders" {
  cidr_block           = "10.10.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = false # NET503: nothing in this VPC can resolve dynamodb.<region>.amazonaws.com

  tags = { Name = "${var.name_prefix}-orders" }
}

resource "aws_subnet" "orders_private" {
  count = 2

  vpc_id            = aws_vpc.orders.id
  cidr_block        = ["10.10.1.0/24", "10.10.2.0/24"][count.index]
  availability_zone = local.azs[count.index]

  tags = { Name = "${var.name_prefix}-orders-private-${count.index}" }
}

resource "aws_subnet" "orders_public" {
  vpc_id            = aws_vpc.orders.id
  cidr_block        = "10.10.100.0/24"
  availability_zone = local.azs[0]

  tags = { Name = "${var.name_prefix}-orders-public" }
}

resource "aws_internet_gateway" "orders" {
  vpc_id = aws_vpc.orders.id
}

resource "aws_route_table" "orders_public" {
  vpc_id = aws_vpc.orders.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.orders.id
  }
}

resource "aws_route_table_association" "orders_public" {
  subnet_id      = aws_subnet.orders_public.id
  route_table_id = aws_route_table.orders_public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "orders" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.orders_public.id
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

# NET504: DynamoDB traffic of zone a pays NAT data processing; there is no (free) gateway endpoint.
# NET501: zone b was added later and its route table never got this route.
resource "aws_route" "orders_nat" {
  route_table_id         = aws_route_table.orders_private[0].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.orders.id
}

# NET502: "restrict egress" advice, taken literally. The provider removes AWS's default allow-all egress rule
# from groups it creates, so this group allows no egress at all.
resource "aws_security_group" "consumer" {
  name        = "${var.name_prefix}-consumer"
  description = "Stream consumer"
  vpc_id      = aws_vpc.orders.id
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

# NET505: the endpoint policy was copied from another stack and only allows that stack's table.
resource "aws_vpc_endpoint" "carts_dynamodb" {
  vpc_id          = aws_vpc.carts.id
  service_name    = "com.amazonaws.${var.region}.dynamodb"
  route_table_ids = [aws_route_table.carts_private.id]

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource  = "arn:aws:dynamodb:${var.region}:123456789012:table/${var.name_prefix}-sessions"
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

# The function security group allows only HTTPS, and only to where the network can take it:
# the DynamoDB and S3 prefix lists (gateway endpoints), the interface endpoints, and anywhere
# when a NAT gateway exists. The provider removes AWS's default allow-all egress rule.

resource "aws_security_group" "endpoints" {
  count = var.create && length(var.interface_endpoints) > 0 ? 1 : 0

  name        = "${var.name}-endpoints"
  description = "Interface endpoints: HTTPS from inside the VPC"
  vpc_id      = aws_vpc.this[0].id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr_block]
  }

  tags = merge(var.tags, { Name = "${var.name}-endpoints" })
}

resource "aws_security_group" "function" {
  count = var.create ? 1 : 0

  name        = "${var.name}-function"
  description = "Lambda functions: HTTPS egress to DynamoDB and the endpoints only"
  vpc_id      = aws_vpc.this[0].id

  dynamic "egress" {
    for_each = var.enable_dynamodb_endpoint ? [aws_vpc_endpoint.dynamodb[0].prefix_list_id] : []

    content {
      description     = "HTTPS to DynamoDB through the gateway endpoint"
      from_port       = 443
      to_port         = 443
      protocol        = "tcp"
      prefix_list_ids = [egress.value]
    }
  }

  dynamic "egress" {
    for_each = var.enable_s3_endpoint ? [aws_vpc_endpoint.s3[0].prefix_list_id] : []

    content {
      description     = "HTTPS to S3 through the gateway endpoint"
      from_port       = 443
      to_port         = 443
      protocol        = "tcp"
      prefix_list_ids = [egress.value]
    }
  }

  dynamic "egress" {
    for_each = length(var.interface_endpoints) > 0 ? [aws_security_group.endpoints[0].id] : []

    content {
      description     = "HTTPS to the interface endpoints"
      from_port       = 443
      to_port         = 443
      protocol        = "tcp"
      security_groups = [egress.value]
    }
  }

  dynamic "egress" {
    for_each = local.nat ? ["0.0.0.0/0"] : []

    content {
      description = "HTTPS to AWS APIs and the internet through NAT"
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [egress.value]
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-function" })
}

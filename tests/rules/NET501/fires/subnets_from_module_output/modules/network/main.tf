resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  for_each = { a = "10.0.1.0/24", b = "10.0.2.0/24" }

  vpc_id     = aws_vpc.this.id
  cidr_block = each.value
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

output "private_subnet_ids" {
  value = [for s in aws_subnet.private : s.id]
}

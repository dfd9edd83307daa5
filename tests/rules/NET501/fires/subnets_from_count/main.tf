resource "aws_lambda_function" "f" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id # expect: NET501
    security_group_ids = []
  }
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id     = aws_vpc.this.id
  cidr_block = "10.0.${count.index}.0/24"
}

resource "aws_route_table" "private" {
  count = 2

  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "private" {
  count = 2

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# Only the first route table has the endpoint: aws_subnet.private[1] has no path.
resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.this.id
  service_name    = "com.amazonaws.us-east-1.dynamodb"
  route_table_ids = [aws_route_table.private[0].id]
}

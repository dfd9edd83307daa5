# No association: the subnet uses the VPC's main route table, which has only the local route.
resource "aws_lambda_function" "f" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  vpc_config {
    subnet_ids         = [aws_subnet.a.id] # expect: NET501
    security_group_ids = []
  }
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.0.1.0/24"
}

# The endpoint is on a route table the subnet does not use.
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.this.id
  service_name    = "com.amazonaws.us-east-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
}

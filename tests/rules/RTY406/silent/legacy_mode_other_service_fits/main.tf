# AWS_RETRY_MODE = legacy, no DynamoDB in sight: _retry.json's __default__ is 5 attempts,
# back-off at most 1+2+4+8 = 15 s, which fits in 20 s.
resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/reports.zip"
  timeout       = 20

  environment {
    variables = {
      AWS_RETRY_MODE = "legacy"
    }
  }
}

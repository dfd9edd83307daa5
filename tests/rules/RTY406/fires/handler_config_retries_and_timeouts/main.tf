# src/handler.py: Config(retries={"total_max_attempts": 10}, connect_timeout=5, read_timeout=10):
# back-off 1+2+4+8+16+20+20+20+20 = 111 s, plus 10 x (5 s + 10 s) = 150 s; 261 s > 30 s.
data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/code.zip"
}

resource "aws_lambda_function" "orders" { # expect: RTY406
  function_name    = "orders"
  role             = "arn:aws:iam::123456789012:role/orders"
  handler          = "handler.main"
  runtime          = "python3.12"
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  timeout          = 30

  environment {
    variables = {
      READ_TIMEOUT = "10"
    }
  }
}

# Saved on Windows: a UTF-8 byte order mark and CRLF line endings, which Terraform reads as usual.
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": { "Service": "lambda.amazonaws.com" }
    }
  ]
}
EOT
}

resource "aws_lambda_function" "worker" { # expect: LAM301
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/worker.zip"
}

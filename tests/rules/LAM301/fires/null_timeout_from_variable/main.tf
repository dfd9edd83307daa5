variable "timeout" {
  description = "null means: use Lambda's default"
  type        = number
  default     = null
}

resource "aws_lambda_function" "worker" { # expect: LAM301
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/worker.zip"
  timeout       = var.timeout
}

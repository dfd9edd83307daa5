# Terraform 0.11: a boolean variable counts as 1 or 0, and the one instance of a `count = 1` resource is
# referenced without an index.
variable "create" {
  default = true
}

resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1
}

resource "aws_iam_role" "consumer" {
  count = "${var.create}"

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

resource "aws_lambda_function" "consumer" { # expect: LAM301 address=aws_lambda_function.consumer[0] severity=error
  count = "${var.create}"

  function_name = "consumer"
  role          = "${aws_iam_role.consumer.arn}"
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "build/consumer.zip"
}

resource "aws_lambda_event_source_mapping" "events" {
  count = "${var.create}"

  event_source_arn  = "${aws_kinesis_stream.events.arn}"
  function_name     = "${aws_lambda_function.consumer.arn}"
  starting_position = "TRIM_HORIZON"
}

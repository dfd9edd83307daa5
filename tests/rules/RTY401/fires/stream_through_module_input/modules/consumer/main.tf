variable "stream_arn" {
  type = string
}

variable "function_name" {
  type = string
}

# The source kind comes from the resource the module input refers to: a Kinesis stream.
resource "aws_lambda_event_source_mapping" "this" { # expect: RTY401 address=module.events.aws_lambda_event_source_mapping.this
  event_source_arn               = var.stream_arn
  function_name                  = var.function_name
  starting_position              = "LATEST"
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]
}

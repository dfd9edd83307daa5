variable "stream_arn" {
  type = string
}

variable "name" {
  type = string
}

resource "aws_lambda_event_source_mapping" "this" { # expect: RTY401 address=module.a.aws_lambda_event_source_mapping.this; RTY401 address=module.b.aws_lambda_event_source_mapping.this
  event_source_arn               = var.stream_arn
  function_name                  = var.name
  starting_position              = "LATEST"
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]
}

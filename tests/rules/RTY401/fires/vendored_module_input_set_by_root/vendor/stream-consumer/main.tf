resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn               = var.event_source_arn
  function_name                  = var.function_arn
  starting_position              = "LATEST"
  maximum_retry_attempts         = var.maximum_retry_attempts # expect: RTY401 address=module.orders.aws_lambda_event_source_mapping.this
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]
}

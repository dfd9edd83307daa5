variable "event_source_arn" {
  type = string
}

variable "function_name" {
  type = string
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn  = var.event_source_arn
  function_name     = var.function_name
  starting_position = "LATEST"
}

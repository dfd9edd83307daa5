variable "event_source_arn" {
  description = "ARN of the Kinesis stream the function reads."
  type        = string
}

variable "function_arn" {
  description = "ARN of the function that processes the records."
  type        = string
}

variable "maximum_retry_attempts" {
  description = "Retries of a failed batch (-1: until the record expires)."
  type        = number
  default     = 3
}

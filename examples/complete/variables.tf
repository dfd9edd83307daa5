variable "name_prefix" {
  description = "Prefix of every name in the stack (tables, function, role, queue, alarms, VPC)."
  type        = string
  default     = "ddblint-complete"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "Set name_prefix to 2-31 characters: a lowercase letter, then lowercase letters, digits or '-'."
  }
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "nat_mode" {
  description = "none (DynamoDB through the gateway endpoint only) or single (one NAT gateway for other internet egress)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "single"], var.nat_mode)
    error_message = "Set nat_mode to none or single in this example."
  }
}

variable "package_path" {
  description = "Path of the handler's deployment package; null uses build/handler.zip under this example (see README for how to build it)."
  type        = string
  default     = null
}

variable "deletion_protection_enabled" {
  description = "Protect the tables from deletion. Set false before `terraform destroy`."
  type        = bool
  default     = true
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic ARN the stream alarms notify; null creates alarms without actions."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "name_prefix" {
  description = "Prefix for every resource name."
  type        = string
  default     = "orders-code"
}

variable "package_path" {
  description = "Path of the handler's deployment package; null uses build/orders-api.zip under this example (a zip of src/)."
  type        = string
  default     = null
}

variable "create" {
  description = "Whether to create the network."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of every resource (Name tags, security groups)."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block))
    error_message = "Set cidr_block to an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "azs" {
  description = "Availability zones (names) to spread the subnets across; one private subnet (and one public subnet when NAT is on) per zone."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 1
    error_message = "Give at least one availability zone; two or more keep functions running when a zone fails."
  }
}

variable "private_subnet_cidrs" {
  description = "CIDR blocks of the private subnets, one per zone; empty derives /24s from cidr_block (10.0.0.0/24, 10.0.1.0/24, ...)."
  type        = list(string)
  default     = []
}

variable "public_subnet_cidrs" {
  description = "CIDR blocks of the public subnets (created only with NAT), one per zone; empty derives /24s from cidr_block starting at the 100th."
  type        = list(string)
  default     = []
}

variable "nat_mode" {
  description = "Internet egress of the private subnets: none (gateway and interface endpoints only), single (one NAT gateway) or per_az (one NAT gateway per zone)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat_mode)
    error_message = "Set nat_mode to none, single or per_az."
  }
}

variable "enable_dynamodb_endpoint" {
  description = "Create a DynamoDB gateway endpoint on the private route tables (free; keeps DynamoDB traffic off NAT). Without it and without NAT, functions cannot reach DynamoDB."
  type        = bool
  default     = true
}

variable "enable_s3_endpoint" {
  description = "Create an S3 gateway endpoint on the private route tables."
  type        = bool
  default     = true
}

variable "dynamodb_endpoint_policy_table_arns" {
  description = "Restrict the DynamoDB endpoint to these tables (with their indexes and streams); empty leaves the endpoint's default full-access policy."
  type        = list(string)
  default     = []
}

variable "dynamodb_endpoint_policy_actions" {
  description = "Actions the DynamoDB endpoint policy allows on dynamodb_endpoint_policy_table_arns."
  type        = list(string)
  default = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
  ]

  validation {
    condition     = length(var.dynamodb_endpoint_policy_actions) > 0 && alltrue([for a in var.dynamodb_endpoint_policy_actions : startswith(a, "dynamodb:")])
    error_message = "Give dynamodb_endpoint_policy_actions at least one action, each starting with dynamodb:."
  }
}

variable "interface_endpoints" {
  description = "Services reached through interface endpoints with private DNS (e.g. [\"sqs\", \"logs\", \"sts\"]): the suffix of com.amazonaws.<region>.<service>."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9.-]+$", s)) && s != "dynamodb" && s != "s3"])
    error_message = "Name interface endpoint services by their suffix (sqs, logs, sts, ...); DynamoDB and S3 use the gateway endpoints."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

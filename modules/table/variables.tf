variable "create" {
  description = "Whether to create the table and its autoscaling resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the DynamoDB table."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.name))
    error_message = "Set name to 3-255 characters among a-z, A-Z, 0-9, '_', '-' and '.'."
  }
}

variable "hash_key" {
  description = "Partition key attribute name; it must appear in attributes."
  type        = string
}

variable "range_key" {
  description = "Sort key attribute name, or null for a table without a sort key; it must appear in attributes."
  type        = string
  default     = null
}

variable "attributes" {
  description = "Key attributes of the table and its indexes: name and type (S, N or B)."
  type = list(object({
    name = string
    type = string
  }))

  validation {
    condition     = alltrue([for a in var.attributes : contains(["S", "N", "B"], a.type)])
    error_message = "Set each attribute type to S (string), N (number) or B (binary)."
  }
}

variable "billing_mode" {
  description = "PAY_PER_REQUEST (on-demand, no capacity planning) or PROVISIONED (with autoscaling by default)."
  type        = string
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "Set billing_mode to PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "read_capacity" {
  description = "Initial read capacity units of a PROVISIONED table (autoscaling adjusts it afterwards)."
  type        = number
  default     = 5

  validation {
    condition     = var.read_capacity >= 1
    error_message = "Set read_capacity to 1 or more."
  }
}

variable "write_capacity" {
  description = "Initial write capacity units of a PROVISIONED table (autoscaling adjusts it afterwards)."
  type        = number
  default     = 5

  validation {
    condition     = var.write_capacity >= 1
    error_message = "Set write_capacity to 1 or more."
  }
}

variable "autoscaling_enabled" {
  description = "Create read and write autoscaling targets and target-tracking policies for a PROVISIONED table and its GSIs. Turning it off leaves a provisioned table throttling under load."
  type        = bool
  default     = true
}

variable "autoscaling_read" {
  description = "Read autoscaling of a PROVISIONED table and its GSIs: capacity range, target utilisation (%) and cooldowns (s)."
  type = object({
    min_capacity       = optional(number, 5)
    max_capacity       = optional(number, 100)
    target_value       = optional(number, 70)
    scale_in_cooldown  = optional(number, 60)
    scale_out_cooldown = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.autoscaling_read.min_capacity >= 1 && var.autoscaling_read.max_capacity >= var.autoscaling_read.min_capacity
    error_message = "Set autoscaling_read.min_capacity to 1 or more and max_capacity to at least min_capacity."
  }

  validation {
    condition     = var.autoscaling_read.target_value >= 20 && var.autoscaling_read.target_value <= 90
    error_message = "Set autoscaling_read.target_value between 20 and 90 (percent utilisation)."
  }
}

variable "autoscaling_write" {
  description = "Write autoscaling of a PROVISIONED table and its GSIs: capacity range, target utilisation (%) and cooldowns (s)."
  type = object({
    min_capacity       = optional(number, 5)
    max_capacity       = optional(number, 100)
    target_value       = optional(number, 70)
    scale_in_cooldown  = optional(number, 60)
    scale_out_cooldown = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.autoscaling_write.min_capacity >= 1 && var.autoscaling_write.max_capacity >= var.autoscaling_write.min_capacity
    error_message = "Set autoscaling_write.min_capacity to 1 or more and max_capacity to at least min_capacity."
  }

  validation {
    condition     = var.autoscaling_write.target_value >= 20 && var.autoscaling_write.target_value <= 90
    error_message = "Set autoscaling_write.target_value between 20 and 90 (percent utilisation)."
  }
}

variable "global_secondary_indexes" {
  description = "Global secondary indexes. Capacities apply to PROVISIONED tables only (default: the table's)."
  type = list(object({
    name               = string
    hash_key           = string
    range_key          = optional(string)
    projection_type    = optional(string, "ALL")
    non_key_attributes = optional(list(string))
    read_capacity      = optional(number)
    write_capacity     = optional(number)
  }))
  default = []

  validation {
    condition     = alltrue([for g in var.global_secondary_indexes : contains(["ALL", "KEYS_ONLY", "INCLUDE"], g.projection_type)])
    error_message = "Set each GSI projection_type to ALL, KEYS_ONLY or INCLUDE."
  }
}

variable "stream_enabled" {
  description = "Enable the DynamoDB stream (needed by a stream consumer). stream_view_type must be set when true."
  type        = bool
  default     = false
}

variable "stream_view_type" {
  description = "What the stream records hold: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES. Required when stream_enabled is true."
  type        = string
  default     = null

  validation {
    condition     = var.stream_view_type == null || contains(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], coalesce(var.stream_view_type, "-"))
    error_message = "Set stream_view_type to KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES (or null when the stream is off)."
  }
}

variable "point_in_time_recovery_enabled" {
  description = "Continuous backups with point-in-time recovery (35 days). Turning it off means a bad write or delete cannot be undone."
  type        = bool
  default     = true
}

variable "server_side_encryption_kms_key_arn" {
  description = "ARN of a customer managed KMS key for server-side encryption; null uses the AWS managed key (aws/dynamodb). Encryption at rest is always on."
  type        = string
  default     = null
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable while true. Set false only to destroy the table on purpose."
  type        = bool
  default     = true
}

variable "ttl_attribute_name" {
  description = "Name of the attribute holding an item's expiry time (epoch seconds); null for a table that never had TTL. To turn TTL off, keep it and set ttl_enabled = false."
  type        = string
  default     = null
}

variable "ttl_enabled" {
  description = "Expire items by ttl_attribute_name. Set false (keeping ttl_attribute_name, which AWS needs to disable TTL) to turn TTL off."
  type        = bool
  default     = true
}

variable "table_class" {
  description = "STANDARD or STANDARD_INFREQUENT_ACCESS."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "STANDARD_INFREQUENT_ACCESS"], var.table_class)
    error_message = "Set table_class to STANDARD or STANDARD_INFREQUENT_ACCESS."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

variable "create" {
  description = "Whether to create the mapping, its permissions, failure queue and alarms."
  type        = bool
  default     = true
}

variable "function_name" {
  description = "Name (not ARN) of the Lambda function that consumes the stream; alarms use it as the FunctionName dimension."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.function_name))
    error_message = "Set function_name to the function's name (1-64 characters among a-z, A-Z, 0-9, '_' and '-'), not its ARN."
  }
}

variable "function_role_name" {
  description = "Name of the function's execution role; the stream-read and failure-destination permissions are attached to it as an inline policy."
  type        = string
}

variable "event_source_arn" {
  description = "ARN of the DynamoDB table stream to read (the table's stream_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[^/]+/stream/.+$", var.event_source_arn))
    error_message = "Set event_source_arn to a DynamoDB stream ARN: arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>."
  }
}

variable "name" {
  description = "Prefix of the names of the failure queue, the policy and the alarms; null uses function_name."
  type        = string
  default     = null
}

variable "enabled" {
  description = "Whether the mapping polls the stream."
  type        = bool
  default     = true
}

variable "starting_position" {
  description = "Where a new mapping starts reading: LATEST or TRIM_HORIZON."
  type        = string
  default     = "LATEST"

  validation {
    condition     = contains(["LATEST", "TRIM_HORIZON"], var.starting_position)
    error_message = "Set starting_position to LATEST or TRIM_HORIZON."
  }
}

variable "batch_size" {
  description = "Most records per invocation (1-10000)."
  type        = number
  default     = 100

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000
    error_message = "Set batch_size between 1 and 10000."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "How long to gather records before invoking (0-300 s)."
  type        = number
  default     = 1

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300
    error_message = "Set maximum_batching_window_in_seconds between 0 and 300."
  }
}

variable "parallelization_factor" {
  description = "Concurrent batches per shard (1-10)."
  type        = number
  default     = 1

  validation {
    condition     = var.parallelization_factor >= 1 && var.parallelization_factor <= 10
    error_message = "Set parallelization_factor between 1 and 10."
  }
}

variable "maximum_retry_attempts" {
  description = "Retries of a failed batch before it goes to the on-failure destination (0-10000). -1 (until the record expires) needs allow_unbounded_retries = true."
  type        = number
  default     = 3

  validation {
    condition     = var.maximum_retry_attempts >= -1 && var.maximum_retry_attempts <= 10000
    error_message = "Set maximum_retry_attempts between 0 and 10000 (-1, retry until the record expires, also needs allow_unbounded_retries = true)."
  }
}

variable "allow_unbounded_retries" {
  description = "Opt-out: allow maximum_retry_attempts = -1, where one poison record blocks its shard for up to the stream's 24 h retention."
  type        = bool
  default     = false
}

variable "maximum_record_age_in_seconds" {
  description = "Discard (to the on-failure destination) records older than this (60-604800 s). -1 (no limit) needs allow_unbounded_record_age = true."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_record_age_in_seconds == -1 || (var.maximum_record_age_in_seconds >= 60 && var.maximum_record_age_in_seconds <= 604800)
    error_message = "Set maximum_record_age_in_seconds between 60 and 604800 (-1, no limit, also needs allow_unbounded_record_age = true)."
  }
}

variable "allow_unbounded_record_age" {
  description = "Opt-out: allow maximum_record_age_in_seconds = -1, where a failing batch is retried until it expires from the stream."
  type        = bool
  default     = false
}

variable "bisect_batch_on_function_error" {
  description = "Split a failing batch in two and retry the halves, so one bad record does not fail its neighbours."
  type        = bool
  default     = true
}

variable "function_response_types" {
  description = "[\"ReportBatchItemFailures\"] lets the function return batchItemFailures so only failed records are retried; [] turns partial batch responses off."
  type        = list(string)
  default     = ["ReportBatchItemFailures"]

  validation {
    condition     = alltrue([for t in var.function_response_types : t == "ReportBatchItemFailures"])
    error_message = "Set function_response_types to [\"ReportBatchItemFailures\"] or []."
  }
}

variable "filter_criteria" {
  description = "Event filter patterns (JSON strings); a record is processed when it matches any of them. Empty processes every record."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.filter_criteria) <= 5 && alltrue([for p in var.filter_criteria : can(jsondecode(p))])
    error_message = "Give at most 5 filter patterns, each a JSON document."
  }
}

variable "on_failure_destination" {
  description = "An existing on-failure destination instead of the created queue: its ARN and type (sqs or sns). The type is given, not parsed from the ARN, so that an ARN created in the same apply works. null creates an encrypted SQS queue."
  type = object({
    arn  = string
    type = optional(string, "sqs")
  })
  default = null

  validation {
    condition     = var.on_failure_destination == null || contains(["sqs", "sns"], try(var.on_failure_destination.type, ""))
    error_message = "Set on_failure_destination.type to sqs or sns."
  }

  validation {
    condition     = var.on_failure_destination == null || can(regex("^arn:aws[a-z-]*:(sqs|sns):", var.on_failure_destination.arn))
    error_message = "Set on_failure_destination.arn to an SQS queue ARN or an SNS topic ARN (or leave on_failure_destination null to create a queue)."
  }
}

variable "on_failure_queue_kms_key_arn" {
  description = "KMS key ARN for the created failure queue; null uses SQS managed encryption (SSE-SQS). The role gets kms:GenerateDataKey/Decrypt on a given key."
  type        = string
  default     = null
}

variable "on_failure_queue_message_retention_seconds" {
  description = "How long the failure queue keeps messages (60-1209600 s); 14 days by default, time to investigate."
  type        = number
  default     = 1209600

  validation {
    condition     = var.on_failure_queue_message_retention_seconds >= 60 && var.on_failure_queue_message_retention_seconds <= 1209600
    error_message = "Set on_failure_queue_message_retention_seconds between 60 and 1209600."
  }
}

variable "create_alarms" {
  description = "Create CloudWatch alarms on iterator age, errors, throttles and failure-queue depth."
  type        = bool
  default     = true
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic ARN notified when an alarm fires or recovers; null creates alarms without actions."
  type        = string
  default     = null
}

variable "iterator_age_threshold_ms" {
  description = "Alarm when the age of the newest record processed exceeds this many milliseconds (the consumer falls behind)."
  type        = number
  default     = 30000

  validation {
    condition     = var.iterator_age_threshold_ms > 0
    error_message = "Set iterator_age_threshold_ms above 0."
  }
}

variable "errors_threshold" {
  description = "Alarm when the function's Errors sum in a period exceeds this."
  type        = number
  default     = 0
}

variable "throttles_threshold" {
  description = "Alarm when the function's Throttles sum in a period exceeds this."
  type        = number
  default     = 0
}

variable "alarm_period_seconds" {
  description = "Period of the alarms' metrics in seconds (a multiple of 60)."
  type        = number
  default     = 60

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "Set alarm_period_seconds to a multiple of 60."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive periods that must breach before an alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_evaluation_periods >= 1
    error_message = "Set alarm_evaluation_periods to 1 or more."
  }
}

variable "tags" {
  description = "Tags for every resource of the module that takes tags."
  type        = map(string)
  default     = {}
}

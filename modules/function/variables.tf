variable "create" {
  description = "Whether to create the function and its role, log group and async configuration."
  type        = bool
  default     = true
}

variable "function_name" {
  description = "Name of the Lambda function; also names its role and its log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.function_name))
    error_message = "Set function_name to 1-64 characters among a-z, A-Z, 0-9, '_' and '-'."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = null
}

variable "filename" {
  description = "Path of the deployment package (zip) to upload. Build it before plan; this module uses no archive provider."
  type        = string
}

variable "source_code_hash" {
  description = "Base64 SHA-256 of the package (filebase64sha256(filename)) so a changed package is redeployed; null lets the provider compute it."
  type        = string
  default     = null
}

variable "handler" {
  description = "Entry point, e.g. handler.handler for handler() in handler.py."
  type        = string
  default     = "handler.handler"
}

variable "runtime" {
  description = "Lambda runtime identifier, e.g. python3.12."
  type        = string
  default     = "python3.12"

  validation {
    condition     = can(regex("^(python3\\.[0-9]+|nodejs[0-9]+\\.x|java[0-9]+|dotnet[0-9]+|ruby3\\.[0-9]+|provided\\.al2(023)?)$", var.runtime))
    error_message = "Set runtime to a Lambda runtime identifier such as python3.12, nodejs20.x, java21, dotnet8, ruby3.3 or provided.al2023."
  }
}

variable "architectures" {
  description = "Instruction set: [\"x86_64\"] or [\"arm64\"]."
  type        = list(string)
  default     = ["x86_64"]

  validation {
    condition     = length(var.architectures) == 1 && contains(["x86_64", "arm64"], var.architectures[0])
    error_message = "Set architectures to [\"x86_64\"] or [\"arm64\"]."
  }
}

variable "timeout" {
  description = "Maximum run time of one invocation in seconds (1-900). Required: the 3 s AWS default is too short for functions in a VPC or behind a stream."
  type        = number

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "Set timeout to a whole number of seconds between 1 and 900."
  }
}

variable "memory_size" {
  description = "Memory in MB (128-10240); CPU share grows with it."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "Set memory_size between 128 and 10240 MB."
  }
}

variable "environment_variables" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key that encrypts the environment variables; the role gets kms:Decrypt on it."
  type        = string
  default     = null
}

variable "kms_key_arns" {
  description = "Further KMS key ARNs the function decrypts with (e.g. a table's or a queue's CMK); the role gets kms:Decrypt on them."
  type        = list(string)
  default     = []
}

variable "layers" {
  description = "Layer version ARNs (at most 5)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.layers) <= 5
    error_message = "Set at most 5 layers."
  }
}

variable "vpc_config" {
  description = "Run the function in a VPC: private subnet IDs and security group IDs. The role then gets the ENI actions Lambda needs."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc_config == null || try(length(var.vpc_config.subnet_ids) > 0 && length(var.vpc_config.security_group_ids) > 0, false)
    error_message = "Give vpc_config at least one subnet ID and one security group ID, or leave it null."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing: null (off), Active or PassThrough. When set, the role may send traces."
  type        = string
  default     = null

  validation {
    condition     = var.tracing_mode == null || contains(["Active", "PassThrough"], coalesce(var.tracing_mode, "-"))
    error_message = "Set tracing_mode to Active, PassThrough or null."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; -1 means unreserved. 0 throttles every invocation and needs allow_zero_reserved_concurrency = true."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "Set reserved_concurrent_executions to -1 (unreserved) or a whole number of 0 or more."
  }
}

variable "allow_zero_reserved_concurrency" {
  description = "Opt-out: allow reserved_concurrent_executions = 0, which stops the function (every invocation is throttled)."
  type        = bool
  default     = false
}

variable "publish" {
  description = "Publish a new version on every change."
  type        = bool
  default     = false
}

variable "log_retention_in_days" {
  description = "Retention of /aws/lambda/<name> in days (a CloudWatch Logs retention value)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "Set log_retention_in_days to one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_group_kms_key_arn" {
  description = "ARN of a KMS key that encrypts the log group; null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "create_role" {
  description = "Create the execution role with a least-privilege policy built from what the function uses. False requires role_arn."
  type        = bool
  default     = true
}

variable "role_arn" {
  description = "ARN of an existing execution role, used when create_role is false."
  type        = string
  default     = null
}

variable "role_name" {
  description = "Name of the created role; null uses the function name."
  type        = string
  default     = null
}

variable "role_permissions_boundary" {
  description = "ARN of a permissions boundary for the created role."
  type        = string
  default     = null
}

variable "policy_statements" {
  description = "Extra Allow/Deny statements for the role, e.g. the table actions the code calls. Name actions and resources exactly: no wildcards where the action supports resource-level permissions."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : contains(["Allow", "Deny"], s.effect) && length(s.actions) > 0 && length(s.resources) > 0])
    error_message = "Give every policy statement an effect of Allow or Deny, at least one action and at least one resource."
  }
}

variable "dead_letter_target_arn" {
  description = "SQS queue or SNS topic ARN for events that asynchronous invocation gave up on; the role gets sqs:SendMessage or sns:Publish on it."
  type        = string
  default     = null

  validation {
    condition     = var.dead_letter_target_arn == null || can(regex("^arn:aws[a-z-]*:(sqs|sns):", coalesce(var.dead_letter_target_arn, "-")))
    error_message = "Set dead_letter_target_arn to an SQS queue ARN or an SNS topic ARN."
  }
}

variable "create_async_event_config" {
  description = "Create an event invoke config (retries, event age, destinations) for asynchronous invocation. A flag rather than inferred from the destination ARNs, so that ARNs of resources created in the same apply work."
  type        = bool
  default     = false
}

variable "async_on_failure_destination_arn" {
  description = "Destination (SQS, SNS, Lambda or EventBridge bus ARN) for failed asynchronous invocations (needs create_async_event_config = true); the role gets the send action on it."
  type        = string
  default     = null

  validation {
    condition     = var.async_on_failure_destination_arn == null || can(regex("^arn:aws[a-z-]*:(sqs|sns|lambda|events):", coalesce(var.async_on_failure_destination_arn, "-")))
    error_message = "Set async_on_failure_destination_arn to an SQS queue, SNS topic, Lambda function or EventBridge bus ARN."
  }
}

variable "async_on_success_destination_arn" {
  description = "Destination (SQS, SNS, Lambda or EventBridge bus ARN) for successful asynchronous invocations (needs create_async_event_config = true)."
  type        = string
  default     = null

  validation {
    condition     = var.async_on_success_destination_arn == null || can(regex("^arn:aws[a-z-]*:(sqs|sns|lambda|events):", coalesce(var.async_on_success_destination_arn, "-")))
    error_message = "Set async_on_success_destination_arn to an SQS queue, SNS topic, Lambda function or EventBridge bus ARN."
  }
}

variable "async_maximum_retry_attempts" {
  description = "Retries of a failed asynchronous invocation (0-2), with create_async_event_config."
  type        = number
  default     = 2

  validation {
    condition     = var.async_maximum_retry_attempts >= 0 && var.async_maximum_retry_attempts <= 2
    error_message = "Set async_maximum_retry_attempts between 0 and 2."
  }
}

variable "async_maximum_event_age_in_seconds" {
  description = "How long an asynchronous event may wait (60-21600 s), with create_async_event_config."
  type        = number
  default     = 21600

  validation {
    condition     = var.async_maximum_event_age_in_seconds >= 60 && var.async_maximum_event_age_in_seconds <= 21600
    error_message = "Set async_maximum_event_age_in_seconds between 60 and 21600."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

# JSON templates: unknown values stay unknown (no invalid ARN), and a template that cannot be located
# statically (its name is a variable) is not an input error for its ${...} placeholders.
variable "table_arn" {
  type = string
}

variable "queue_arns" {
  type = list(string)
}

variable "environment" {
  type = string
}

resource "aws_iam_policy" "p" {
  name = "worker"
  policy = templatefile("${path.module}/policy.json", {
    table_arn  = var.table_arn
    queue_arns = var.queue_arns
  })
}

resource "aws_iam_policy" "per_environment" {
  name = "worker-${var.environment}"
  policy = templatefile("${path.module}/templates/${var.environment}.json", {
    table_arn  = var.table_arn
    queue_arns = var.queue_arns
  })
}

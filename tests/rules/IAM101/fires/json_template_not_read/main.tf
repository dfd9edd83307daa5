# A JSON template whose path is not known statically is checked on its own, every interpolation unknown.
variable "environment" {
  type = string
}

variable "table_arn" {
  type = string
}

resource "aws_iam_policy" "per_environment" {
  name = "worker-${var.environment}"
  policy = templatefile("${path.module}/templates/${var.environment}.json", {
    table_arn = var.table_arn
    queues    = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  })
}

# A JSON template read by templatefile(): what is known is rendered, the rest stays unknown, and the static
# statement is still checked.
variable "table_arn" {
  type = string
}

variable "queue_arns" {
  type = list(string)
}

resource "aws_iam_policy" "p" {
  name = "worker"
  policy = templatefile("${path.module}/policy.json", { # expect: IAM101
    table_arn  = var.table_arn
    queue_arns = var.queue_arns
  })
}

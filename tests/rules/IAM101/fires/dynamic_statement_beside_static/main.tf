# A dynamic "statement" whose for_each is unknown does not hide the static statements beside it.
variable "extra_statements" {
  description = "Statements to add to the policy."
  type = list(object({
    actions   = list(string)
    resources = list(string)
  }))
}

data "aws_iam_policy_document" "worker" {
  dynamic "statement" {
    for_each = var.extra_statements
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }

  statement { # expect: IAM101
    actions   = ["dynamodb:*"]
    resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
  }

  dynamic "statement" { # expect: IAM101
    for_each = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
    content {
      actions   = ["sqs:*"]
      resources = [statement.value]
    }
  }
}

variable "data_protection_policy" {
  description = "A data protection policy document, e.g. the contents of data-protection.json."
  type        = string
}

resource "aws_cloudwatch_log_group" "orders" {
  name              = "/aws/lambda/orders"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_data_protection_policy" "orders" {
  log_group_name  = aws_cloudwatch_log_group.orders.name
  policy_document = var.data_protection_policy
}

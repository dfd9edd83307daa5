variable "vpc_id" {
  type = string
}

# A gateway endpoint policy is judged by NET505, not as an identity policy.
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-1.dynamodb"
  policy       = data.aws_iam_policy_document.endpoint.json
}

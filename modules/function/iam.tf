# Execution role with a least-privilege inline policy built from what the function uses.

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  role_name = coalesce(var.role_name, var.function_name)

  # The send action for each kind of destination ARN.
  destination_actions = {
    sqs    = "sqs:SendMessage"
    sns    = "sns:Publish"
    lambda = "lambda:InvokeFunction"
    events = "events:PutEvents"
  }
  destinations = compact([var.dead_letter_target_arn, var.async_on_failure_destination_arn, var.async_on_success_destination_arn])

  kms_keys = compact(concat([var.kms_key_arn], var.kms_key_arns))

  statements = concat(
    [
      {
        Sid      = "WriteOwnLogGroup"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}:*"]
      }
    ],
    local.in_vpc ? [
      {
        # Lambda creates the function's ENIs in the VPC with these; the Describe actions only accept "*".
        Sid      = "CreateVpcNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
        Resource = ["*"]
      },
      {
        Sid      = "ManageVpcNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
        Resource = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:network-interface/*"]
      }
    ] : [],
    var.tracing_mode != null ? [
      {
        # X-Ray trace submission only accepts "*".
        Sid      = "SendTraces"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
      }
    ] : [],
    length(local.kms_keys) > 0 ? [
      {
        Sid      = "DecryptWithKeys"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = local.kms_keys
      }
    ] : [],
    [
      for i, arn in local.destinations : {
        Sid      = "SendToDestination${i}"
        Effect   = "Allow"
        Action   = [local.destination_actions[split(":", arn)[2]]]
        Resource = [arn]
      }
    ],
    [
      for i, s in var.policy_statements : merge(
        {
          Sid      = coalesce(s.sid, "Extra${i}")
          Effect   = s.effect
          Action   = s.actions
          Resource = s.resources
        },
        length(s.conditions) == 0 ? {} : {
          Condition = {
            for test in distinct([for c in s.conditions : c.test]) : test => {
              for c in s.conditions : c.variable => c.values if c.test == test
            }
          }
        }
      )
    ]
  )
}

resource "aws_iam_role" "this" {
  count = var.create && var.create_role ? 1 : 0

  name                 = local.role_name
  permissions_boundary = var.role_permissions_boundary
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "lambda.amazonaws.com" }
      }
    ]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  count = var.create && var.create_role ? 1 : 0

  name = "${local.role_name}-least-privilege"
  role = aws_iam_role.this[0].name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.statements
  })
}

"""ddblint: lint Terraform for AWS Lambda + DynamoDB stacks before `terraform apply`."""

__version__ = "0.1.0"

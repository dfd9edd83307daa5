module "queue" { # expect: DDB003
  source  = "terraform-aws-modules/sqs/aws"
  version = "4.2.0"
}

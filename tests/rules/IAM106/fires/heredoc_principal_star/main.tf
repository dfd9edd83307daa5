resource "aws_iam_role" "r" {
  name               = "fn"
  assume_role_policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
  ]
}
EOT
}

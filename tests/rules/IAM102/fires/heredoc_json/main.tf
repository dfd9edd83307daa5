resource "aws_iam_policy" "p" {
  name   = "heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:DeleteItem", "Resource": "*"}
  ]
}
EOT
}

resource "aws_iam_policy" "p" {
  name   = "heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:PutItems", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders"}
  ]
}
EOT
}

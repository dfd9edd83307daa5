resource "aws_sqs_queue" "jobs" {
  # ddblint:ignore[OPS999] kept from an old review
  name = "jobs"
}

resource "aws_sqs_queue" "jobs" {
  # ddblint:ignore[OPS601]
  name = "jobs"
}

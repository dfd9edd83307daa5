# A queue worker: the queue keeps SQS's 30-second visibility timeout while the function may run for a
# minute, failing messages have no dead-letter queue, and someone paused the worker with a reserved
# concurrency of 0 and never removed it.

resource "aws_sqs_queue" "jobs" {
  name = "${var.name_prefix}-jobs"
}

resource "aws_lambda_function" "worker" {
  function_name                  = "${var.name_prefix}-worker"
  role                           = aws_iam_role.consumer.arn
  runtime                        = "python3.12"
  handler                        = "handler.handle"
  filename                       = "${path.module}/build/worker.zip"
  timeout                        = 60
  reserved_concurrent_executions = 0
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
  batch_size       = 10
}

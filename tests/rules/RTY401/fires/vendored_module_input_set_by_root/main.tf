resource "aws_kinesis_stream" "orders" {
  name        = "orders"
  shard_count = 1
}

module "orders" {
  source                 = "./vendor/stream-consumer"
  event_source_arn       = aws_kinesis_stream.orders.arn
  function_arn           = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
  maximum_retry_attempts = -1
}

module "network" {
  source = "./modules/network"
}

resource "aws_lambda_function" "f" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  timeout       = 30

  vpc_config {
    subnet_ids         = module.network.private_subnet_ids # expect: NET501
    security_group_ids = []
  }
}

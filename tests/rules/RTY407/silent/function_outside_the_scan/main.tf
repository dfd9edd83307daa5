resource "aws_lambda_permission" "invoke" {
  statement_id  = "invoke"
  action        = "lambda:InvokeFunction"
  function_name = "someone-elses-function"
  principal     = "sns.amazonaws.com"
}

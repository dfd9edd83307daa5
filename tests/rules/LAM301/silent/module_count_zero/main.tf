module "consumer" {
  source = "./modules/function"
  count  = 0
}

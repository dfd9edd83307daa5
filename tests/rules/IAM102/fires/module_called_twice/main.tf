module "a" {
  source = "./modules/policy"
  name   = "a"
}

module "b" {
  source = "./modules/policy"
  name   = "b"
}

module "a" {
  source = "./modules/consumer"
  name   = "a"
}

module "b" {
  source = "./modules/consumer"
  name   = "b"
}

module "a" {
  source = "./modules/function"
  name   = "a"
}

module "b" {
  source = "./modules/function"
  name   = "b"
}

module "a" {
  source = "./modules/fn"
  name   = "a"
}

module "b" {
  source = "./modules/fn"
  name   = "b"
}

variable "timeout" {
  type    = number
  default = 30
}

module "a" {
  source  = "./modules/function"
  name    = "a"
  timeout = var.timeout
}

module "b" {
  source  = "./modules/function"
  name    = "b"
  timeout = var.timeout
}

variable "enabled" {
  type = bool
}

module "consumer" {
  source = "./modules/function"
  count  = var.enabled ? 1 : 0
}

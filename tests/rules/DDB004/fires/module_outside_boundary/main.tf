module "shared" { # expect: DDB004
  source = "../../../../../../shared"
}

"""Helpers shared by test suites (Terraform environment, ...)."""

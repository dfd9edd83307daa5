"""OPS6xx rules (see ../shared/rules.md)."""

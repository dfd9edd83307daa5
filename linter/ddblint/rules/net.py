"""NET5xx rules (see ../shared/rules.md)."""

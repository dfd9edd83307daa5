"""LAM3xx rules (see ../shared/rules.md)."""

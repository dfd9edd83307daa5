"""RTY4xx rules (see ../shared/rules.md)."""

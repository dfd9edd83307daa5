"""STR2xx: stream wiring across resources (mapping -> table stream, function -> role -> policies)."""

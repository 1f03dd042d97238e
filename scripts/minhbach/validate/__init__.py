"""Validate: shape and safety guards, frictionless, the domain rules. Issues, never exceptions."""

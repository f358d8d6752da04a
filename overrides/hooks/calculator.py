"""Build-time work for the calculator (placeholder until the calculator lands)."""

"""ada: right everywhere (builds on the base solution)."""

"""Models of the health and growth domain."""

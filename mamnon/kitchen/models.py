"""Models of the kitchen domain."""

"""Models of the fees domain."""

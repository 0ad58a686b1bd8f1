"""Models of the facilities and equipment domain."""

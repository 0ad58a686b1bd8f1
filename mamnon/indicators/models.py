"""Models of the targets and indicators domain."""

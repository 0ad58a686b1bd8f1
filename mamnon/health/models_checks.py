"""Health checks, illnesses and medicine given at school."""

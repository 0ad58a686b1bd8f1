"""Demo facilities (filled in below)."""

"""Demo rounds (filled in below)."""

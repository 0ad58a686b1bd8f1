"""Demo fees (filled below)."""

"""Demo targets and values (filled in below)."""

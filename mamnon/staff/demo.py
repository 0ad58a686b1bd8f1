"""Demo staff records (filled in later in this file)."""

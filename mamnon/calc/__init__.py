"""Pure computation for mamnon: numpy and dataclasses only, importable without Django."""

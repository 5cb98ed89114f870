"""The shipped dataset: plain CSV tables and the YAML domain model (see data/README.md)."""

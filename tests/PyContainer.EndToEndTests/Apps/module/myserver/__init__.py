"""A package run with `python -m myserver`."""

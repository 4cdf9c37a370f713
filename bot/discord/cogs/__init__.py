"""Cogs, one folder per area; each `__init__` only defines `setup`."""

"""What can go wrong that a front end tells its user about, in one line each."""

from __future__ import annotations


class IndexMissing(RuntimeError):
    """No index has been built at this location yet."""


class IndexBusy(RuntimeError):
    """Another process is writing a new index version."""

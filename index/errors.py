"""What can go wrong that a front end tells its user about, in one line each."""

from __future__ import annotations


class IndexMissing(RuntimeError):
    """No index has been built at this location yet."""


class IndexBusy(RuntimeError):
    """Another process is writing a new index version."""


class IndexDamaged(RuntimeError):
    """The live index cannot be read: the message names what is damaged and the remedy."""


# The remedies an error names: each is run on an index damaged that way by
# tests/index/test_remedies.py, and must leave an index that answers.
REBUILD = "rebuild it from your review files: `cinebot ingest --rebuild PATH...`"
RECATALOGUE = "import the catalogue again: `cinebot catalogue PATH...`"


class NotYours(PermissionError):
    """A review someone asked to change is not theirs (or not in their server's library)."""

"""Storage: immutable index versions on disk, the vector stores, and a version opened for search."""

"""Embedding: text -> unit vectors with the packaged all-MiniLM-L6-v2."""

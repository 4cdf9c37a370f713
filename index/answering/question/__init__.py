"""Questions in plain words -> filters and a semantic part, by rules, in named steps."""

from index.answering.question.parser import QueryParser

__all__ = ["QueryParser"]

"""Answering: questions parsed, filters turned into masks, passages ranked into films,
snippets cut, and conversations that refine a question."""

"""Split review text into passages that fit the embedding model's window."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from index.text import sentences

TokenCounter = Callable[[Sequence[str]], list[int]]


def split_passages(text: str, count_tokens: TokenCounter, max_tokens: int) -> list[str]:
    """Greedy packing of whole sentences up to `max_tokens` word pieces per passage.

    A sentence longer than the window is cut on word boundaries so nothing is silently
    truncated by the model.
    """
    parts = sentences(text)
    if not parts:
        return []
    counts = count_tokens(parts)
    pieces: list[tuple[str, int]] = []
    for sentence, n in zip(parts, counts, strict=True):
        if n <= max_tokens:
            pieces.append((sentence, n))
            continue
        words = sentence.split()
        step = max(1, int(len(words) * max_tokens / n * 0.9))
        for i in range(0, len(words), step):
            chunk = " ".join(words[i : i + step])
            pieces.append((chunk, count_tokens([chunk])[0]))
    passages: list[str] = []
    current: list[str] = []
    used = 0
    for sentence, n in pieces:
        if current and used + n > max_tokens:
            passages.append(" ".join(current))
            current, used = [], 0
        current.append(sentence)
        used += n
    if current:
        passages.append(" ".join(current))
    return passages

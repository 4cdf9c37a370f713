"""Text as cinebot handles it: untrusted text made plain, escaped for a terminal, and cut into
sentences (the same boundaries for passages at ingest and for snippets in answers).

What a review file, a catalogue or a question may hold that must never reach the tokenizer,
a terminal or a chat client:

- lone surrogates (undecodable bytes Python smuggled in from argv or a broken file) become
  U+FFFD, so the tokenizer never sees text it cannot encode;
- control characters (ESC, BEL, …: a terminal takes them as commands) go, except tab and
  newline;
- invisible format characters go: zero-width spaces and joiners ("Kor\\u200bean" is
  "Korean"), and bidirectional overrides that would make a title read backwards to others.
"""

from __future__ import annotations

import re
import unicodedata


def _unwanted(char: str) -> bool:
    category = unicodedata.category(char)
    return (category == "Cc" and char not in "\t\n") or category == "Cf"


def _plain(text: str) -> bool:
    """The fast path: nothing but printable characters, spaces, tabs and newlines."""
    return text.replace("\n", "").replace("\t", "").isprintable()


def clean(text: str) -> str:
    """The text without what must never be shown or tokenized; CRLF and CR become LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _plain(text):
        return text
    return "".join(
        "\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else "" if _unwanted(c) else c for c in text
    )


def cleaned(text: str) -> tuple[str, bool]:
    """`clean(text)`, and whether anything had to be removed or replaced."""
    out = clean(text)
    return out, out != text.replace("\r\n", "\n").replace("\r", "\n")


def escaped(text: str) -> str:
    """For a terminal: every control or format character shown as an escape ("\\x1b"),
    never sent raw; tab and newline kept."""
    if _plain(text):
        return text

    def show(c: str) -> str:
        if 0xD800 <= ord(c) <= 0xDFFF:
            return "\ufffd"
        if not _unwanted(c):
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    return "".join(show(c) for c in text)


_PARAGRAPH = re.compile(r"\n\s*\n")
# Sentence ends: . ! ? … followed by space and an upper-case letter, digit or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”')\]]?\s+(?=[\"“'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """A text's sentences, paragraph by paragraph, whitespace collapsed."""
    out: list[str] = []
    for paragraph in _PARAGRAPH.split(text) if "\n" in text else (text,):
        if paragraph := " ".join(paragraph.split()):
            out += [s for s in _SENTENCE_END.split(paragraph) if s]
    return out

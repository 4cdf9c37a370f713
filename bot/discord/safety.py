"""Untrusted review text made safe for Discord: no pings, no markdown or link injection, and
every piece within Discord's limits, cut on a sentence or word boundary with an ellipsis."""

from __future__ import annotations

import functools
import re

import discord

from index import clean

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
EMBED_TOTAL = 6000
CHOICE_NAME = 100
CHOICES = 25
SELECT_LABEL = 100
SELECT_OPTIONS = 25

_BRACKET = re.compile(r"(?<!\\)([\[\]])")
_URL = re.compile(r"\b(https?|ftp|discord)://", re.IGNORECASE)
_INVITE = re.compile(r"\b(discord(?:\.gg|app\.com/invite|\.com/invite))/", re.IGNORECASE)
_ANGLE_SYNTAX = re.compile(r"<(@|#|a?:|/|t:)")


def safe(text: str) -> str:
    """Escape markdown, mentions (@everyone, @here, users, roles, channels) and links; drop
    control and invisible characters (a right-to-left override would make a title read
    backwards to everyone)."""
    text = discord.utils.escape_markdown(clean(text), ignore_links=False)
    # Each pattern only where its first character occurs: most review text has none, and a
    # reply escapes some thirty pieces of it.
    if "@" in text:
        text = discord.utils.escape_mentions(text)
    if "<" in text:  # escape_mentions only knows real-length ids; any "<@", "<#", "<:" goes
        text = _ANGLE_SYNTAX.sub(lambda m: "<\u200b" + m.group(1), text)
    if "[" in text or "]" in text:
        text = _BRACKET.sub(r"\\\1", text)  # no [masked](links)
    if "://" in text:
        text = _URL.sub(lambda m: m.group(1) + "\\://", text)  # shown, not linked
    if "/" in text:
        text = _INVITE.sub(lambda m: m.group(1) + "\u200b/", text)
    return text


def cut(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters: whole sentences if one ends late enough, else whole words."""
    if len(text) <= limit:
        return text
    budget = max(0, limit - len(ellipsis))
    head = text[:budget]
    sentence_end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("\n"))
    if sentence_end >= budget * 0.6:
        head = head[: sentence_end + 1]
    elif not text[budget : budget + 1].isspace() and (space := head.rfind(" ")) > 0:
        head = head[:space]  # the cut fell inside a word: drop that word
    head = head.rstrip()
    while head.endswith("\\"):
        head = head[:-1]  # never leave half an escape
    if head.count("**") % 2:  # nor an unclosed bold
        at = head.rfind("**")
        head = head[:at] + head[at + 2 :]
    return head + ellipsis


def safe_cut(text: str, limit: int) -> str:
    """Escape, then fit; escaping can only lengthen text, so cut the escaped form."""
    return cut(safe(text), limit)


def bold_words(text: str, words: set[str], limit: int) -> str:
    """Escaped text with these words (lower-cased: the engine's highlights) in bold, within
    `limit`.

    The whole text is escaped first and the words found again in the escaped text: escaping
    piece by piece around the engine's offsets would let "@" and "everyone" through
    separately and rejoin them into a ping."""

    text = safe(text)
    if not words:
        return cut(text, limit)
    return cut(_words_pattern(frozenset(words)).sub(r"**\g<0>**", text), limit)


@functools.lru_cache(maxsize=256)
def _words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """The whole words of `words` (any case): not inside a longer word, nor after a
    backslash that escapes them. One regex, no Python call per word of the text (a reply is
    built in well under a millisecond)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w\\])(?:{alternatives})(?![\w'’-])", re.IGNORECASE)


def choices(names: list[str]) -> list[discord.app_commands.Choice[str]]:
    """Autocomplete choices within Discord's limits (25, of 100 characters each)."""
    return [
        discord.app_commands.Choice(name=cut(n, CHOICE_NAME), value=n[:100])
        for n in names[:CHOICES]
    ]

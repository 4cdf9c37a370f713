"""Escaping and cutting untrusted text for Discord, without Discord."""

import pytest

from bot.discord import safety


@pytest.mark.parametrize(
    "raw",
    [
        "@everyone",
        "@here",
        "<@123>",
        "<@!123456789012345678>",
        "<@&42>",
        "<#99>",
        "<:emoji:1>",
        "<t:0:R>",
        "[click](https://evil.example)",
        "https://evil.example",
        "discord.gg/abc",
    ],
)
def test_nothing_pings_links_or_embeds(raw):
    out = safety.safe(f"hello {raw} there")
    assert raw not in out


@pytest.mark.parametrize("marker", ["**", "__", "~~", "||", "`", "> ", "# "])
def test_markdown_is_shown_not_applied(marker):
    assert f"\\{marker[0]}" in safety.safe(f"{marker}text{marker.strip()}") or marker in (
        "> ",
        "# ",
    )


def test_cut_prefers_sentence_then_word_boundaries():
    text = "First sentence here. Second sentence is much longer than the first one."
    assert (
        safety.cut(text, 30) == "First sentence here.…"
    )  # the sentence end keeps most of the room
    assert (
        safety.cut(text, 40) == "First sentence here. Second sentence is…"
    )  # too early: cut on a word
    assert safety.cut("one two three four five six", 14) == "one two three…"
    assert safety.cut("short", 10) == "short"
    assert len(safety.cut("x" * 5000, 1024)) <= 1024


def test_cut_never_leaves_a_half_escape_or_an_open_bold():
    assert not safety.cut("abc \\* def", 6).rstrip("…").endswith("\\")
    assert safety.cut("aaa **zebra** bbb **zebra** ccc", 22).count("**") % 2 == 0


def test_bold_words_bolds_the_highlighted_words_and_stays_safe():
    text = "A zebra crossing story. @everyone <@123> **bold**"
    out = safety.bold_words(text, {"zebra", "everyone", "123"}, 300)
    assert "**zebra**" in out and "@everyone" not in out and "<@123>" not in out
    assert "\\*\\*bold\\*\\*" in out and "crossing" in out and "**crossing**" not in out


def test_bold_words_takes_whole_words_in_any_case_only():
    out = safety.bold_words("Zebra, zebras, zebra's and ZEBRA-like; zebra.", {"zebra"}, 300)
    assert out == "**Zebra**, zebras, zebra's and ZEBRA-like; **zebra**."

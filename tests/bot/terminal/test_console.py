"""The terminal's answer: lines wrapped here under their indent, whole when piped, and review
text printed as it is written, never as markup or escape sequences."""

import io
from dataclasses import replace

from rich.cells import cell_len
from rich.console import Console

from bot.terminal.console import BOLD, INDENT, ITALIC, Lines, print_result, wrapped
from index import Film, FilmHit, ReviewHit, SearchResult
from index.types import Ignored, ParsedQuery

SNIPPET = (
    "The heist is planned over a long dinner scene, and the second half pays off every "
    "little thing it set up, with a car chase along the harbour that never lets go."
)


def _result(snippet: str = SNIPPET, title: str = "The Harbour Job") -> SearchResult:
    film = Film("f1", title, 1998, ("FR",), ("Crime",), None, (), (), 1)
    review = ReviewHit("r1", "Ines", 8.0, snippet, ((4, 9),), "ines.jsonl")
    query = ParsedQuery(
        text="heist films",
        semantic="heist",
        ignored=[Ignored(phrase="on Netflix", why="no film's platforms are known")],
    )
    return SearchResult(
        query=query, hits=(FilmHit(film, 1.0, (review,)),), offset=0, total=1, has_more=False
    )


def _printed(result: SearchResult, **console: object) -> str:
    out = Console(file=io.StringIO(), **console)  # type: ignore[arg-type]
    print_result(out, result)
    return out.file.getvalue()  # type: ignore[attr-defined]


def test_long_review_lines_wrap_at_spaces_under_their_indent():
    lines = _printed(_result(), width=50).splitlines()
    review = lines[next(i for i, line in enumerate(lines) if line.startswith("1. ")) + 1 :]
    assert all(line.startswith(INDENT) for line in review)
    assert len(review) > 3
    assert all(cell_len(line) <= 50 for line in lines)
    assert all(not line.endswith(" ") for line in lines)
    words = " ".join(line.strip() for line in review).split()
    assert words == ["Ines,", "8/10:", *SNIPPET.split()]


def test_piped_output_keeps_each_line_whole():
    lines = _printed(_result(), width=40, soft_wrap=True).splitlines()
    assert lines[-1] == f"{INDENT}Ines, 8/10: {SNIPPET}"
    assert lines[1] == "Not used: “on Netflix” (no film's platforms are known)"


def test_a_word_longer_than_the_line_is_cut_inside_it():
    line = [("x" * 25, None)]
    cut = wrapped(line, 10, Console(width=10))
    assert [len("".join(t for t, _ in piece)) for piece in cut] == [
        10,
        10,
        10,
        4,
    ]  # later lines indented
    assert "".join(t for piece in cut for t, _ in piece).replace(" ", "") == "x" * 25


def test_a_cut_inside_a_styled_piece_keeps_its_style_on_both_sides():
    line = [(INDENT, None), ("Ines, 8/10: ", ITALIC), ("word " * 12, BOLD)]
    cut = wrapped(line, 20, Console(width=20))
    styles = {style for piece in cut[1:] for text, style in piece if text.strip()}
    assert styles == {BOLD}
    assert cut[0][1] == ("Ines, 8/10: ", ITALIC) and cut[0][-1] == ("word", BOLD)


def test_wide_characters_wrap_by_their_cells_under_the_reviews_indent():
    lines = _printed(_result("映画 " * 20 + "🎬 fin", title="東京物語"), width=30).splitlines()
    assert all(cell_len(line) <= 30 for line in lines)
    assert "".join(lines).count("映画") == 20
    review = lines[next(i for i, line in enumerate(lines) if "Ines" in line) :]
    assert len(review) > 2 and all(line.startswith(INDENT + "映画") for line in review[1:])
    assert all(not line.endswith(" ") for line in lines)


def test_a_first_word_too_long_for_the_line_is_cut_after_the_indent_not_in_it():
    line = [(INDENT, None), ("letterboxd_user_with_a_long_handle, 8/10: good", ITALIC)]
    cut = wrapped(line, 30, Console(width=30))
    texts = ["".join(t for t, _ in piece) for piece in cut]
    assert texts[0].startswith(INDENT + "letterboxd") and all(t.strip() for t in texts)


def test_a_reviewers_name_with_a_newline_or_tab_stays_on_its_line_when_piped():
    result = _result()
    review = result.hits[0].reviews[0]
    hit = FilmHit(result.hits[0].film, 1.0, (replace(review, reviewer="Ines\nthe\tcritic"),))
    piped = _printed(replace(result, hits=(hit,)), width=40, soft_wrap=True).splitlines()
    assert piped[-1].startswith(f"{INDENT}Ines the critic, 8/10: The heist")


def test_a_highlighted_word_reaches_a_colour_terminal_in_bold():
    printed = _printed(_result(), width=200, force_terminal=True, color_system="standard")
    assert "\x1b[1mheist\x1b[0m" in printed


def test_a_notice_of_several_lines_wraps_each():
    lines = Lines([[("first line\n" + "second " * 8, None)]])
    out = Console(file=io.StringIO(), width=20)
    out.print(lines, soft_wrap=True)
    printed = out.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert printed[0] == "first line"
    assert all(cell_len(line) <= 20 for line in printed)
    assert " ".join(printed[1:]).split() == ["second"] * 8


def test_review_text_is_printed_as_written_never_as_markup_or_escapes():
    hostile = "[bold red]loud[/] :smile: \x1b[2J\x1b]0;owned\x07 end"
    printed = _printed(_result(hostile), width=200, force_terminal=True, color_system=None)
    assert "[bold red]loud[/] :smile:" in printed
    assert "\\x1b[2J\\x1b]0;owned\\x07 end" in printed
    assert "\x1b" not in printed and "\x07" not in printed

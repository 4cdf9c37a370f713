"""Terminal rendering with rich. Every string goes out escaped, as `Plain` text or as the
pieces of a `Line`: never markup (a review cannot inject styles or links) and never a control
character (a review cannot clear the screen, retitle the window or plant a hidden link with
escape sequences)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot import presentation
from index import (
    CatalogueImport,
    FilmDetail,
    FilmHit,
    IngestReport,
    MovieNight,
    Recommendation,
    SearchResult,
    escaped,
    filter_phrases,
)


class Plain(Text):
    """Rich text whose strings reach the terminal with control characters made visible."""

    def __init__(self, text: str = "", *args: object, **kwargs: object) -> None:
        super().__init__(escaped(text), *args, **kwargs)  # type: ignore[arg-type]

    def append(self, text: str | Text, style: object = None) -> Plain:
        super().append(escaped(text) if isinstance(text, str) else text, style)  # type: ignore[arg-type]
        return self


Piece = tuple[str, Style | None]
Line = list[Piece]  # pieces already escaped, so they go out as they are

DIM, BOLD, ITALIC = Style(dim=True), Style(bold=True), Style(italic=True)
TITLE, NOTICE, REASON = Style(bold=True, color="cyan"), Style(color="yellow"), Style(color="green")
INDENT = "   "  # a review's lines under its film, its wrapped lines too


def _line(text: str, style: Style | None = None) -> Line:
    return [(escaped(text), style)]


def _one_line(text: str, style: Style | None = None) -> Line:
    """A field that is one line (a title, a reviewer's name, a reason), whatever its record
    held: a newline would split the answer's line when piped, a tab overrun the width."""
    return _line(" ".join(text.split()) + (" " if text.endswith(" ") else ""), style)


def understood(result: SearchResult) -> Line:
    parts = filter_phrases(result.query.filters)
    line = [("Filters: ", DIM), *_line(" · ".join(parts) if parts else "none")]
    if result.query.semantic:
        line += [("   About: ", DIM), *_line(result.query.semantic)]
    return line


def film_hit(index: int, hit: FilmHit) -> list[Line]:
    facts = " · ".join(presentation.film_facts(hit.film, hit.rating))
    head = [(f"{index}. ", BOLD), *_one_line(hit.film.label, TITLE), ("  ", None)]
    lines = [[*head, *_one_line(facts, DIM)]]
    for review in hit.reviews:
        who = (
            f"{presentation.reviewer(review.reviewer)}, {presentation.rating_text(review.rating)}: "
        )
        line = [(INDENT, None), *_one_line(who, ITALIC)]
        line += [
            (escaped(piece), BOLD if lit else None) for piece, lit in presentation.segments(review)
        ]
        lines.append(line)
    return lines


def notices(*said: str | None) -> list[Line]:
    """What the question lost or the answer left out: said apart from the films, in yellow,
    so that nobody takes a relaxed or thinned answer for the whole of it."""
    return [_line(notice, NOTICE) for notice in said if notice]


class Lines:
    """Lines sent as segments, wrapped here to the terminal's width or, when the output is
    piped (`soft_wrap`), one line per line for grep. rich's Text would join, split and wrap
    them again word by word, which was most of what a terminal user waited for after the
    answer itself."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in self.lines:
            for cut in [line] if console.soft_wrap else wrapped(line, width, console):
                for text, style in cut:
                    yield Segment(text, style)
                yield _NEWLINE


_NEWLINE = Segment.line()


def wrapped(line: Line, width: int, console: Console) -> list[Line]:
    """A line cut at spaces into lines of at most `width` cells, the later ones indented under
    the first's text. A line of one cell per character (nearly every line) is cut with a few
    string searches; one with wide characters (CJK, emoji) by rich's own wrapping."""
    plain = "".join(text for text, _ in line)
    if "\n" in plain:  # a notice of several lines: each wrapped
        return [cut for part in _split(line) for cut in wrapped(part, width, console)]
    cells = len(plain) if plain.isascii() else cell_len(plain)
    if cells <= width:
        return [line]
    lead = len(plain) - len(plain.lstrip(" "))  # the line's own indent
    indent = min(lead or len(INDENT), width // 2)
    if cells != len(plain):
        return _wrapped_wide(line, lead, indent, width, console)
    cuts, start, room = [], 0, width
    while len(plain) - start > room:
        cut = plain.rfind(" ", max(start, lead) + 1, start + room + 1)  # not in the indent
        start = cut + 1 if cut > start else start + room  # one long word: cut inside it
        cuts.append(start)
        room = width - indent
    pieces = _divide(line, cuts)
    for piece in pieces[:-1]:
        _rstrip(piece)
    return [pieces[0], *([(" " * indent, None), *piece] for piece in pieces[1:])]


def _wrapped_wide(line: Line, lead: int, indent: int, width: int, console: Console) -> list[Line]:
    """A line with wide characters (CJK, emoji) or combining marks, cut by rich, which counts
    their cells: the text after the line's indent, wrapped to the room under it."""
    text = Text()
    for piece, style in line:
        text.append(piece, style)
    cuts = text[lead:].wrap(console, max(1, width - indent))
    out = []
    for i, cut in enumerate(cuts):
        cut.rstrip()
        pad = " " * (lead if i == 0 else indent)
        out.append([(pad, None), *((s.text, s.style) for s in cut.render(console))])
    return out


def _divide(line: Line, cuts: list[int]) -> list[Line]:
    """The line cut at these offsets of its text (ascending), each piece keeping its style:
    a highlighted word cut by the width stays highlighted on both lines."""
    out: list[Line] = [[]]
    at, ends = 0, iter([*cuts, -1])
    end = next(ends)
    for text, style in line:
        while end >= 0 and end < at + len(text):
            if end > at:
                out[-1].append((text[: end - at], style))
            text, at = text[end - at :], end
            out.append([])
            end = next(ends)
        if text:
            out[-1].append((text, style))
        at += len(text)
    while end >= 0:  # cuts at the very end
        out.append([])
        end = next(ends)
    return out


def _rstrip(line: Line) -> None:
    """The spaces a cut leaves at a line's end taken off, across pieces: a terminal that
    shows trailing spaces (a selection, a copy) would carry them."""
    while line and not line[-1][0].rstrip(" "):
        line.pop()
    if line:
        line[-1] = (line[-1][0].rstrip(" "), line[-1][1])


def _split(line: Line) -> list[Line]:
    """The line at its newlines, which are dropped."""
    plain = "".join(text for text, _ in line)
    return _divide(line, [j for i, c in enumerate(plain) if c == "\n" for j in (i, i + 1)])[::2]


def print_result(console: Console, result: SearchResult) -> None:
    """The answer in one print (one write to the terminal, however many films), as `Lines`."""
    lines: list[Line] = []
    if result.similar_to is not None:
        lines.append(_line(f"Films like {result.similar_to.label}:", BOLD))
    lines.append(understood(result))
    lines += notices(
        presentation.ignored_notice(result),
        presentation.relaxed_notice(result),
        presentation.panned_notice(result),
    )
    if notice := presentation.empty_notice(result):
        lines.append(_line(notice))
    else:
        for i, hit in enumerate(result.hits, result.offset + 1):
            lines += film_hit(i, hit)
        if result.has_more:
            lines.append(
                _line(f"{presentation.shown_line(result)}. Say 'more' for the next page.", DIM)
            )
    console.print(Lines(lines), soft_wrap=True)


def print_film(console: Console, detail: FilmDetail) -> None:
    film = detail.film
    console.print(Plain(film.label, style="bold cyan"))
    table = Table.grid(padding=(0, 2))
    for label, value in [*presentation.film_details(film), ("Reviews", str(film.n_reviews))]:
        table.add_row(Plain(label, style="dim"), Plain(value))
    console.print(table)
    for review in detail.reviews:
        head = Plain(f"\n{presentation.reviewer(review.reviewer)}", style="italic")
        head.append(
            f" · {presentation.rating_text(review.rating)}"
            + (f" ({review.rating_raw})" if review.rating_raw else "")
        )
        if review.date:
            head.append(f" · {review.date}", style="dim")
        console.print(head)
        console.print(Plain(review.text))


def print_report(console: Console, report: IngestReport, limit: int = 50) -> None:
    table = Table(title="Ingest", show_header=True)
    for name in ("added", "updated", "unchanged", "duplicates", "rejected", "passages embedded"):
        table.add_column(name, justify="right")
    table.add_row(
        str(report.added),
        str(report.updated),
        str(report.unchanged),
        str(report.duplicates),
        str(report.n_rejected),
        str(report.passages_embedded),
    )
    console.print(table)
    for title, problems, total, style in (
        ("Rejected", report.rejected, report.n_rejected, "red"),
        ("Warnings", report.warnings, report.n_warnings, "yellow"),
    ):
        if problems:
            console.print(Plain(f"{title} ({total:,}):", style=f"bold {style}"))
            for problem in problems[:limit]:
                console.print(Plain(f"  {escaped(str(problem))}"))
            if total > limit:
                more = "use --json for the first 1,000" if total > 1000 else "use --json for all"
                console.print(Plain(f"  … and {total - limit:,} more ({more})", style="dim"))
    for note in report.notes:
        console.print(Plain(note, style="dim"))
    if report.films:
        console.print(Plain(presentation.matching_line(report.films), style="dim"))
    console.print(
        Plain(f"Index {report.version or '(none)'} · {report.seconds:.1f} s", style="dim")
    )


def print_catalogue(console: Console, done: CatalogueImport, limit: int = 20) -> None:
    table = Table(title="Catalogue", show_header=True)
    for name in ("source", "rows", "films kept", "skipped", "problems"):
        table.add_column(name, justify="left" if name == "source" else "right")
    for source, report in done.sources.items():
        table.add_row(
            Plain(source),
            str(report.rows),
            str(report.kept),
            str(report.skipped),
            str(len(report.problems) + report.more_problems),
        )
    console.print(table)
    for source, report in done.sources.items():
        for problem in report.problems[:limit]:
            console.print(Plain(f"  {problem}", style="yellow"))
        hidden = len(report.problems) - limit + report.more_problems
        if hidden > 0:
            console.print(Plain(f"  … and {hidden} more in {source} (use --json)", style="dim"))
    if done.tmdb is not None:
        t = done.tmdb
        console.print(
            Plain(
                f"TMDB: asked about {t.asked} film(s): {t.found} found, "
                f"{t.not_found} not found, {t.from_cache} answers from the cache",
                style="dim",
            )
        )
        for failure in t.failures[:limit]:
            console.print(Plain(f"  TMDB: {failure}", style="yellow"))
        if t.stopped:
            console.print(Plain(t.stopped, style="red"))
    elif done.tmdb_off:
        console.print(Plain(done.tmdb_off, style="dim"))
    if done.reviews:
        console.print(Plain(presentation.matching_line(done.reviews), style="dim"))
    console.print(
        Plain(
            f"{done.films} film(s) in the catalogue · index {done.version or '(none)'} "
            f"· {done.seconds:.1f} s",
            style="dim",
        )
    )


def _picks(console: Console, result: SearchResult, why: tuple[str, ...]) -> None:
    notice = notices(presentation.ignored_notice(result), presentation.relaxed_notice(result))
    lines = [understood(result), *notice]
    if not result.hits:
        lines.append(_line("No films left to suggest: every film that fits has been reviewed."))
    for i, (hit, reason) in enumerate(zip(result.hits, why, strict=True), 1):
        lines += [*film_hit(i, hit), [(INDENT, None), *_one_line(reason, REASON)]]
    console.print(Lines(lines), soft_wrap=True)


def print_recommendation(console: Console, rec: Recommendation) -> None:
    """A member's films, each with why; or, with too few rated reviews, what taste needs."""
    notice = presentation.taste_notice(rec.rated, rec.needed)
    console.print(Plain(notice or presentation.taste_basis(rec.rated), style="bold"))
    _picks(console, rec.result, rec.why)


def print_movie_night(console: Console, night: MovieNight) -> None:
    who = presentation.names([m.name for m in night.members])
    console.print(Plain(f"Movie night for {who}: {night.how}.", style="bold"))
    if notice := presentation.neutral_notice([m.name for m in night.neutral], night.needed):
        console.print(Plain(notice, style="yellow"))
    _picks(console, night.result, night.reasons)

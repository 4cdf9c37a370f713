"""Terminal rendering with rich. Every string goes out as `Plain` text: never markup (a review
cannot inject styles or links) and never a control character (a review cannot clear the
screen, retitle the window or plant a hidden link with escape sequences)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.segment import Segment
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


def understood(result: SearchResult) -> Text:
    parts = filter_phrases(result.query.filters)
    line = Plain("Filters: ", style="dim")
    line.append(" · ".join(parts) if parts else "none")
    if result.query.semantic:
        line.append("   About: ", style="dim")
        line.append(result.query.semantic)
    return line


def film_hit(index: int, hit: FilmHit) -> Group:
    head = Plain(f"{index}. ", style="bold")
    head.append(hit.film.label, style="bold cyan")
    head.append("  " + " · ".join(presentation.film_facts(hit.film, hit.rating)), style="dim")
    lines: list[Text] = [head]
    for review in hit.reviews:
        line = Plain(INDENT)
        line.append(
            f"{presentation.reviewer(review.reviewer)}, {presentation.rating_text(review.rating)}: ",
            style="italic",
        )
        for piece, highlighted in presentation.segments(review):
            line.append(piece, style="bold" if highlighted else "")
        lines.append(line)
    return Group(*lines)


INDENT = "   "  # a review's lines under its film, its wrapped lines too


class _Lines:
    """Lines that fit the terminal, rendered as they are: rich would join them, split them
    again and wrap each."""

    def __init__(self, lines: list[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            if line.style:  # render reads a text's own style only as a span
                line = Text().append_text(line)
            yield from line.render(console)
            yield Segment.line()


def wrapped(line: Text, width: int, console: Console) -> list[Text]:
    """A line cut at spaces into lines of at most `width` cells, the later ones indented
    under the first's text. rich wraps every line word by word at each print, which was most
    of what a terminal user waited for after the answer itself; a line of one cell per
    character (nearly every line) is cut here with a few string searches, one with wide
    characters by rich's own wrapping."""
    plain = line.plain
    if "\n" in plain:  # a notice of several lines: each wrapped
        return [cut for part in line.split("\n") for cut in wrapped(part, width, console)]
    cells = len(plain) if plain.isascii() else cell_len(plain)
    if cells <= width:
        return [line]
    if cells != len(plain):  # wide characters (CJK, emoji): rich counts their cells
        return list(line.wrap(console, width))
    indent = min(len(plain) - len(plain.lstrip(" ")) or len(INDENT), width // 2)
    cuts, start, room = [], 0, width
    while len(plain) - start > room:
        cut = plain.rfind(" ", start + 1, start + room + 1)
        start = cut + 1 if cut > start else start + room  # one long word: cut inside it
        cuts.append(start)
        room = width - indent
    pieces = list(line.divide(cuts))
    for piece in pieces[:-1]:
        piece.rstrip()
    for piece in pieces[1:]:
        piece.pad_left(indent)
    return pieces


def print_result(console: Console, result: SearchResult) -> None:
    """The answer in one print: a terminal's lines wrapped here (`wrapped`), none when the
    output is piped (one line per line, for grep)."""
    lines: list[Text | Group] = []
    if result.similar_to is not None:
        lines.append(Plain(f"Films like {result.similar_to.label}:", style="bold"))
    lines.append(understood(result))
    if notice := presentation.ignored_notice(result):
        lines.append(Plain(notice, style="yellow"))
    if notice := presentation.relaxed_notice(result):
        lines.append(Plain(notice, style="yellow"))
    if notice := presentation.panned_notice(result):
        lines.append(Plain(notice, style="yellow"))
    if notice := presentation.empty_notice(result):
        lines.append(Plain(notice))
    else:
        lines += [film_hit(i, hit) for i, hit in enumerate(result.hits, result.offset + 1)]
        if result.has_more:
            line = f"{presentation.shown_line(result)}. Say 'more' for the next page."
            lines.append(Plain(line, style="dim"))
    if console.soft_wrap:
        console.print(Group(*lines))
        return
    flat = [t for item in lines for t in (item.renderables if isinstance(item, Group) else [item])]
    width = console.width  # asks the terminal each time: once
    cut = [piece for line in flat for piece in wrapped(line, width, console)]  # type: ignore[arg-type]
    console.print(_Lines(cut), soft_wrap=True)


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
    console.print(understood(result))
    for notice in (presentation.ignored_notice(result), presentation.relaxed_notice(result)):
        if notice:
            console.print(Plain(notice, style="yellow"))
    if not result.hits:
        console.print(Plain("No films left to suggest: every film that fits has been reviewed."))
    for i, (hit, reason) in enumerate(zip(result.hits, why, strict=True), 1):
        console.print(film_hit(i, hit))
        console.print(Plain(f"   {reason}", style="green"))


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

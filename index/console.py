"""Terminal rendering with rich. Review text is always a rich Text, never markup, so a review
cannot inject styles or links."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from index.countries import country_name
from index.results import FilmDetail, FilmHit, SearchResult
from index.types import IngestReport

RELAXED_NAMES = {"countries": "country", "genres_all": "genre", "genres_any": "genre",
                 "genres_none": "genre exclusion", "countries_none": "country exclusion",
                 "rating": "rating", "year": "year", "directors": "director", "cast": "cast"}  # fmt: skip


def rating_text(rating: float | None) -> str:
    return "unrated" if rating is None else f"{rating:g}/10"


def understood(result: SearchResult) -> Text:
    parts = [text for _, text in result.query.filters.describe()]
    line = Text("Filters: ", style="dim")
    line.append(" · ".join(parts) if parts else "none")
    if result.query.semantic:
        line.append("   About: ", style="dim")
        line.append(result.query.semantic)
    return line


def film_hit(index: int, hit: FilmHit) -> Group:
    film = hit.film
    head = Text(f"{index}. ", style="bold")
    head.append(film.label, style="bold cyan")
    bits = [", ".join(country_name(c) for c in film.countries), ", ".join(film.genres),
            rating_text(hit.rating)]  # fmt: skip
    head.append("  " + " · ".join(b for b in bits if b), style="dim")
    lines: list[Text] = [head]
    for review in hit.reviews:
        line = Text("   ")
        line.append(
            f"{review.reviewer or 'anonymous'}, {rating_text(review.rating)}: ", style="italic"
        )
        a, b = review.highlight
        line.append(review.snippet[:a])
        line.append(review.snippet[a:b], style="bold")
        line.append(review.snippet[b:])
        lines.append(line)
    return Group(*lines)


def print_result(console: Console, result: SearchResult) -> None:
    if result.similar_to is not None:
        f = result.similar_to
        console.print(Text(f"Films like {f.title} ({f.year}):", style="bold"))
    console.print(understood(result))
    if result.relaxed:
        names = ", ".join(RELAXED_NAMES[n] for n in result.relaxed)
        culprit = RELAXED_NAMES.get(result.emptied_by or "", "the filters")
        console.print(Text(f"No film passes every filter: the {culprit} filter left nothing. "
                           f"Closest matches without the {names} filter:", style="yellow"))  # fmt: skip
    if not result.hits:
        console.print("No films found." if result.offset == 0 else "No more films.")
        return
    for i, hit in enumerate(result.hits, result.offset + 1):
        console.print(film_hit(i, hit))
    shown = result.offset + len(result.hits)
    if result.has_more:
        total = f" of {result.total}" if result.total else ""
        console.print(
            Text(
                f"Showing {result.offset + 1}-{shown}{total}. Say 'more' for the next page.",
                style="dim",
            )
        )


def print_film(console: Console, detail: FilmDetail) -> None:
    film = detail.film
    console.print(Text(film.label, style="bold cyan"))
    table = Table.grid(padding=(0, 2))
    for label, value in (
        ("Countries", ", ".join(country_name(c) for c in film.countries)),
        ("Genres", ", ".join(film.genres)),
        ("Director", film.director or ""),
        ("Cast", ", ".join(film.cast)),
        ("Streaming", ", ".join(film.platforms)),
        ("Reviews", str(film.n_reviews)),
    ):
        if value:
            table.add_row(Text(label, style="dim"), Text(value))
    console.print(table)
    for review in detail.reviews:
        head = Text(f"\n{review.reviewer or 'anonymous'}", style="italic")
        head.append(
            f" · {rating_text(review.rating)}"
            + (f" ({review.rating_raw})" if review.rating_raw else "")
        )
        if review.date:
            head.append(f" · {review.date}", style="dim")
        console.print(head)
        console.print(Text(review.text))


def print_report(console: Console, report: IngestReport, limit: int = 50) -> None:
    table = Table(title="Ingest", show_header=True)
    for name in ("added", "updated", "unchanged", "duplicates", "rejected", "passages embedded"):
        table.add_column(name, justify="right")
    table.add_row(str(report.added), str(report.updated), str(report.unchanged), str(report.duplicates),
                  str(len(report.rejected)), str(report.passages_embedded))  # fmt: skip
    console.print(table)
    for title, problems, style in (
        ("Rejected", report.rejected, "red"),
        ("Warnings", report.warnings, "yellow"),
    ):
        if problems:
            console.print(Text(f"{title} ({len(problems)}):", style=f"bold {style}"))
            for problem in problems[:limit]:
                console.print(Text(f"  {problem}"))
            if len(problems) > limit:
                console.print(
                    Text(f"  … and {len(problems) - limit} more (use --json for all)", style="dim")
                )
    console.print(Text(f"Index {report.version or '(none)'} · {report.seconds:.1f} s", style="dim"))

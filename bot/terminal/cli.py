"""The `cinebot` command line: ingest, catalogue, search, similar, film, stats, recommend,
movienight, chat, library, run, bot."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from bot.terminal.console import (
    Plain,
    print_catalogue,
    print_film,
    print_movie_night,
    print_recommendation,
    print_report,
    print_result,
)
from config import ConfigError, Settings, load_settings
from index import (
    BASE_LIBRARY,
    CatalogueImport,
    Conversation,
    Engine,
    FilmDetail,
    IndexBusy,
    IndexDamaged,
    IndexMissing,
    IngestReport,
    NotYours,
    SearchResult,
    library_of,
    no_title_message,
)
from index import Progress as IngestProgress

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Film recommendations from reviews."
)


def _console(stderr: bool = False) -> Console:
    """Wrapped for people in a terminal; one line per line when piped, so scripts can grep."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, soft_wrap=not stream.isatty())


IndexOption = Annotated[
    Path | None, typer.Option("--index", help="Index folder (default: config / CINEBOT_INDEX_DIR).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
ServerOption = Annotated[
    int | None,
    typer.Option(
        "--server",
        help="A Discord server's id: its own library as well as the base one, as in that server.",
    ),
]


def _engine(index: Path | None) -> Engine:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        settings = load_settings(**({"index_dir": index} if index else {}))
    except ConfigError as exc:
        _console(stderr=True).print(Plain(f"cinebot: {exc}"))
        raise typer.Exit(2) from None
    return Engine(settings)


def _fail(message: str, code: int = 1) -> typer.Exit:
    _console(stderr=True).print(Plain(f"cinebot: {message}"))
    return typer.Exit(code)


@contextlib.contextmanager
def _told() -> Iterator[None]:
    """What the engine says went wrong (no index, another ingest writing) is one line on
    stderr and exit code 1, never a traceback."""
    try:
        yield
    except (IndexMissing, IndexBusy, IndexDamaged) as exc:
        raise _fail(str(exc)) from None


def _emit(answer: SearchResult | FilmDetail, as_json: bool, show: Callable[..., None]) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        show(_console(), answer)


def _bar(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_console(stderr=True),
        disable=quiet,
        transient=True,
    )


def _run_ingest(
    engine: Engine,
    paths: list[Path],
    quiet: bool,
    rebuild: bool = False,
    rating_scale: float | None = None,
    library: str = BASE_LIBRARY,
    keep_owners: bool = False,
) -> IngestReport:
    with _bar(quiet) as bar:
        tasks: dict[str, TaskID] = {}
        progress = IngestProgress(
            on_files=lambda n: tasks.__setitem__("read", bar.add_task("Reading files", total=n)),
            on_file=lambda _: bar.advance(tasks["read"]),
            on_embed_start=lambda n: tasks.__setitem__(
                "embed", bar.add_task("Embedding passages", total=n)
            ),
            on_embedded=lambda n: bar.advance(tasks["embed"], n),
        )
        with _told():
            return engine.ingest(
                paths,
                progress,
                rebuild=rebuild,
                rating_scale=rating_scale,
                library=library,
                keep_owners=keep_owners,
            )


def _run_catalogue(
    engine: Engine, paths: list[Path], quiet: bool, tmdb: bool = True
) -> CatalogueImport:
    with _bar(quiet) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(f"Reading {what}", total=total)
            bar.update(tasks[what], completed=done, total=total)

        with _told():
            return engine.import_catalogue(paths, progress, tmdb=tmdb)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Review files or folders (default: configured review paths)."),
    ] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
    rebuild: Annotated[
        bool,
        typer.Option(
            help="A fresh version: the library holds just these files' reviews (any index, damaged too)."
        ),
    ] = False,
    rating_scale: Annotated[
        float | None,
        typer.Option(
            min=1, help="What bare-number ratings are out of (e.g. 5), where a file does not say."
        ),
    ] = None,
    server: Annotated[
        int | None, typer.Option("--server", help="Into this Discord server's own library.")
    ] = None,
    keep_owners: Annotated[
        bool,
        typer.Option(
            "--keep-owners",
            help="Take in members' reviews another library exported, still owned by them.",
        ),
    ] = False,
) -> None:
    """Index new and changed reviews; unchanged ones cost nothing."""
    engine = _engine(index)
    paths = paths or engine.default_paths()
    report = _run_ingest(
        engine,
        paths,
        quiet=as_json,
        rebuild=rebuild,
        rating_scale=rating_scale,
        library=library_of(server) or BASE_LIBRARY,
        keep_owners=keep_owners,
    )
    if as_json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(_console(), report)
    if report.rejected and not (
        report.added or report.updated or report.unchanged or report.duplicates
    ):
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='A question, e.g. "Korean action thrillers rated 8+".')
    ],
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, max=50, help="Films to show (default: what the question asks, else 5)."
        ),
    ] = None,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    index: IndexOption = None,
    as_json: JsonOption = False,
    server: ServerOption = None,
) -> None:
    """Answer a film question."""
    engine = _engine(index)
    with _told():
        result = engine.ask(query, limit=limit, offset=offset, library=library_of(server))
    _emit(result, as_json, print_result)


@app.command()
def similar(
    title: Annotated[str, typer.Argument(help="A film title; fuzzy, add the year to pick one.")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
    index: IndexOption = None,
    as_json: JsonOption = False,
    server: ServerOption = None,
) -> None:
    """Films whose reviews read like this film's reviews."""
    with _told():
        match, result = _engine(index).similar(title, limit=limit, library=library_of(server))
    if result is None:
        raise _fail(no_title_message(match))
    _emit(result, as_json, print_result)


@app.command()
def film(
    title: Annotated[str, typer.Argument(help="A film title; fuzzy, add the year to pick one.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
    server: ServerOption = None,
) -> None:
    """One film: its metadata and all its reviews."""
    with _told():
        match, detail = _engine(index).film(title, library=library_of(server))
    if detail is None:
        raise _fail(no_title_message(match))
    _emit(detail, as_json, print_film)


@app.command()
def stats(
    index: IndexOption = None, as_json: JsonOption = False, server: ServerOption = None
) -> None:
    """Counts of reviews, films, passages, countries and genres (`libraries`: by library)."""
    with _told():
        counts = _engine(index).stats(library_of(server))
    if as_json:
        print(json.dumps(counts, indent=2))
        return
    console = _console()
    for key, value in counts.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        console.print(Plain(f"{key:>14}  ", style="dim") + Plain(str(value)))


UserOption = Annotated[int, typer.Option("--user", help="The member's Discord user id.")]
NeededServer = Annotated[
    int, typer.Option("--server", help="The Discord server whose library holds their reviews.")
]


@app.command()
def recommend(
    user: UserOption,
    server: NeededServer,
    question: Annotated[
        str, typer.Argument(help='Optional: what they feel like, e.g. "something Korean".')
    ] = "",
    limit: Annotated[int | None, typer.Option(min=1, max=25, help="Films to show.")] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Films for a member from their own reviews in a server, as /recommend answers them
    (the JSON is `search --json` with a `why` per film)."""
    library = library_of(server)
    assert library is not None
    with _told():
        found = _engine(index).taste.recommend(library, user, question, limit)
    if as_json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_recommendation(_console(), found)


@app.command()
def movienight(
    users: Annotated[
        list[int], typer.Option("--user", help="A member's Discord user id (two or more).")
    ],
    server: NeededServer,
    question: Annotated[str, typer.Argument(help="Optional: what the night is for.")] = "",
    limit: Annotated[int, typer.Option(min=2, max=10, help="Films to choose from.")] = 5,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Films for a group of members of a server, balancing their tastes, as /movienight
    picks them for its poll."""
    library = library_of(server)
    assert library is not None
    group = list(dict.fromkeys(users))
    if len(group) < 2:
        raise _fail("a movie night needs two members or more (--user, --user)", 2)
    members = [(uid, f"member {uid}") for uid in group]
    with _told():
        night = _engine(index).taste.movie_night(library, members, question, limit)
    if as_json:
        print(json.dumps(night.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_movie_night(_console(), night)


def _chat(engine: Engine, library: str | None = None) -> None:
    conversation = Conversation(engine, library=library)
    console = _console()
    interactive = sys.stdin.isatty()
    if interactive:
        console.print("cinebot: ask me for films ('help' for examples, 'quit' to leave).")
    while True:
        try:
            line = console.input("[bold]you>[/] ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            break
        if not interactive and line == "":
            break
        if not line.strip():
            continue
        if not interactive:
            console.print(Plain(f"you> {line.strip()}", style="bold"))
        try:
            reply = conversation.ask(line)
        except (IndexMissing, IndexDamaged, ValueError) as exc:
            console.print(Plain(f"cinebot: could not answer that: {exc}", style="red"))
            continue
        if reply.kind == "bye":
            break
        if reply.result is not None:
            print_result(console, reply.result)
        elif reply.detail is not None:
            print_film(console, reply.detail)
        else:
            console.print(Plain(reply.message))


@app.command()
def chat(index: IndexOption = None, server: ServerOption = None) -> None:
    """A conversation; follow-ups refine the last question. Reads stdin when it is not a terminal."""
    engine = _engine(index)
    if not engine.has_index():
        raise _fail(f"no index at {engine.settings.index_dir}; run `cinebot ingest PATH` first")
    _chat(engine, library_of(server))


@app.command()
def catalogue(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalogue files (.csv, .tsv, .jsonl) or folders of IMDb's dataset "
            "files (default: configured catalogue paths)."
        ),
    ] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
    tmdb: Annotated[
        bool, typer.Option(help="Ask TMDB for what the catalogue lacks (needs a key).")
    ] = True,
) -> None:
    """Import film knowledge (countries, languages, genres, people, runtimes, posters) and
    file the indexed reviews under the films it knows; nothing is embedded again."""
    engine = _engine(index)
    paths = paths or engine.default_catalogue_paths()
    if not paths and not (tmdb and engine.settings.tmdb.api_key):
        raise _fail("nothing to import: name a catalogue file or an IMDb dataset folder", 2)
    done = _run_catalogue(engine, paths, quiet=as_json, tmdb=tmdb)
    if as_json:
        print(json.dumps(done.as_dict(), indent=2, ensure_ascii=False))
    else:
        print_catalogue(_console(), done)
    if done.sources and not any(r.kept for r in done.sources.values()) and not done.tmdb:
        raise typer.Exit(1)


# ---------------------------------------------------------------------- libraries
library_app = typer.Typer(
    no_args_is_help=True,
    help="Each Discord server's own library: list, export, post a member's review, purge.",
)
app.add_typer(library_app, name="library")
ServerArgument = Annotated[int, typer.Argument(help="The Discord server's id.")]


@library_app.command("list")
def library_list(index: IndexOption = None, as_json: JsonOption = False) -> None:
    """Every library with its counts, and the servers left (purged after `keep_days`)."""
    engine = _engine(index)
    with _told():
        counts = engine.stats(everything=True)["libraries"] if engine.has_index() else {}
    leaving = engine.libraries.departed()
    if as_json:
        print(json.dumps({"libraries": counts, "left": leaving}, indent=2))
        return
    console = _console()
    assert isinstance(counts, dict)
    for name, n in counts.items():
        left = f" · left {leaving[name]}" if name in leaving else ""
        console.print(Plain(f"{name:>28}  {n['reviews']} reviews of {n['films']} films{left}"))


@library_app.command("export")
def library_export(
    server: ServerArgument,
    out: Annotated[Path | None, typer.Option(help="Write here (default: stdout).")] = None,
    index: IndexOption = None,
) -> None:
    """A server's library as JSONL, which `cinebot ingest --server` reads back."""
    library = library_of(server)
    assert library is not None
    with _told():
        text = _engine(index).libraries.export(library)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        _console(stderr=True).print(Plain(f"{text.count(chr(10))} review(s) written to {out}"))


@library_app.command("post")
def library_post(
    server: ServerArgument,
    title: Annotated[str, typer.Argument(help='The film, e.g. "Heat (1995)".')],
    user: Annotated[int, typer.Option(help="The member's Discord user id (whose review).")],
    name: Annotated[str, typer.Option(help="The member's name, as shown with the review.")],
    text: Annotated[str, typer.Option(help="The review's words.")] = "",
    rating: Annotated[str | None, typer.Option(help="0-10, 4/5 or ★★★★.")] = None,
    edit: Annotated[
        str | None, typer.Option(help="Replace this review of theirs (its id).")
    ] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """A member's review, as `/review post` files it (`--edit ID`: as `/review edit`)."""
    library = library_of(server)
    assert library is not None
    engine = _engine(index)
    with _told():
        try:
            review_id, report = engine.libraries.post(
                library, user, name, title, rating, text, edit
            )
        except (ValueError, NotYours) as exc:
            raise _fail(f"not saved: {exc}") from None
    engine.merges.wait()  # the merge the commit started: a process ending under it loses it
    if as_json:
        print(json.dumps({"review_id": review_id, **report.as_dict()}, indent=2))
    else:
        _console().print(Plain(f"saved {review_id} in {library} (index {report.version})"))


@library_app.command("ratings")
def library_ratings(
    server: ServerArgument,
    path: Annotated[
        Path, typer.Argument(help="Letterboxd's ratings.csv or IMDb's ratings export.")
    ],
    user: Annotated[int, typer.Option(help="The member's Discord user id (whose ratings).")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """A member's ratings export, as `/taste import` takes it: their own ratings without words,
    which only their taste reads."""
    library = library_of(server)
    assert library is not None
    engine = _engine(index)
    with _told():
        try:
            brought = engine.taste.bring(library, user, path)
        except ValueError as exc:
            raise _fail(f"not saved: {exc}") from None
    engine.merges.wait()
    if as_json:
        data = {
            "ratings": brought.ratings,
            "unrated": brought.unrated,
            "words_left_out": brought.words,
        }
        print(json.dumps({**data, **brought.report.as_dict()}, indent=2))
    else:
        print_report(_console(), brought.report)
        _console().print(Plain(f"{brought.ratings} rating(s) of {user} in {library}"))
    if not brought.ratings:
        raise typer.Exit(1)


@library_app.command("purge")
def library_purge(server: ServerArgument, index: IndexOption = None) -> None:
    """Delete a server's library now (what happens `keep_days` after the bot leaves it)."""
    library = library_of(server)
    assert library is not None
    engine = _engine(index)
    with _told():
        gone = engine.libraries.purge(library)
    _console().print(Plain(f"purged {library}: {gone} review(s) and its uploaded files deleted"))


@library_app.command("purge-user")
def library_purge_user(
    user: Annotated[int, typer.Argument(help="The member's Discord user id.")],
    index: IndexOption = None,
) -> None:
    """Delete one person's reviews from every library they are in (copies an export carried
    included) and their records from every server's uploaded files."""
    with _told():
        purged = _engine(index).libraries.purge_member(user)
    console = _console()
    console.print(Plain(f"deleted {sum(purged.reviews.values())} review(s) by user {user}"))
    for library, n in sorted(purged.reviews.items()):
        console.print(Plain(f"  {library}: {n} review(s)"))
    for path, n in purged.files:
        console.print(Plain(f"  {path}: {n} record(s) removed"))


def _ensure_index(engine: Engine) -> None:
    """On the first run: the model's export, the catalogue first (so reviews are filed under
    its films), then the reviews. A run cut short after the catalogue still indexes the
    reviews next time."""
    _prepare_model(engine)
    with _told():
        _build_first(engine)


def _prepare_model(engine: Engine) -> None:
    if engine.encoder.needs_export:
        _console(stderr=True).print(
            "Preparing the embedding model for onnxruntime (once per machine, about ten seconds)…"
        )
    engine.encoder.prepare()


@app.command()
def model(index: IndexOption = None) -> None:
    """Export the embedding model to ONNX now (otherwise done on first use); says where."""
    engine = _engine(index)
    _prepare_model(engine)
    _console().print(Plain(f"embedding model ready in {engine.settings.embedding.onnx_dir}"))


def _build_first(engine: Engine) -> None:
    err = _console(stderr=True)
    fresh = not engine.has_index()
    if fresh and (catalogues := engine.default_catalogue_paths()):
        err.print(f"Importing the film catalogue {', '.join(map(str, catalogues))}…")
        print_catalogue(err, _run_catalogue(engine, catalogues, quiet=False, tmdb=False))
    if fresh or engine.stats()["reviews"] == 0:
        paths = engine.default_paths()
        err.print(f"Building the index from {', '.join(map(str, paths))} (first run only)…")
        print_report(err, _run_ingest(engine, paths, quiet=False), limit=10)


@app.command()
def bot(
    index: IndexOption = None,
    sync: Annotated[
        bool, typer.Option("--sync", help="Publish the slash commands globally at start.")
    ] = False,
) -> None:
    """Run the Discord bot (needs DISCORD_TOKEN in the environment or .env)."""
    engine = _engine(index)
    if engine.settings.discord_token is None:
        raise _fail(
            "DISCORD_TOKEN is not set (environment or .env); `cinebot chat` needs no token", 2
        )
    _ensure_index(engine)
    # Discord is imported only when it runs: the terminal needs none of it.
    from bot.discord import app as discord_app

    discord_app.run_bot(engine.settings, sync_globally=sync)


@app.command()
def run(index: IndexOption = None) -> None:
    """What `make run` does: build the index if absent, then the Discord bot when DISCORD_TOKEN
    is set, else the terminal chat."""
    engine = _engine(index)
    _ensure_index(engine)
    if engine.settings.discord_token is not None:
        from bot.discord import app as discord_app

        discord_app.run_bot(engine.settings)
    else:
        _chat(engine)


if __name__ == "__main__":
    app()


__all__ = ["Settings", "app"]

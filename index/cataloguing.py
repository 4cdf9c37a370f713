"""Import film knowledge: catalogue files, folders of IMDb's dataset files and, with a key,
TMDB. The films go into a new catalogue file, published with the next index version; every
review already indexed is filed again under the film the catalogue knows, and its facts
merged again. Nothing is embedded: the vectors of the previous version are carried over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from config import Settings
from index.ingest import FilmResolver, model_facts
from index.knowledge.catalogue import CatalogueFilm, CatalogueWriter, catalogue_damage
from index.reading.catalogue_files import KINDS, CatalogueReport, read_catalogue_file
from index.reading.imdb_datasets import is_imdb_folder, read_imdb_folder
from index.reading.readers import FileError
from index.reading.tmdb import Tmdb, TmdbRefused, TmdbReport
from index.storage.vectors import backend_for
from index.storage.versions import IndexStore, VersionWriter

# (what is being read, how far, of how much): bytes of a file, or films asked of TMDB.
CatalogueProgress = Callable[[str, int, int], None]


@dataclass
class CatalogueImport:
    """What `cinebot catalogue` did: per source, rows read / kept / skipped and why; how the
    reviews already indexed now match the catalogue; what TMDB answered."""

    sources: dict[str, CatalogueReport] = field(default_factory=dict)
    films: int = 0  # in the catalogue after the import
    reviews: dict[str, int] = field(default_factory=dict)  # matched / ambiguous / unmatched
    tmdb: TmdbReport | None = None
    tmdb_off: str | None = None  # why TMDB was not asked
    version: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": {name: report.as_dict() for name, report in self.sources.items()},
            "films": self.films,
            "reviews": {k: self.reviews.get(k, 0) for k in ("matched", "ambiguous", "unmatched")},
            "tmdb": self.tmdb.as_dict() if self.tmdb else None,
            "tmdb_off": self.tmdb_off,
            "version": self.version,
            "seconds": round(self.seconds, 3),
        }


def import_catalogue(
    paths: list[Path],
    settings: Settings,
    new_manifest: Callable[[], dict[str, Any]],
    progress: CatalogueProgress | None = None,
    use_tmdb: bool = True,
) -> CatalogueImport:
    """Read `paths` into a new catalogue and publish it with a new index version whose
    reviews are filed under the films it knows. `new_manifest` gives the model facts of an
    index that does not exist yet (it is called only then)."""
    started = time.perf_counter()
    out = CatalogueImport()
    vectors_to = backend_for(settings)
    store = IndexStore(settings.index_dir, vectors_to)
    with store.lock():
        base, damage = store.live_or_damaged()  # a damaged index: the catalogue starts a new one
        previous = store.catalogue_path(base)
        if damage:
            damage += ": a new index was started, without the reviews indexed before"
        elif previous is not None and (why := catalogue_damage(previous)):
            damage = f"the film catalogue is damaged ({why}): a new one was started"
        if damage:
            notice = CatalogueReport()
            notice.problem(str(previous or settings.index_dir), "", damage)
            out.sources[str(previous or settings.index_dir)] = notice
            previous = None
        path = store.new_catalogue()
        catalogue = CatalogueWriter(path, base=previous)
        writer: VersionWriter | None = None
        try:
            for source in sources(paths):
                out.sources[str(source)] = _read_source(source, catalogue, path, progress)
            writer = store.begin(base, catalogue=path)
            moves = _refile(writer, catalogue, out)
            if use_tmdb:
                _ask_tmdb(settings, writer, catalogue, moves, out, progress)
                if out.tmdb and out.tmdb.found:
                    moves = _refile(writer, catalogue, out)
            writer.refile(moves)
            writer.refresh_all_films()
            out.films = len(catalogue.reading)
            catalogue.close()
            writer.use_catalogue(path)
            manifest = model_facts(base.manifest) if base is not None else new_manifest()
            out.version = writer.commit(manifest, vectors_to)
        except BaseException:
            if writer is not None:
                writer.abort()
            path.unlink(missing_ok=True)
            raise
    out.seconds = time.perf_counter() - started
    return out


def sources(paths: list[Path]) -> list[Path]:
    """What to read: files and IMDb dataset folders as given; a folder of catalogue files
    as those files, one by one, in name order."""
    out = []
    for path in paths:
        found = []
        if path.is_dir() and not is_imdb_folder(path):
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in KINDS
            )
        out += found or [path]
    return out


def _read_source(
    source: Path, catalogue: CatalogueWriter, path: Path, progress: CatalogueProgress | None
) -> CatalogueReport:
    report = CatalogueReport()

    def conflict(film: CatalogueFilm, first: tuple[str, str], why: str) -> None:
        where = first[1] if first[0] == film.origin[0] else f"{Path(first[0]).name}:{first[1]}"
        report.problem(
            film.origin[0], film.origin[1], f"{film.key} is also {where} ({why}); the first is kept"
        )
        report.kept -= 1
        report.skipped += 1

    try:
        if is_imdb_folder(source):
            scratch = path.with_name(path.stem + ".scratch.sqlite")
            catalogue.put(read_imdb_folder(source, scratch, report, progress), on_conflict=conflict)
        elif source.is_dir():
            kinds = ", ".join(sorted(KINDS))
            raise FileError(
                "a folder with neither IMDb dataset files (title.basics.tsv or .tsv.gz, with "
                f"title.crew and name.basics) nor catalogue files ({kinds})"
            )
        elif source.is_file():
            size = source.stat().st_size
            if progress:
                progress(source.name, 0, size)
            catalogue.put(read_catalogue_file(source, report), on_conflict=conflict)
            if progress:
                progress(source.name, size, size)
        else:
            raise FileError("no such file or folder")
    except FileError as exc:
        report.problem(str(source), "", str(exc))
    except OSError as exc:
        report.problem(str(source), "", f"cannot read: {exc.strerror or exc}")
    return report


def _refile(
    writer: VersionWriter, catalogue: CatalogueWriter, out: CatalogueImport
) -> dict[str, str]:
    """The film each indexed review belongs under now (review id -> film id)."""
    film_of = FilmResolver(catalogue.reading, writer.films_by_title(), writer.reviewed_in)
    moves = {review.review_id: film_of(review) for review, _ in writer.reviews()}
    out.reviews = dict(film_of.counts) if film_of.active else {}
    return moves


def _ask_tmdb(
    settings: Settings,
    writer: VersionWriter,
    catalogue: CatalogueWriter,
    moves: dict[str, str],
    out: CatalogueImport,
    progress: CatalogueProgress | None,
) -> None:
    """Fill what the catalogue lacks about the films that have reviews: facts missing from
    known films (by IMDb id), and films it does not know at all (by title and year)."""
    if settings.tmdb.api_key is None:
        out.tmdb_off = (
            "TMDB is off: set CINEBOT_TMDB__API_KEY to fill countries, languages and posters"
        )
        return
    wanted: dict[str, tuple[str | None, str, int | None]] = {}
    for review, _ in writer.reviews():
        known = catalogue.get(moves[review.review_id])
        if known is None:
            wanted.setdefault(
                f"title:{review.title}|{review.year}", (review.imdb_id, review.title, review.year)
            )
        elif known.missing() and {"countries", "languages", "poster_url", "cast"} & set(
            known.missing()
        ):
            wanted.setdefault(known.key, (known.imdb_id, known.title, known.year))
    out.tmdb = TmdbReport()
    tmdb = Tmdb(settings.tmdb, out.tmdb)
    try:
        for done, (key, (imdb_id, title, year)) in enumerate(wanted.items(), 1):
            found = tmdb.film(imdb_id, title, year)
            if found is not None:
                if not key.startswith("title:"):
                    found = replace(found, key=key)  # facts for the film the catalogue has
                catalogue.put([found], only_missing=True)
            if progress:
                progress("TMDB", done, len(wanted))
    except TmdbRefused:
        pass  # out.tmdb.stopped says why
    finally:
        tmdb.close()

"""The engine: the one facade the CLI, the chat, the tests and the Discord bot call.

It owns the live version (opened once per version, in the caller's thread or, for an event
loop, in the background) and the writes (ingest, catalogue import). Questions are answered
by `index.answering` on a snapshot; a server's own library is `engine.libraries`."""

from __future__ import annotations

import contextlib
import gc
import threading
from functools import cached_property
from pathlib import Path

from config import Settings
from index.answering import answer, lookup
from index.answering.answer import Scope
from index.cataloguing import CatalogueImport, CatalogueProgress, import_catalogue
from index.embedding.encoder import Encoder
from index.errors import IndexDamaged, IndexMissing
from index.ingest import Progress, index_manifest, ingest
from index.libraries import Libraries
from index.results import FilmDetail, SearchResult, TitleMatch
from index.storage.merges import Merger
from index.storage.snapshot import Snapshot, open_snapshot
from index.storage.vectors import VectorBackend, backend_for
from index.storage.versions import IndexStore
from index.taste import Taste
from index.telemetry import METRICS
from index.types import BASE_LIBRARY, IngestReport, ParsedQuery, QueryFilters

SAMPLE_CORPUS = Path(__file__).with_name("sample_corpus")
SAMPLE_CATALOGUE = Path(__file__).with_name("sample_catalogue") / "films.csv"


class Engine:
    """Thread-safe: each call works on the snapshot that was live when it started, so
    searches keep answering from the previous version while a re-index publishes a new one.
    Every read takes the asking place's library: a server sees the base library and its own,
    never another server's; None (a DM, the terminal) sees the base library."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.store = IndexStore(settings.index_dir)
        self.vectors: VectorBackend = backend_for(settings)
        self._encoder = encoder
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()  # held while a version opens
        self._starting = threading.Lock()  # held only to start the background opener
        self._loading: threading.Thread | None = None
        # Segments merged: now (after an ingest), or in the background after a member's commit.
        self.merges = Merger(self.store.root, self.vectors, settings.libraries.write_wait_seconds)
        self.merges.published = self.refresh

    @cached_property
    def libraries(self) -> Libraries:
        """Each server's own library: members' reviews, departures, uploads."""
        return Libraries(self)

    @cached_property
    def taste(self) -> Taste:
        """Films for a member from their own reviews, and for a movie night."""
        return Taste(self)

    # ------------------------------------------------------------------ the live version
    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder(self.settings.embedding)
        return self._encoder

    def snapshot(self) -> Snapshot:
        """The live version, opened (in this thread) when CURRENT has moved on."""
        name = self.store.current_name()
        if name is None:
            raise IndexMissing(
                f"no index at {self.settings.index_dir}; run `cinebot ingest PATH` first"
            )
        snap = self._snapshot
        if snap is not None and snap.name == name:
            return snap
        with self._lock:
            if self._snapshot is None or self._snapshot.name != name:
                held = self.store.hold_live()
                if held is None:
                    raise IndexMissing(f"no index at {self.settings.index_dir}")
                info, lease = held
                self._snapshot = open_snapshot(info, self.vectors, lease)
                METRICS.index_size(len(self._snapshot.review_ids), self._snapshot.n_passages)
            return self._snapshot

    def loaded(self) -> Snapshot | None:
        """The version in memory now, never opened here: for callers that must not wait (an
        event loop). When a newer version is live, it is opened in a background thread and
        the next call gets it."""
        snap = self._snapshot
        try:
            live = self.store.current_name()
        except IndexDamaged:
            return snap  # a search will say what is wrong
        if (snap is None or snap.name != live) and live is not None:
            # Not `_lock`: that one is held for as long as a version takes to open.
            with self._starting:
                if self._loading is None or not self._loading.is_alive():
                    self._loading = threading.Thread(
                        target=self._open_quietly, name="cinebot-open", daemon=True
                    )
                    self._loading.start()
        return snap

    def _open_quietly(self) -> None:
        with contextlib.suppress(IndexMissing, IndexDamaged):  # a search will report it
            self.snapshot()

    def has_index(self) -> bool:
        """Whether there is an index here at all (a damaged one counts: opening it says so)."""
        try:
            return self.store.current_name() is not None
        except IndexDamaged:
            return True

    def refresh(self, now: bool = False) -> None:
        """After a write, an engine that serves (holds a version) opens the new one in the
        background and then lets the old one go, so that a later commit can collect it
        once the searches still using it have finished. `now` (purge-user): opened in this
        thread, and every older version this process held let go before it returns (a
        snapshot's lease goes with it once nothing refers to it), so that they and the
        segments only they name can be collected."""
        if self._snapshot is None:
            return
        if not now:
            self.loaded()
            return
        self.snapshot()
        loading = self._loading
        if loading is not None:
            loading.join()  # an opener started earlier may still hold an older version
        gc.collect()  # a snapshot's parts refer to each other

    # ------------------------------------------------------------------ writing
    def ingest(
        self,
        paths: list[Path],
        progress: Progress | None = None,
        rebuild: bool = False,
        rating_scale: float | None = None,
        library: str = BASE_LIBRARY,
        keep_owners: bool = False,
    ) -> IngestReport:
        """Index new and changed reviews into `library` (the base library, or a server's).
        `rating_scale`: what bare-number ratings are out of, for files that do not say;
        `keep_owners`: take in members' reviews another library exported (`with_owners`)."""
        try:
            report = ingest(
                paths,
                self.settings,
                self.encoder,
                progress,
                rebuild,
                rating_scale,
                library,
                keep_owners,
            )
            self.merges.run()  # an ingest is long anyway: its merges are done before it returns
        finally:
            self.refresh()
        METRICS.reindexed(report.seconds)
        return report

    def import_catalogue(
        self, paths: list[Path], progress: CatalogueProgress | None = None, tmdb: bool = True
    ) -> CatalogueImport:
        """Import film knowledge and file every indexed review under the film it names; with
        `tmdb` and a key, TMDB fills what the catalogue lacks. Nothing is embedded."""
        try:
            return import_catalogue(
                paths,
                self.settings,
                lambda: index_manifest(self.settings, self.encoder),
                progress,
                tmdb,
            )
        finally:
            self.refresh()

    def default_paths(self) -> list[Path]:
        return list(self.settings.review_paths) or [SAMPLE_CORPUS]

    def default_catalogue_paths(self) -> list[Path]:
        """The configured catalogue; with neither reviews nor a catalogue configured, the
        sample catalogue of the sample corpus's films."""
        if self.settings.catalogue_paths:
            return list(self.settings.catalogue_paths)
        return [] if self.settings.review_paths else [SAMPLE_CATALOGUE]

    # ------------------------------------------------------------------ reading
    def _scope(self, library: str | None) -> Scope:
        return Scope(self.snapshot(), library, self.encoder, self.settings.search)

    def ask(
        self,
        question: str | ParsedQuery,
        *,
        library: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        follows: ParsedQuery | None = None,
        page_size: int | None = None,
        most: int | None = None,
    ) -> SearchResult:
        """Films for a question, the one way in (`index.answering.answer.ask`)."""
        return answer.ask(
            self._scope(library),
            question,
            limit=limit,
            offset=offset,
            follows=follows,
            page_size=page_size,
            most=most,
        )

    def parse(self, text: str) -> ParsedQuery:
        """How a question is understood, without answering it (a question needs no index)."""
        return answer.understand(self.snapshot() if self.has_index() else None, text)

    def similar(
        self,
        title: str,
        limit: int | None = None,
        offset: int = 0,
        filters: QueryFilters | None = None,
        library: str | None = None,
    ) -> tuple[TitleMatch, SearchResult | None]:
        """Films whose reviews read most like this film's reviews (centroid of its passages)."""
        limit = limit or self.settings.search.page_size
        return answer.similar(self._scope(library), title, limit, offset, filters)

    def film(self, title: str, library: str | None = None) -> tuple[TitleMatch, FilmDetail | None]:
        """One film and every review of it the place may see."""
        return lookup.film(self._scope(library), title)

    def resolve_title(self, title: str, library: str | None = None) -> TitleMatch:
        """Fuzzy title lookup. "Ballerina (2023)" or "ballerina 2023" pins the year."""
        snap = self.snapshot()
        return snap.titles.resolve(title, snap.visible_films(library))

    def suggest_titles(
        self,
        typed: str,
        limit: int = 25,
        *,
        wait: bool = True,
        library: str | None = None,
        catalogue: bool = False,
    ) -> list[str]:
        """Titles for what someone is typing (`index.answering.lookup.suggest`). With
        `wait=False` (an event loop), from the version already in memory, and none while the
        first one is still being opened."""
        snap = self.snapshot() if wait else self.loaded()
        return [] if snap is None else lookup.suggest(snap, typed, limit, library, catalogue)

    def stats(self, library: str | None = None, everything: bool = False) -> dict[str, object]:
        """Counts of what a place sees (or, with `everything`, of all libraries)."""
        return self.snapshot().counts(library, everything)

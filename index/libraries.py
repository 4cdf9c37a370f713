"""Each server's own library: members' reviews (posted, edited, deleted, exported), servers
the bot has left (their libraries kept `libraries.keep_days` days, then purged), and the
files a server uploaded. Reached as `engine.libraries`."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import NotYours
from index.ingest import in_library, remove_reviews, write_reviews
from index.knowledge.film_names import split_film_name
from index.reading.readers import ReadResult, build_review
from index.telemetry import METRICS
from index.types import IngestReport, Library, Review, StoredReview

if TYPE_CHECKING:
    from index.engine import Engine


class Departures:
    """Which servers' libraries are waiting to be purged, and since when: one small JSON file
    beside the index versions, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> dict[str, str]:
        with contextlib.suppress(FileNotFoundError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return {str(k): str(v) for k, v in data.items()}
        return {}

    def update(self, library: str, left_at: str | None) -> None:
        """Record when the bot left a server's library (None: it is back, or purged)."""
        with self._lock:
            data = self.read()
            if (library in data) == (left_at is not None):
                return  # nothing changes: no write (every server is "back" at each start)
            if left_at is None:
                del data[library]
            else:
                data[library] = left_at
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)


@dataclass(frozen=True)
class Purged:
    """What `purge_member` removed: reviews per library, and records per uploaded file."""

    reviews: dict[str, int]
    files: list[tuple[Path, int]]


def drop_member_records(path: Path, user: str) -> int:
    """Remove a member's records (their `user_id`) from an uploaded JSON, JSONL or CSV file,
    in place and atomically; other files hold no owners. Returns how many went."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0

    def theirs(record: object) -> bool:
        return isinstance(record, dict) and str(record.get("user_id", "")) == user

    if suffix in (".jsonl", ".ndjson"):
        lines = raw.splitlines(keepends=True)
        kept = [line for line in lines if not (line.strip() and theirs(_json(line)))]
        dropped, text = len(lines) - len(kept), "".join(kept)
    elif suffix == ".json":
        data = _json(raw)
        records = data if isinstance(data, list) else None
        if records is None:
            return 0
        kept_records = [r for r in records if not theirs(r)]
        dropped, text = (
            len(records) - len(kept_records),
            json.dumps(kept_records, ensure_ascii=False),
        )
    elif suffix in (".csv", ".tsv"):
        dialect = "excel-tab" if suffix == ".tsv" else "excel"
        rows = list(csv.DictReader(io.StringIO(raw), dialect=dialect))
        if not rows or "user_id" not in rows[0]:
            return 0
        kept_rows = [r for r in rows if str(r.get("user_id") or "") != user]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), dialect=dialect)
        writer.writeheader()
        writer.writerows(kept_rows)
        dropped, text = len(rows) - len(kept_rows), out.getvalue()
    else:
        return 0
    if dropped:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return dropped


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


class Libraries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.settings = engine.settings
        self.departures = Departures(self.settings.index_dir / "libraries-left.json")

    # ------------------------------------------------------------------ members' reviews
    def post(
        self,
        library: str,
        user_id: str | int,
        reviewer: str | None,
        title: str,
        rating: str | float | None,
        text: str,
        review_id: str | None = None,
    ) -> tuple[str, IngestReport]:
        """A member's own review, filed in their server's library: one small commit (embedding
        one review), not a re-index. With `review_id` (theirs), it replaces that review.
        Raises ValueError saying what is wrong with it (no text or rating, a rating off its
        scale)."""
        most = self.settings.libraries.review_max_chars
        if not text.strip() and rating in (None, ""):
            raise ValueError("a review needs some words, a rating, or both")
        if len(text) > most:
            raise ValueError(f"the review is {len(text)} characters long; the limit is {most}")
        if review_id is not None:
            self._own(library, user_id, review_id)
        review = self._review(library, user_id, reviewer, title, rating, text, review_id)
        with self._committing():
            report = write_reviews(
                [review],
                self.settings,
                self.engine.encoder,
                IngestReport(),
                wait=self._wait,
                small=True,
            )
        METRICS.reindexed(report.seconds)
        # The same review posted again is stored once: its id is the one stored.
        return report.same_as.get(review.review_id, review.review_id), report

    def _review(
        self,
        library: str,
        user_id: str | int,
        reviewer: str | None,
        title: str,
        rating: str | float | None,
        text: str,
        review_id: str | None,
    ) -> Review:
        """The review as the readers build any record, filed under the film it names."""
        name, year = self._film(title, library)
        read = ReadResult()
        record = {"title": name, "year": year, "rating": rating, "text": text, "reviewer": reviewer}
        read.add(build_review(record, "discord", "", self.settings.ingest))
        if read.rejected:
            raise ValueError(read.rejected[0].reason)
        if rating not in (None, "") and read.reviews[0].rating is None:
            raise ValueError(
                f"the rating {str(rating)[:20]!r} was not understood: give 0-10, 4/5 or ★★★★"
            )
        rid = review_id or Library(library).review_id(f"member-{user_id}-{uuid.uuid4().hex[:10]}")
        return in_library(read.reviews[0], library).model_copy(
            update={"review_id": rid, "user_id": str(user_id), "source": "discord"}
        )

    def _film(self, title: str, library: str) -> tuple[str, int | None]:
        """The film a member names: one the place knows, else the title (and year) as typed.
        Read from the version in memory, even one a commit behind: a post never waits for
        the newest to open (`refresh` opens it in the background after each commit)."""
        if self.engine.has_index():
            snap = self.engine.loaded() or self.engine.snapshot()
            known = snap.titles.resolve(title, snap.visible_films(library)).film
            if known is not None:
                return known.title, known.year
        written = split_film_name(title)
        return written.title, written.year

    def _own(self, library: str, user_id: str | int, review_id: str) -> None:
        if review_id not in {r.review_id for r in self.reviews(library, user_id)}:
            raise NotYours("that review is not one of yours in this server")

    def reviews(
        self,
        library: str,
        user_id: str | int | None = None,
        matching: str = "",
        limit: int | None = None,
        *,
        wait: bool = True,
    ) -> list[StoredReview]:
        """A library's reviews, the latest first: one member's (`user_id`), those whose title
        or reviewer contains `matching`, at most `limit`. With `wait=False` (an event loop:
        autocomplete), from the version already in memory."""
        if not self.engine.has_index():
            return []
        snap = self.engine.snapshot() if wait else self.engine.loaded()
        if snap is None:
            return []
        user = None if user_id is None else str(user_id)
        return snap.library_reviews(library, user, matching, limit)

    def export(self, library: str) -> str:
        """A library as JSONL, one review a line, in the record format `cinebot ingest` reads.
        Members' ratings without words are theirs alone: not exported."""
        lines = []
        for r in reversed(self.reviews(library)):  # oldest first, as written
            if r.user_id and not r.text.strip():
                continue
            record = {
                "id": Library(library).local_id(r.review_id),
                "title": r.title,
                "year": r.year,
                "rating": r.rating,
                "reviewer": r.reviewer,
                "text": r.text,
                "date": r.date,
                "url": r.url,
                "user_id": r.user_id,
                "library": library,  # whose members they are: ingest elsewhere asks first
            }
            kept = {k: v for k, v in record.items() if v is not None}
            lines.append(json.dumps(kept, ensure_ascii=False))
        return "\n".join(lines) + ("\n" if lines else "")

    def delete(
        self,
        library: str | None = None,
        review_ids: list[str] | None = None,
        user_id: str | int | None = None,
    ) -> int:
        """Delete reviews: of one library (all of it, these ids, or one member's), or with
        `library` None one member's everywhere. Nothing else is touched; nothing embedded."""
        if library is None and user_id is None:
            raise ValueError("say whose reviews: a library, a member, or both")
        wanted = set(review_ids or ())
        user = None if user_id is None else str(user_id)

        def chosen(review: Review) -> bool:
            return (
                (library is None or review.library == library)
                and (user is None or review.user_id == user)
                and (not wanted or review.review_id in wanted)
            )

        conditions, args = [], []
        if library is not None:
            conditions.append("library=?")
            args.append(library)
        if wanted:
            marks = ",".join("?" * len(wanted))
            conditions.append(f"review_id IN ({marks})")
            args += sorted(wanted)
        if user is not None:
            conditions.append("user_id=?")
            args.append(user)
        where = (" AND ".join(conditions), tuple(args)) if len(args) < 900 else ("", ())
        with self._committing():
            gone, _ = remove_reviews(self.settings, chosen, self._wait, where)
        return gone

    def purge_member(self, user_id: str | int) -> Purged:
        """Delete one person's reviews everywhere they are (copies an export carried to
        another library included), and their records from the files servers uploaded, so no
        re-index brings them back. Says what went, and where."""
        user = str(user_id)
        where: Counter[str] = Counter()

        def theirs(review: Review) -> bool:
            mine = user in (review.user_id, str(review.extra.get("user_id", "")))
            if mine:
                where[review.library] += 1
            return mine

        # Their reviews hold their id in the JSON (as the owner, or an export's record of it).
        found_by = ("instr(data, ?) > 0", (json.dumps(user),))
        with self._committing():
            remove_reviews(self.settings, theirs, self._wait, found_by)
            # Their words and vectors off the disk now, not at some later merge.
            self.engine.merges.expunge(lambda: self.engine.refresh(now=True))
        files = []
        for folder in sorted(p for p in self.settings.discord.upload_dir.glob("*") if p.is_dir()):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and (dropped := drop_member_records(path, user)):
                    files.append((path, dropped))
        return Purged(dict(where), files)

    @property
    def _wait(self) -> float:
        """How long a member's small commit waits behind a re-index."""
        return self.settings.libraries.write_wait_seconds

    @contextlib.contextmanager
    def _committing(self) -> Iterator[None]:
        try:
            yield
        finally:
            self.engine.refresh()
            self.engine.merges.soon()

    # ------------------------------------------------------------------ servers come and go
    def server_left(self, library: str, when: dt.datetime | None = None) -> None:
        """The bot left this server: its library is kept `libraries.keep_days` days, then
        purged (`purge_expired`). Coming back cancels it."""
        self.departures.update(library, (when or dt.datetime.now(dt.UTC)).isoformat())

    def server_returned(self, library: str) -> None:
        self.departures.update(library, None)

    def notice_departures(
        self, present: set[int], mine: Callable[[int], bool] = lambda _server: True
    ) -> list[str]:
        """Servers left while the bot was off: a library on disk whose server is not among
        those the bot is in now (`present`) starts its `keep_days` countdown. Only servers
        this process would see are judged (`mine`: its shards). Returns those noticed."""
        if not self.engine.has_index():
            return []
        departed, noticed = self.departed(), []
        libraries = self.engine.stats(everything=True)["libraries"]
        assert isinstance(libraries, dict)
        for name in libraries:
            server = Library(name).server_id
            if server is None or server in present or not mine(server) or name in departed:
                continue
            self.server_left(name)
            noticed.append(name)
        return noticed

    def departed(self) -> dict[str, str]:
        """The libraries of servers the bot has left, and when (ISO time)."""
        return self.departures.read()

    def uploads(self, library: str) -> Path | None:
        """The folder of files a server uploaded (`/ingest`); None for the base library."""
        server = Library(library).server_id
        return None if server is None else self.settings.discord.upload_dir / str(server)

    def purge(self, library: str) -> int:
        """Delete a server's library now, its reviews and its uploaded files; returns how
        many reviews went."""
        gone = self.delete(library=library)
        if (folder := self.uploads(library)) is not None:
            shutil.rmtree(folder, ignore_errors=True)
        self.departures.update(library, None)
        return gone

    def purge_expired(self, now: dt.datetime | None = None) -> list[str]:
        """Purge the libraries of servers left more than `libraries.keep_days` days ago."""
        now = now or dt.datetime.now(dt.UTC)
        keep = dt.timedelta(days=self.settings.libraries.keep_days)
        purged = []
        for library, when in self.departed().items():
            if now - dt.datetime.fromisoformat(when) >= keep:
                self.purge(library)
                purged.append(library)
        return purged

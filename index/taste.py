"""`engine.taste`: films for a member from their own reviews in a server (`recommend`), for a
group of members (`movie_night`), and a member's Letterboxd or IMDb ratings brought in as
their own ratings without words (`bring`), which only their taste reads.

A taste is worked out on the fly from the member's reviews in that server alone
(`index.answering.taste`); nothing about it is stored."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.answering import taste
from index.answering.answer import Scope
from index.answering.taste import Member, MovieNight, Recommendation
from index.ingest import write_reviews
from index.knowledge.films import normalize_title
from index.reading.readers import read_file
from index.types import IngestReport, Library, Problem, Review

if TYPE_CHECKING:
    from index.engine import Engine


@dataclass(frozen=True)
class Brought:
    """What a member's ratings export gave: the report of the commit (added, updated,
    unchanged; every unusable row with why), and what was left out."""

    report: IngestReport
    ratings: int  # ratings taken in
    unrated: int  # rows without a rating (a film watched, not rated): left out
    words: int  # reviews whose words were left out: words are shared only by posting them


class Taste:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.settings = engine.settings

    def _scope(self, library: str) -> Scope:
        if Library(library).server_id is None:
            raise ValueError("a taste belongs to a server: name one (its library)")
        return Scope(self.engine.snapshot(), library, self.engine.encoder, self.settings.search)

    def recommend(
        self, library: str, user_id: str | int, question: str = "", limit: int | None = None
    ) -> Recommendation:
        """Films for a member from their reviews in this server (`index.answering.taste`)."""
        scope = self._scope(library)
        reviews = self.engine.libraries.reviews(library, user_id)
        return taste.recommend(scope, reviews, question, limit or self.settings.search.page_size)

    def movie_night(
        self,
        library: str,
        members: Sequence[tuple[str | int, str]],
        question: str = "",
        limit: int = 5,
    ) -> MovieNight:
        """Films for a group of members (user id, name), from each one's reviews here."""
        scope = self._scope(library)
        group = [
            (Member(str(uid), name, 0), self.engine.libraries.reviews(library, uid))
            for uid, name in dict(members).items()
        ]
        return taste.movie_night(scope, group, question, limit)

    def bring(self, library: str, user_id: str | int, path: Path, name: str = "") -> Brought:
        """A member's Letterboxd ratings.csv (or diary, or reviews) or IMDb ratings export, as
        their own ratings without words in this server's library: one commit, nothing
        embedded. A film rated again replaces its rating; the file itself is not kept."""
        self._scope(library)  # a server's, or ValueError
        read = read_file(path, self.settings.ingest, source=name or path.name)
        report = IngestReport(notes=read.notes)
        report.rejected, report.rejected_more = read.rejected, read.rejected_more
        reviews, unrated, words = [], 0, 0
        for review in read.reviews:
            if review.rating is None:
                unrated += 1
                continue
            words += bool(review.text.strip())
            reviews.append(_private(review, library, str(user_id)))
        if unrated:
            report.warn(
                Problem(name or path.name, "", f"{unrated} film(s) without a rating left out")
            )
        if reviews:
            try:
                report = write_reviews(
                    reviews,
                    self.settings,
                    self.engine.encoder,
                    report,
                    wait=self.settings.libraries.write_wait_seconds,
                    small=True,
                )
            finally:
                self.engine.refresh()
        return Brought(report, len(reviews), unrated, words)

    def forget(self, library: str, user_id: str | int) -> int:
        """Delete a member's ratings without words in this server (what `bring` took in, and
        reviews whose words they removed); their reviews with words stay."""
        theirs = [
            r.review_id
            for r in self.engine.libraries.reviews(library, user_id)
            if not r.text.strip()
        ]
        if not theirs:
            return 0
        return self.engine.libraries.delete(library, theirs, user_id)


def _private(review: Review, library: str, user_id: str) -> Review:
    """A rating from an export as the member's own: the film, the rating, the date, nothing
    else (no words, no name, no facts a server would see), under an id of the member's for
    that film, so bringing the file again replaces rather than adds."""
    film = f"{normalize_title(review.title)}|{review.year or ''}"
    key = hashlib.sha1(f"{user_id}|{film}".encode()).hexdigest()[:16]
    return Review(
        review_id=Library(library).review_id(f"taste-{key}"),
        title=review.title,
        year=review.year,
        rating=review.rating,
        rating_raw=review.rating_raw,
        date=review.date,
        imdb_id=review.imdb_id,
        library=library,
        user_id=user_id,
        source="ratings import",
        location=review.location,
    )

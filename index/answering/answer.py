"""The answer in one place: a question comes in one way (`ask`: cleaned and parsed once, a
chat's follow-up laid over the question it refines, how many films a page holds), and is
answered by one sequence (`search`): the filters the index can judge, their masks (relaxed
when nothing passes them all), the films ranked by meaning and words or by rating, the film
the question names first, and what to show of each. "Films like X" (`similar`) ranks by the
centroid of a film's passages within the same filters.

Every function takes a `Scope`: one version, the asking place's library, the encoder and the
search settings. Nothing here keeps state or calls back into the engine."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import numpy as np

from config import SearchSettings
from index.answering import snippets, spelling
from index.answering.question import QueryParser
from index.answering.rank import FilmScore, rank_by_rating, top_films
from index.answering.relax import relax
from index.embedding.encoder import Encoder
from index.knowledge import filters as registry
from index.knowledge.filters import Facts, Filter, Masks
from index.results import FilmHit, ReviewHit, SearchResult, TitleMatch
from index.storage.lexical import Matches
from index.storage.snapshot import Snapshot
from index.storage.vectors import Selection
from index.telemetry import stage
from index.text import clean
from index.types import BASE_LIBRARY, Ignored, ParsedQuery, QueryFilters


@dataclass(frozen=True)
class Scope:
    snap: Snapshot
    library: str | None  # a server's library; None (a DM, the terminal) sees the base one
    encoder: Encoder
    settings: SearchSettings

    @property
    def facts(self) -> Facts:
        """The version as this place sees its films (a server's own reviews included)."""
        return self.snap.facts(self.library)

    def selection(
        self,
        rows: np.ndarray,
        filters: QueryFilters,
        exclude_film: str | None = None,
        rows_only: bool = False,
        left_out: tuple[str, ...] = (),
    ) -> Selection:
        """Which passages may answer: the rows, and the same in words for payload stores (the
        films this place sees otherwise told apart, the films `left_out` by name); or, for
        rows no payload can describe (the passages naming someone), the rows alone, scanned
        exactly."""
        if rows_only:
            return Selection(rows, filters, rows_only=True)
        gained, lost = self.facts.changed(filters)
        lost = (*lost, *left_out)
        return Selection(rows, filters, exclude_film, self.libraries, gained, lost)

    def lexical(self, semantic: str) -> Matches:
        """The question's BM25 matches, counted over the passages this place may see: what
        another server's library says changes no score here."""
        return self.snap.lexical.match(semantic, self.snap.bm25(self.library))

    @property
    def libraries(self) -> tuple[str, ...]:
        """The libraries the place may see, for stores that filter by payload."""
        if self.library and self.library != BASE_LIBRARY:
            return (BASE_LIBRARY, self.library)
        return (BASE_LIBRARY,)


# ---------------------------------------------------------------------------- a question
def understand(snap: Snapshot | None, text: str, library: str | None = None) -> ParsedQuery:
    """A question's filters and meaning, read against the people and titles this place
    knows (nobody and nothing without a version). The only place a question's words are
    cleaned."""
    if snap is None:
        return QueryParser().parse(clean(text))
    parser = QueryParser(*snap.known_to(library))
    with stage("parse"):
        text = clean(text)
        meant, notes = spelling.corrected(snap, library, text)
        parsed = parser.parse(meant)
    if not notes:
        return parsed
    return parsed.model_copy(update={"text": text, "ignored": [*parsed.ignored, *notes]})


# A message about the films just shown: "funny ones", "only the british ones", "older ones
# please", "which ones are from the 90s", "ones with Tom Hanks", "any of those from the 90s?".
# Not a sentence that merely has "ones" in it ("the old ones are better", "films for the
# little ones", "The Ones Below"): the shapes are whole messages.
_NARROWING = re.compile(
    r"^(?:and\s+|but\s+)?(?:only\s+|just\s+)?(?:any\s+|some\s+|the\s+)?"
    r"(?!(?:little|loved|young|dear|small)\s)(?:[\w'-]+\s+){0,2}ones(?:\s+only|\s+please)?$"
    r"|^(?:which|what)\s+ones\s+(?:are|were|have|had)\b"
    r"|^(?:the\s+)?ones\s+(?:with|from|by|without|starring|set|about|rated|made|in)\s"
    r"|^(?:and\s+)?(?:any|some|which|what)\s+of\s+(?:those|these|them)\b",
    re.I,
)


def narrows(text: str) -> bool:
    """Whether a message speaks of the films just shown ("funny ones"): a follow-up whose
    kinds are added to the question's, not put in place of them (horror films, then "funny
    ones", are horror comedies; "what about comedies?" is comedies)."""
    return bool(_NARROWING.search(text.strip().rstrip("?!. ")))


# "what about dramas?", "how about something lighter", "comedies instead": a change of mind.
_INSTEAD = re.compile(r"^(?:what|how)\s+about\b|\binstead\b", re.I)


def follow_up(previous: ParsedQuery, parsed: ParsedQuery) -> ParsedQuery:
    """A refinement ("only after 2015", "not horror") on top of the question before it. A
    change of mind that names another kind or mood ("what about dramas", "how about something
    lighter") puts its meaning in place of the earlier one, which would otherwise pull the
    search back to what was asked before; one that changes only a number ("what about the
    90s") keeps it."""
    semantic = [previous.semantic, parsed.semantic]
    if _INSTEAD.search(parsed.text) and (parsed.semantic or registry.wants_kind(parsed.filters)):
        semantic = [parsed.semantic]
    return ParsedQuery(
        text=parsed.text,
        filters=registry.refined(previous.filters, parsed.filters, narrows(parsed.text)),
        semantic=" ".join(s for s in semantic if s),
        limit=parsed.limit or previous.limit,
        like=parsed.like or previous.like,
        title=parsed.title or previous.title,
        phrases={**previous.phrases, **parsed.phrases},
        wants_bad=parsed.wants_bad or previous.wants_bad,
        excluded=list(dict.fromkeys(previous.excluded + parsed.excluded)),
        follows=previous,
    )


def ask(
    scope: Scope,
    question: str | ParsedQuery,
    *,
    limit: int | None = None,
    offset: int = 0,
    follows: ParsedQuery | None = None,
    page_size: int | None = None,
    most: int | None = None,
) -> SearchResult:
    """A page of films for a question: words (parsed here) or a question already parsed (a
    page after the first). `follows`: the question it refines. A page holds `limit` films,
    else as many as the question asks for ("top 3"), else `page_size` (default: the
    setting); never more than `most`."""
    if isinstance(question, str):
        parsed = understand(scope.snap, question, scope.library)
    else:
        parsed = question
    if follows is not None:
        parsed = follow_up(follows, parsed)
    per_page = limit or parsed.limit or page_size or scope.settings.page_size
    if most is not None:
        per_page = min(per_page, most)
    return search(scope, parsed, per_page, offset)


@dataclass(frozen=True)
class Passing:
    """What a question's filters let through: the question as it is used, the filters that
    held (relaxed when none passed them all), their masks, and whether the passages are
    those naming someone (no store's payload can say so)."""

    query: ParsedQuery
    filters: QueryFilters
    masks: Masks
    emptied_by: str | None = None
    relaxed: tuple[str, ...] = ()
    by_name: bool = False
    left_out: tuple[str, ...] = ()  # films the question excludes by name (their ids)

    def selection(self, scope: Scope) -> Selection | None:
        """The passages a search may return, as the vector store takes them: None when
        every passage may (nothing filtered, one library)."""
        everything = not registry.is_filtered(self.filters) and len(scope.snap.libraries) == 1
        if everything and not self.by_name and not self.left_out:
            return None
        return scope.selection(
            self.masks.passages, self.filters, rows_only=self.by_name, left_out=self.left_out
        )


def passing(scope: Scope, query: ParsedQuery, sought: Sought = ()) -> Passing:
    """The filter stage of every answer: the filters the index can judge, their masks, less
    the films the question excludes by name; a person no film lists (and any name `sought`)
    searched for by name in the reviews; when nothing passes every filter, the relaxed
    filters."""
    snap, facts = scope.snap, scope.facts
    query = registry.judged(facts, query, scope.library)
    filters, strangers = registry.unknown_people(facts, query.filters, scope.library)
    sought = (*_people_sought(scope, strangers), *sought)
    out = _named_out(scope, query)
    ids = tuple(snap.films.ids[r] for r in out)
    with stage("filter"):
        masks = _without(snap, registry.masks(facts, filters, scope.library), out)
    if sought:  # when no review names them, nothing fits
        query, masks = _mentioning(scope, query, masks, sought)
        return Passing(query, filters, masks, by_name=True, left_out=ids)
    if notes := registry.unknown_to(facts, filters, scope.library):
        query = query.model_copy(update={"ignored": [*query.ignored, *notes]})
    if (
        not masks.reviews.any()
        and registry.is_filtered(filters)
        and snap.visible(scope.library).any()
    ):
        wide = relax(facts, filters, masks, scope.library)
        masks = _without(snap, wide.masks, out)
        query = _searched_instead(query, wide.dropped)
        return Passing(query, wide.filters, masks, wide.emptied_by, wide.dropped, left_out=ids)
    return Passing(query, filters, masks, left_out=ids)


def _searched_instead(query: ParsedQuery, dropped: tuple[str, ...]) -> ParsedQuery:
    """A wish no film passes as a filter ("sports" where no film is listed as Sport) is still
    a wish: its words join the meaning search. Not an exclusion's ("not horror"), and not
    numbers (years, ratings, minutes), which no review's words match."""
    said = query.semantic.casefold()
    words = [
        phrase
        for key in dropped
        if not registry.by_key(key).excludes
        and (phrase := query.phrases.get(key))
        and not any(c.isdigit() for c in phrase)
        and phrase.casefold() not in said
    ]
    if not words:
        return query
    return query.model_copy(update={"semantic": " ".join([query.semantic, *words]).strip()})


def _named_out(scope: Scope, query: ParsedQuery) -> list[int]:
    """The rows of the films a question excludes by name ("by Kubrick but not The Shining")."""
    snap = scope.snap
    visible = snap.visible_films(scope.library)
    return [
        snap.film_row[film.film_id]
        for name in query.excluded
        if (film := snap.titles.resolve(name, visible).film) is not None
    ]


def _without(snap: Snapshot, masks: Masks, rows: list[int]) -> Masks:
    """These films never shown."""
    if not rows:
        return masks
    films = masks.films.copy()
    films[rows] = False
    reviews = masks.reviews & films[snap.review_film]
    return Masks(films, reviews, reviews[snap.passage_review])


def search(
    scope: Scope, query: ParsedQuery, limit: int, offset: int = 0, sought: Sought = ()
) -> SearchResult:
    """A page of films for a parsed question (`limit` films from `offset`); `sought`: names
    only passages naming them may match, and why."""
    query = registry.judged(scope.facts, query, scope.library)
    if query.like:
        return more_like(scope, query, limit, offset)
    p = passing(scope, query, sought)
    query, filters, masks, relaxed = p.query, p.filters, p.masks, p.relaxed
    wanted = offset + limit + 1
    ranked = _rank(scope, query.semantic, masks, p.selection(scope), 3 * wanted)
    ranked, panned = _worth_watching(scope, query, ranked, masks)
    if query.title and (named := _named(scope, query.title, masks)) is not None:
        ranked = [named, *(s for s in ranked if s.film_row != named.film_row)]
        alone = not query.semantic and not registry.is_filtered(filters)
        if alone:  # the film is the whole question: then films like it
            ranked = [named, *neighbours(scope, named.film_row, masks, filters, wanted - 1)]
    return SearchResult(
        query=query,
        hits=film_hits(scope, ranked[offset : offset + limit], query, masks.reviews),
        offset=offset,
        # How many films pass the filters, when a filter was asked for and held: without one,
        # every film "passes", and the answer is the best matches, not 5 of 3,059.
        total=masks.n_films - max(panned, 0)
        if registry.is_filtered(filters) and not relaxed
        else 0,
        has_more=len(ranked) > offset + limit,
        panned=0 if relaxed else panned,
        emptied_by=p.emptied_by,
        relaxed=relaxed,
        per_page=limit,
    )


# Names to look for in the reviews' words, each with why the index could not place it.
Sought = tuple[tuple[str, str], ...]


def _people_sought(scope: Scope, strangers: list[tuple[Filter, list[str]]]) -> Sought:
    """People the index knows nobody by ("anything with Clint Eastwood" with a catalogue
    that lists no cast), and why."""
    out = []
    for f, names in strangers:
        known = bool(scope.facts.groups[f.fact.name])  # any film lists anyone so
        for name in names:
            why = (
                f"no film in the index lists {name} as its {f.fact.said}"
                if known
                else f"no film in the index has a known {f.fact.said}"
            )
            out.append((name, f"{why}: searched the reviews for the name"))
    return tuple(out)


def _mentioning(
    scope: Scope, query: ParsedQuery, masks: Masks, sought: Sought
) -> tuple[ParsedQuery, Masks]:
    """Names the index cannot place (a person no film lists, a film it does not hold) are
    looked for in the reviews' words: only passages naming them pass, they rank by the name
    too, and the answer says so."""
    snap = scope.snap
    rows = masks.passages.copy()
    for name, _ in sought:
        naming = np.zeros(snap.n_passages, dtype=bool)
        naming[snap.lexical.containing(name)] = True
        rows &= naming
    reviews = np.zeros(len(snap.review_ids), dtype=bool)
    reviews[snap.passage_review[rows]] = True
    films = np.zeros(len(snap.films), dtype=bool)
    films[snap.review_film[reviews]] = True
    said_already = query.semantic.casefold()
    unsaid = " ".join(n for n, _ in sought if n.casefold() not in said_already)
    said = [Ignored(phrase=name, why=why, used=True) for name, why in sought]
    query = query.model_copy(
        update={
            "semantic": f"{query.semantic} {unsaid}".strip(),
            "ignored": [*query.ignored, *said],
        }
    )
    return query, Masks(films, reviews & masks.reviews, rows)


def _rank(
    scope: Scope, semantic: str, masks: Masks, selection: Selection | None, n: int
) -> list[FilmScore]:
    snap = scope.snap
    if not semantic:
        with stage("search"):
            return rank_by_rating(snap, masks.reviews, n)
    with stage("embed"):
        vector = scope.encoder.encode_query(semantic)
    with stage("search"):  # the filters were turned into masks before; this is the search
        settings = scope.settings
        lexical = scope.lexical(semantic) if settings.lexical_weight > 0 else None
        return top_films(
            snap,
            vector,
            selection,
            n,
            settings.rating_weight,
            lexical,
            settings.lexical_weight,
            settings.evidence_weight,
        )


PANNED_AT = 4.0  # a film whose reviews (the place may see) average this or less is panned
PANNED_BY = 2  # best matches leave out a film so many reviews panned: more than one opinion
# ...and rank a film one reviewer panned this much lower (a cosine, plus up to
# `lexical_weight` of BM25): a film about what was asked still comes before one about
# something else (EVAL_NOTES.md).
PAN_DOUBT = 0.2


def _worth_watching(
    scope: Scope, query: ParsedQuery, ranked: list[FilmScore], masks: Masks
) -> tuple[list[FilmScore], int]:
    """Every question asks for films to watch, unless it asks for bad films. Where filters
    say which films pass, those their reviewers panned are left out while any other passes,
    and counted (the answer says how many, and how to see them). Without a filter the answer
    is the best matches: a film several reviewers panned is left out, and one a single
    reviewer panned ranks `PAN_DOUBT` lower (one opinion, but the only one there is). When
    every film that passes is panned, they are what there is: shown, and said (-1)."""
    if query.wants_bad:
        return ranked, 0
    snap = scope.snap
    panned = snap.film_ratings(scope.library) <= PANNED_AT  # NaN (unrated): no pan
    if registry.is_filtered(query.filters):
        kept = [s for s in ranked if not panned[s.film_row]]
        if not kept:  # every film that passes is panned: shown, and said (-1)
            return ranked, -1 if ranked else 0
        return kept, int(np.count_nonzero(panned & masks.films))
    counts = snap.visible_counts(scope.library)
    doubted = [
        s if not panned[s.film_row] else replace(s, score=s.score - PAN_DOUBT)
        for s in ranked
        if not (panned[s.film_row] and counts[s.film_row] >= PANNED_BY)
    ]
    return (sorted(doubted, key=lambda s: -s.score), 0) if doubted else (ranked, 0)


def _named(scope: Scope, title: str, masks: Masks) -> FilmScore | None:
    """The film a question names, to show first, with its reviews best rated first."""
    snap = scope.snap
    film = snap.titles.resolve(title, snap.visible_films(scope.library)).film
    if film is None:
        return None
    row = snap.film_row[film.film_id]
    own = (snap.review_film == row) & snap.visible(scope.library)
    passing = own & masks.reviews if (own & masks.reviews).any() else own
    ranked = rank_by_rating(snap, passing, 1)
    return ranked[0] if ranked else None


# ---------------------------------------------------------------------------- films like a film
def neighbours(
    scope: Scope, row: int, masks: Masks, filters: QueryFilters, n: int
) -> list[FilmScore]:
    """Films whose passages are nearest the centroid of film `row`'s passages (those the
    place may see), among what passes the masks."""
    snap = scope.snap
    own = (snap.passage_film == row) & snap.visible(scope.library)[snap.passage_review]
    if not own.any():  # only ratings, no words to compare
        return []
    vector = np.asarray(snap.vectors[np.flatnonzero(own)]).mean(axis=0)
    vector /= np.linalg.norm(vector) or 1.0
    selection = scope.selection(masks.passages & ~own, filters, snap.films.ids[row])
    return top_films(snap, vector, selection, n, scope.settings.rating_weight)


def similar(
    scope: Scope, title: str, limit: int, offset: int = 0, filters: QueryFilters | None = None
) -> tuple[TitleMatch, SearchResult | None]:
    """Films like the one `title` names, a page of them. A title the index does not hold is
    looked for in the reviews' words; None when it names several films, or none and no
    review names it either."""
    snap = scope.snap
    match = snap.titles.resolve(title, snap.visible_films(scope.library))
    filters = filters or QueryFilters()
    if match.film is None:
        if match.ambiguous:
            return match, None
        asked = ParsedQuery(text=f"like {title}", filters=filters, semantic="", like=title)
        found = _in_reviews(scope, asked, limit, offset)
        return match, found if found.hits or offset else None
    row = snap.film_row[match.film.film_id]
    masks = registry.masks(scope.facts, filters, scope.library)
    ranked = neighbours(scope, row, masks, filters, offset + limit + 1)
    parsed = ParsedQuery(text=f"like {match.film.title}", filters=filters, semantic="")
    hits = film_hits(scope, ranked[offset : offset + limit], parsed, masks.reviews)
    total = int(np.count_nonzero(masks.films)) - int(masks.films[row])
    total = total if registry.is_filtered(filters) else 0  # "best matches", not all films
    result = SearchResult(
        query=parsed,
        hits=hits,
        offset=offset,
        total=total,
        has_more=len(ranked) > offset + limit,
        similar_to=match.film,
        per_page=limit,
    )
    return match, result


def more_like(scope: Scope, query: ParsedQuery, limit: int, offset: int) -> SearchResult:
    """ "More like Heat": the film's neighbours, within the question's filters; a film the
    index does not hold is looked for in the reviews; several of that title need the year."""
    assert query.like is not None
    match = scope.snap.titles.resolve(query.like, scope.snap.visible_films(scope.library))
    if match.film is None and not match.ambiguous:
        return _in_reviews(scope, query, limit, offset)
    if match.film is None:
        why = "several films have that title: add the year"
        missing = query.model_copy(
            update={"ignored": [*query.ignored, Ignored(phrase=query.like, why=why)]}
        )
        return SearchResult(
            query=missing, hits=(), offset=offset, total=0, has_more=False, per_page=limit
        )
    _, result = similar(scope, match.film.label, limit, offset, query.filters)
    assert result is not None
    return SearchResult(
        query=query,
        hits=result.hits,
        offset=offset,
        total=result.total,
        has_more=result.has_more,
        similar_to=match.film,
        per_page=limit,
    )


def _in_reviews(scope: Scope, query: ParsedQuery, limit: int, offset: int) -> SearchResult:
    """A film the index does not hold, looked for in the reviews' words instead (reviews
    compare films with others: "a poor man's Expendables")."""
    assert query.like is not None
    why = "no film of that title in the index: searched the reviews for it"
    unlike = query.model_copy(update={"like": None})
    found = search(scope, unlike, limit, offset, sought=((query.like, why),))
    return replace(found, query=found.query.model_copy(update={"like": query.like}))


# ---------------------------------------------------------------------------- what is shown
def _shown_first(
    snap: Snapshot, reviews: list[tuple[int, int]], pans_last: bool
) -> list[tuple[int, int]]:
    """A film's reviews in the order shown: best matching first, but a pan (a review rating
    the film `PANNED_AT` or less) after the others, unless the question asks for bad films.
    A recommendation whose first line says the film is bad speaks against itself."""
    if not pans_last or len(reviews) < 2:
        return reviews
    panned = snap.review_rating[[r for r, _ in reviews]] <= PANNED_AT  # NaN: not a pan
    return [reviews[i] for i in np.argsort(panned, kind="stable")]


def film_hits(
    scope: Scope, ranked: list[FilmScore], parsed: ParsedQuery, passing: np.ndarray
) -> tuple[FilmHit, ...]:
    """Each film with up to `reviews_per_film` of its passing reviews, read from the index
    together (one query for the page, not one a film). Rating-ranked films carry no passage:
    each review then shows the passage that best fits the question."""
    snap, most = scope.snap, scope.settings.reviews_per_film
    question = parsed.semantic or parsed.asked
    visible = snap.visible_passages(scope.library)
    n = snap.n_passages if visible is None else int(np.count_nonzero(visible))
    weight = snippets.weights(
        question, functools.partial(snap.passages_with, library=scope.library), n
    )
    pans_last = not parsed.wants_bad
    warmth = snippets.WARMTH if pans_last else 0.0
    chosen = [
        _shown_first(snap, [(r, p) for r, p, _ in scored.reviews if passing[r]], pans_last)[:most]
        for scored in ranked
    ]
    stored = snap.reviews([snap.review_ids[r] for shown in chosen for r, _ in shown])
    rows = [p for shown in chosen for _, p in shown if p >= 0]
    texts = snap.passage_texts(rows) if rows else {}
    counts = snap.visible_counts(scope.library) if len(snap.libraries) > 1 else None
    hits = []
    for scored, shown in zip(ranked, chosen, strict=True):
        film = scope.facts.film(scored.film_row)
        reviews = []
        for r, p in shown:
            review = stored[snap.review_ids[r]]
            passage = texts.get(p) or review.text
            snippet = snippets.make_snippet(
                passage, question, scope.settings.snippet_chars, weight, film.title, warmth
            )
            reviews.append(
                ReviewHit(
                    review.review_id,
                    review.reviewer,
                    review.rating,
                    snippet.text,
                    snippet.spans,
                    review.source,
                    review.url,
                )
            )
        if counts is not None:  # count only the reviews this place may see
            film = replace(film, n_reviews=int(counts[scored.film_row]))
        hits.append(FilmHit(film, scored.score, tuple(reviews)))
    return tuple(hits)

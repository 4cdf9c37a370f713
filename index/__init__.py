"""cinebot's engine: reading reviews, film knowledge, embedding, storage and answering.

The pipeline runs one way, one sub-package per stage:

    reading/    review files -> validated reviews (and every rejected record, located)
    knowledge/  countries, genres, people, titles: what a film is
    embedding/  passages -> unit vectors (the packaged all-MiniLM-L6-v2)
    storage/    immutable versions on disk, the vector-store seam (FAISS, Qdrant), snapshots
    answering/  question -> filters -> masks -> ranked films -> snippets

`Engine` (engine.py) is the facade on top. Front ends import only what this module
exports; nothing here imports discord.
"""

from index.answering.answer import PANNED_AT
from index.answering.taste import Member, MovieNight, Recommendation
from index.cataloguing import CatalogueImport
from index.conversation import Conversation, Reply, is_follow_up, no_title_message
from index.engine import SAMPLE_CATALOGUE, SAMPLE_CORPUS, Engine
from index.errors import IndexBusy, IndexDamaged, IndexMissing, NotYours
from index.ingest import Progress
from index.knowledge.countries import country_name
from index.knowledge.filters import name_of as filter_name
from index.knowledge.filters import phrases as filter_phrases
from index.knowledge.languages import language_name
from index.results import FilmDetail, FilmHit, ReviewHit, SearchResult, TitleMatch
from index.taste import Brought
from index.telemetry import METRICS, Request, configure_logging, request, stage
from index.text import clean, escaped
from index.types import (
    BASE_LIBRARY,
    Film,
    IngestReport,
    ParsedQuery,
    Problem,
    QueryFilters,
    StoredReview,
    library_of,
)

__all__ = [
    "BASE_LIBRARY",
    "METRICS",
    "PANNED_AT",
    "SAMPLE_CATALOGUE",
    "SAMPLE_CORPUS",
    "Brought",
    "CatalogueImport",
    "Conversation",
    "Engine",
    "Film",
    "FilmDetail",
    "FilmHit",
    "IndexBusy",
    "IndexDamaged",
    "IndexMissing",
    "IngestReport",
    "Member",
    "MovieNight",
    "NotYours",
    "ParsedQuery",
    "Problem",
    "Progress",
    "QueryFilters",
    "Recommendation",
    "Reply",
    "Request",
    "ReviewHit",
    "SearchResult",
    "StoredReview",
    "TitleMatch",
    "clean",
    "configure_logging",
    "country_name",
    "escaped",
    "filter_name",
    "filter_phrases",
    "is_follow_up",
    "language_name",
    "library_of",
    "no_title_message",
    "request",
    "stage",
]

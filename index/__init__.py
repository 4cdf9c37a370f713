"""cinebot's engine: ingestion, embedding, storage, query understanding and ranking.

Nothing here imports discord; `Engine` is the facade every front end uses.
"""

from index.engine import Engine
from index.query import ParsedQuery, QueryFilters
from index.results import FilmDetail, FilmHit, ReviewHit, SearchResult, TitleMatch

__all__ = [
    "Engine",
    "FilmDetail",
    "FilmHit",
    "ParsedQuery",
    "QueryFilters",
    "ReviewHit",
    "SearchResult",
    "TitleMatch",
]

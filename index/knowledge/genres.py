"""The one genre vocabulary (IMDb/TMDB style) and every way people name a genre."""

from __future__ import annotations

import re

GENRES: tuple[str, ...] = tuple(
    "Action Adventure Animation Biography Comedy Crime Documentary Drama Family Fantasy "
    "Film-Noir History Horror Music Musical Mystery Romance Sci-Fi Sport Thriller War Western".split()
)

# Surface forms (lower case, singular and plural) -> one or more genres.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "action": ("Action",),
    "actioner": ("Action",),
    "martial arts": ("Action",),
    "kung fu": ("Action",),
    "adventure": ("Adventure",),
    "animation": ("Animation",),
    "animated": ("Animation",),
    "anime": ("Animation",),
    "cartoon": ("Animation",),
    "biography": ("Biography",),
    "biopic": ("Biography",),
    "biographical": ("Biography",),
    "comedy": ("Comedy",),
    "comedies": ("Comedy",),
    "satire": ("Comedy",),
    "rom-com": ("Romance", "Comedy"),
    "romcom": ("Romance", "Comedy"),
    "rom com": ("Romance", "Comedy"),
    "romantic comedy": ("Romance", "Comedy"),
    "romantic comedies": ("Romance", "Comedy"),
    "crime": ("Crime",),
    "gangster": ("Crime",),
    "heist": ("Crime",),
    "mob": ("Crime",),
    "documentary": ("Documentary",),
    "documentaries": ("Documentary",),
    "doc": ("Documentary",),
    "docs": ("Documentary",),
    "drama": ("Drama",),
    "family": ("Family",),
    "children": ("Family",),
    "children's": ("Family",),
    "kids": ("Family",),
    "fantasy": ("Fantasy",),
    "fantasies": ("Fantasy",),
    "film-noir": ("Film-Noir",),
    "film noir": ("Film-Noir",),
    "noir": ("Film-Noir",),
    "history": ("History",),
    "historical": ("History",),
    "period piece": ("History",),
    "horror": ("Horror",),
    "slasher": ("Horror",),
    "scary": ("Horror",),
    "scariest": ("Horror",),
    "frightening": ("Horror",),
    "spooky": ("Horror",),
    "funny": ("Comedy",),
    "funniest": ("Comedy",),
    "hilarious": ("Comedy",),
    "tearjerker": ("Drama",),
    "tear-jerker": ("Drama",),
    "weepie": ("Drama",),
    "action-packed": ("Action",),
    "music": ("Music",),
    "concert": ("Music",),
    "musical": ("Musical",),
    "mystery": ("Mystery",),
    "mysteries": ("Mystery",),
    "whodunit": ("Mystery",),
    "whodunnit": ("Mystery",),
    "romance": ("Romance",),
    "romantic": ("Romance",),
    "love story": ("Romance",),
    "sci-fi": ("Sci-Fi",),
    "scifi": ("Sci-Fi",),
    "sci fi": ("Sci-Fi",),
    "science fiction": ("Sci-Fi",),
    "science-fiction": ("Sci-Fi",),
    "sport": ("Sport",),
    "sports": ("Sport",),
    "thriller": ("Thriller",),
    "suspense": ("Thriller",),
    "war": ("War",),
    "western": ("Western",),
    "spaghetti western": ("Western",),
    # MovieLens names that differ from ours.
    "imax": (),
}


def _plural(word: str) -> str:
    if word.endswith(("y",)) and not word.endswith(("ey", "ay", "oy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


SYNONYMS: dict[str, tuple[str, ...]] = dict(_SYNONYMS)
for _form, _genres in _SYNONYMS.items():
    if _form not in {
        "animated",
        "biographical",
        "historical",
        "romantic",
        "children",
        "children's",
        "family",
        "kids",
        "imax",
    }:
        SYNONYMS.setdefault(_plural(_form), _genres)
for _genre in GENRES:
    SYNONYMS.setdefault(_genre.lower(), (_genre,))

# Words people use for kinds of film only when asking (and spellings they type): read in
# questions, never in catalogues or review prose (where "this creepy film" is no evidence).
_QUESTION_ONLY: dict[str, tuple[str, ...]] = {
    "kid": ("Family",),
    "kids'": ("Family",),
    "kiddie": ("Family",),
    "family-friendly": ("Family",),
    "family friendly": ("Family",),
    "kid-friendly": ("Family",),
    "kid friendly": ("Family",),
    "comedic": ("Comedy",),
    "spoof": ("Comedy",),
    "spoofs": ("Comedy",),
    "parody": ("Comedy",),
    "parodies": ("Comedy",),
    "slapstick": ("Comedy",),
    "dramedy": ("Comedy", "Drama"),
    "dramedies": ("Comedy", "Drama"),
    "creepy": ("Horror",),
    "terrifying": ("Horror",),
    "suspenseful": ("Thriller",),
    "mobster": ("Crime",),
    "mobsters": ("Crime",),
    "mafia": ("Crime",),
    "sci fy": ("Sci-Fi",),
    "sci-fy": ("Sci-Fi",),
    "scify": ("Sci-Fi",),
    "syfy": ("Sci-Fi",),
    "thriler": ("Thriller",),
    "thrilers": ("Thriller",),
    "horor": ("Horror",),
    "comdey": ("Comedy",),
    "comedys": ("Comedy",),
    "documentry": ("Documentary",),
    "documentries": ("Documentary",),
    "who done it": ("Mystery",),
    "comic": ("Comedy",),
    # "comic book movies", "based on comics": superhero films, not comedies; no genre, the
    # words kept for the meaning search.
    "comics": (),
    "comic book": (),
    "comic books": (),
    "comic-book": (),
    "non-fiction": ("Documentary",),
    "nonfiction": ("Documentary",),
    "non fiction": ("Documentary",),
    "life story": ("Biography",),
    "life stories": ("Biography",),
    "life history": ("Biography",),
    # The world wars by their short names: war films ("ww2 movies", "a wwii drama").
    "ww2": ("War",),
    "wwii": ("War",),
    "ww1": ("War",),
    "wwi": ("War",),
    "world war 2": ("War",),
    "world war ii": ("War",),
    "world war two": ("War",),
    "world war 1": ("War",),
    "world war one": ("War",),
    "second world war": ("War",),
    "first world war": ("War",),
}
QUESTION_SYNONYMS: dict[str, tuple[str, ...]] = {**SYNONYMS, **_QUESTION_ONLY}

# Forms that name a sort of film within its genres, or what it does to the one watching
# ("heist", "slasher", "tearjerker", "scary"): a filter, and words for the meaning search.
_SORTS = (
    "martial arts, kung fu, anime, cartoon, biopic, satire, gangster, heist, mob, mobster, "
    "period piece, slasher, scary, scariest, frightening, spooky, creepy, terrifying, funny, "
    "funniest, hilarious, tearjerker, tear-jerker, weepie, action-packed, concert, whodunit, "
    "whodunnit, who done it, love story, spaghetti western, spoof, parody, slapstick, dramedy, "
    "suspenseful, mafia, comics, comic book, comic books, comic-book, "
    "life story, life stories, ww2, "
    "wwii, ww1, wwi, world war 2, world war ii, world war two, world war 1, world war one, "
    "second world war, first world war"
).split(", ")
SORTS: frozenset[str] = frozenset(_SORTS) | {_plural(f) for f in _SORTS} | {"parodies", "dramedies"}

# Longest forms first so "romantic comedy" wins over "romantic".
GENRE_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(f) for f in sorted(QUESTION_SYNONYMS, key=len, reverse=True))
    # "horror-lite", "noir-ish": a kind with a suffix that only tempers it
    + r")(?=(?:-(?:lite|light|ish|esque|flavou?red|tinged|themed|heavy))?(?![\w-]))",
    re.IGNORECASE,
)


class UnknownGenre(ValueError):
    pass


def canonical_genres(name: str) -> tuple[str, ...]:
    """Map one given genre name (ours, MovieLens, TMDB, or a synonym) to our vocabulary."""
    key = re.sub(r"\s+", " ", name.strip().lower())
    if key in SYNONYMS:
        return SYNONYMS[key]
    if key.replace(" ", "-") in SYNONYMS:
        return SYNONYMS[key.replace(" ", "-")]
    raise UnknownGenre(f"unknown genre {name!r} (known: {', '.join(GENRES)})")

"""The evaluation questions, written by us, with their truth stated as metadata constraints.

Filter questions are judged by the corpus metadata (a returned film either satisfies the
constraints or not). Descriptive questions use no genre word; a returned film counts when it
has one of the genres the question plainly implies.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    text: str
    countries: tuple[str, ...] = ()  # any of (ISO codes)
    genres: tuple[str, ...] = ()  # all of
    not_genres: tuple[str, ...] = ()
    rating_min: float | None = None  # inclusive, on any review of the film
    rating_below: float | None = None  # exclusive
    years: tuple[int, int] | None = None  # inclusive
    director: str | None = None
    judged_by: tuple[str, ...] = ()  # descriptive: any of these genres counts

    @property
    def descriptive(self) -> bool:
        return bool(self.judged_by)


def Q(text: str, **truth: object) -> Question:
    return Question(text, **truth)  # type: ignore[arg-type]


def D(text: str, *genres: str) -> Question:
    return Question(text, judged_by=genres)


FILTER_QUESTIONS = [
    Q("French films", countries=("FR",)),
    Q("Japanese films", countries=("JP",)),
    Q("Korean films", countries=("KR",)),
    Q("Hong Kong action films", countries=("HK",), genres=("Action",)),
    Q("Italian films from before 1970", countries=("IT",), years=(0, 1969)),
    Q("British comedies", countries=("GB",), genres=("Comedy",)),
    Q("British comedies from the 90s", countries=("GB",), genres=("Comedy",), years=(1990, 1999)),
    Q("Indian dramas", countries=("IN",), genres=("Drama",)),
    Q("Indian films rated 8 or more", countries=("IN",), rating_min=8),
    Q("German war films", countries=("DE",), genres=("War",)),
    Q("Spanish films", countries=("ES",)),
    Q("Canadian horror", countries=("CA",), genres=("Horror",)),
    Q("Australian films", countries=("AU",)),
    Q("horror films from the 80s", genres=("Horror",), years=(1980, 1989)),
    Q("westerns rated 8+", genres=("Western",), rating_min=8),
    Q("westerns from the 1950s", genres=("Western",), years=(1950, 1959)),
    Q("film noir", genres=("Film-Noir",)),
    Q("documentaries rated 9 or higher", genres=("Documentary",), rating_min=9),
    Q("animated films", genres=("Animation",)),
    Q("animated films that are not for kids", genres=("Animation",), not_genres=("Family",)),
    Q("musicals from the 1950s", genres=("Musical",), years=(1950, 1959)),
    Q("war films before 1960", genres=("War",), years=(0, 1959)),
    Q("sci-fi films from the 70s", genres=("Sci-Fi",), years=(1970, 1979)),
    Q("science fiction rated at least 9/10", genres=("Sci-Fi",), rating_min=9),
    Q("comedies rated 4 stars or more", genres=("Comedy",), rating_min=8),
    Q("dramas rated below 3", genres=("Drama",), rating_below=3),
    Q("thrillers that are not horror", genres=("Thriller",), not_genres=("Horror",)),
    Q("romantic comedies from the 2000s", genres=("Romance", "Comedy"), years=(2000, 2009)),
    Q("crime dramas from the 70s", genres=("Crime", "Drama"), years=(1970, 1979)),
    Q("Alfred Hitchcock films", director="alfred hitchcock"),
    Q("films directed by Woody Allen", director="woody allen"),
    Q("Spike Lee films rated 7 or more", director="spike lee", rating_min=7),
    Q("films by Pedro Almodóvar", director="pedro almodóvar"),
    Q("John Carpenter horror", director="john carpenter", genres=("Horror",)),
    Q("directed by Sidney Lumet", director="sidney lumet"),
    Q("French dramas rated 8+", countries=("FR",), genres=("Drama",), rating_min=8),
    Q("Japanese films before 1980", countries=("JP",), years=(0, 1979)),
    Q("action films from the 90s rated 8+", genres=("Action",), years=(1990, 1999), rating_min=8),
    Q("mysteries from the 1940s", genres=("Mystery",), years=(1940, 1949)),
    Q("adventure films for kids", genres=("Adventure", "Family")),
    Q("fantasy films that are not animated", genres=("Fantasy",), not_genres=("Animation",)),
    Q("horror comedies", genres=("Horror", "Comedy")),
    Q("war dramas from the 2000s", genres=("War", "Drama"), years=(2000, 2009)),
    Q("films from the 1930s", years=(1930, 1939)),
    Q("American films from the 1920s", countries=("US",), years=(1920, 1929)),
    Q("Chinese films", countries=("CN",)),
    Q("Mexican films", countries=("MX",)),
    Q("Swedish films", countries=("SE",)),
    Q("Irish dramas", countries=("IE",), genres=("Drama",)),
    Q("horror films rated 9 or more", genres=("Horror",), rating_min=9),
    # Filters plus a descriptive part: judged by the filters only.
    Q("British crime films about gangsters in London", countries=("GB",), genres=("Crime",)),
    Q("French romance in Paris", countries=("FR",), genres=("Romance",)),
    Q("horror from the 70s with a possessed child", genres=("Horror",), years=(1970, 1979)),
    Q("sci-fi rated 8+ about robots", genres=("Sci-Fi",), rating_min=8),
    Q("comedies from the 80s about summer camp", genres=("Comedy",), years=(1980, 1989)),
]

DESCRIPTIVE_QUESTIONS = [
    D("zombies and the undead", "Horror"),
    D("cowboys and gunfights", "Western"),
    D("a haunted house", "Horror"),
    D("spaceships and alien worlds", "Sci-Fi"),
    D("soldiers in the trenches", "War"),
    D("a detective solving a murder", "Mystery", "Crime", "Film-Noir", "Thriller"),
    D("a bank robbery", "Crime", "Thriller", "Action"),
    D("singing and dancing on stage", "Musical"),
    D("two strangers fall in love", "Romance"),
    D("jokes that made me laugh out loud", "Comedy"),
    D("a serial killer stalking victims", "Horror", "Thriller", "Crime"),
    D("car chases and explosions", "Action"),
    D("wizards, dragons and magic", "Fantasy"),
    D("talking animals drawn by hand", "Animation", "Family"),
    D("real footage and interviews with the people involved", "Documentary"),
    D("the mafia and organised criminals", "Crime"),
    D("vampires", "Horror"),
    D("robots and artificial intelligence", "Sci-Fi"),
    D("time travel", "Sci-Fi", "Fantasy"),
    D("astronauts in outer space", "Sci-Fi"),
    D("the D-Day landings and the Nazis", "War"),
    D("a masked killer at a summer camp", "Horror"),
    D("aliens invade the earth", "Sci-Fi"),
    D("pirates and buried treasure", "Adventure"),
    D("a hard-boiled private eye and a femme fatale", "Film-Noir", "Crime", "Mystery"),
]

QUESTIONS = FILTER_QUESTIONS + DESCRIPTIVE_QUESTIONS

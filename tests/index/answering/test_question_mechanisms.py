"""The parser's general mechanisms, each on questions we wrote in the shapes other people's
questions showed (../shared/data/questions), traps included: a negation that ends at "but",
a film named with its year, a number inside a title, a name typed in lower case."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser, negations, references
from index.answering.question.state import Question
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.types import Film
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
KNOWN = People(
    directors=["Bong Joon-ho", "Park Chan-wook", "Michael Mann"],
    cast=["Song Kang-ho", "Al Pacino", "Robert De Niro"],
)
FILMS = Titles(
    [
        Film(f"f{i}", title, year, (), (), None, (), (), 1)
        for i, (title, year) in enumerate(
            [("Heat", 1995), ("Chicago", 2002), ("Paris, Texas", 1984), ("Oldboy", 2003)]
        )
    ]
)
PARSER = QueryParser(KNOWN, FILMS, today=TODAY)


def read(text: str) -> dict:
    return reading(PARSER.parse(text), "limit", "like", "title")


# ------------------------------------------------------------------ negation (NegEx)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't do scary movies", dict(genres_none=["Horror"])),
        ("not into anime", dict(genres_none=["Animation"])),
        ("war films bore me", dict(genres_none=["War"])),
        ("I don't care for romance", dict(genres_none=["Romance"])),
        ("westerns aren't my thing", dict(genres_none=["Western"])),
        ("anything but musicals", dict(genres_none=["Musical"])),
        ("sci-fi that isn't action", dict(genres_all=["Sci-Fi"], genres_none=["Action"])),
        ("no musicals or westerns", dict(genres_none=["Musical", "Western"])),
        # The scope ends at a contrast: what follows "but" or "what about" is wanted.
        ("no horror but a good thriller", dict(genres_none=["Horror"], genres_all=["Thriller"])),
        (
            "I don't really like horror what about comedies",
            dict(genres_none=["Horror"], genres_all=["Comedy"]),
        ),
        (
            "not a fan of westerns. any comedies?",
            dict(genres_none=["Western"], genres_all=["Comedy"]),
        ),
        # A quality negated, not the kind: "not too gory horror" still wants horror.
        ("thrillers and not too gory horror", dict(genres_all=["Thriller", "Horror"])),
        ("nothing too scary", dict(genres_none=["Horror"])),
        # A remark on a film already named, not a negated wish: a western is wanted.
        ("that's not a western, I want one", dict(genres_all=["Western"])),
        # Countries, languages and people alike.
        ("non-American dramas", dict(genres_all=["Drama"], countries_none=["US"])),
        ("nothing from France please", dict(countries_none=["FR"])),
        ("nothing with subtitles", dict(languages=["en"])),
        ("not a fan of foreign films", dict(languages=["en"])),
        ("dramas not in French", dict(genres_all=["Drama"], languages_none=["fr"])),
        ("crime films without Al Pacino", dict(genres_all=["Crime"], people_none=["Al Pacino"])),
        ("I can't stand Robert De Niro", dict(people_none=["Robert De Niro"])),
        # Twice negated: "the ones that are not in English" under "didn't like" wants English.
        (
            "I didn't like the war films that are not in English",
            dict(genres_all=["War"], languages=["en"]),
        ),
        # A wish lifted, not reversed.
        ("it doesn't have to be Al Pacino, just a good crime film", dict(genres_all=["Crime"])),
        ("I prefer comedies over dramas", dict(genres_all=["Comedy"])),
        ("I like comedies, but not lowbrow comedies", dict(genres_all=["Comedy"])),
    ],
)
def test_negation_has_a_trigger_and_a_scope(text, expected):
    assert read(text) == expected


def test_a_negation_scope_ends_at_the_clause():
    question = Question("no horror, I want something funny")
    negations.read(question)
    (scope,) = question.scopes
    assert question.text[scope.start : scope.end].strip() == "horror"


# ------------------------------------------------------------------ film references
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title with its year is a film: its year and its number are no filter.
        ("something like Crash Test (2004) or 48 Hours Later (2011)", dict(like="Crash Test")),
        ("I loved 12 Angry Jurors (1957), anything similar?", dict(like="12 Angry Jurors")),
        (
            "comedies like 30 Days of Night Shift (2010)",
            dict(genres_all=["Comedy"], like="30 Days of Night Shift"),
        ),
        ("my favorite is Scary Night Out (2003)", dict(like="Scary Night Out")),  # no horror
        ("I LOVED THE MOVIE Paper Moon Sisters (1988) SO MUCH", dict(like="Paper Moon Sisters")),
        # Several: all taken out, the first wanted one is the film to find more like.
        (
            "i liked Red Kite (1999) and Blue Harbor (2004), more like those",
            dict(like="Red Kite"),
        ),
        # Named but not wanted: a negation covers it.
        ("a good war film but not like Iron Sky Storm (2001)", dict(genres_all=["War"])),
        # Known titles in any case; a title that is a place or a word is the film.
        ("chicago", dict(title="Chicago")),
        ("paris, texas", dict(title="Paris, Texas")),
        ("films set in Chicago", {}),
        ("something like heat", dict(like="Heat")),
        # Lower case, to the end of its clause, after "something like".
        ("something like the lord of the rings", dict(like="the lord of the rings")),
        # Capitalised titles holding a genre or country word are films.
        ("I liked War Horse Journey", dict(like="War Horse Journey")),
        ("American Road Trip was great", dict(title="American Road Trip")),
        # "something like Al Pacino" is a person, not a film to resemble.
        ("something like Al Pacino", dict(cast=["Al Pacino"])),
        # "liked geralds game and 1922": a number in a list of films seen is one of them.
        ("liked shadow game and 1931", dict(like="1931")),
    ],
)
def test_films_named_are_taken_out_before_numbers_are_read(text, expected):
    assert read(text) == expected


def test_a_repeated_title_in_lower_case_is_the_same_film_not_a_genre():
    assert read(
        "movies like Star Voyage: A War Story (2016) that aren't war story sequels"
    ) == dict(like="Star Voyage: A War Story")


def test_references_record_every_mention():
    question = Question("I saw Red Kite (1999), Blue Harbor (2004) and Green Hill (2010)")
    negations.read(question)
    references.read(question, None, KNOWN)
    assert question.mentions == ["Red Kite", "Blue Harbor", "Green Hill"]


# ------------------------------------------------------------------ years
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("after 2007 but before 2012", 2008, 2011),
        ("released after the year 1999 but before 2005", 2000, 2004),
        ("the 80s or 90s", 1980, 1999),
        ("from the 1960s or 1970s", 1960, 1979),
        ("the 50's, 60's and 70's", 1950, 1979),
        ("made before 1990", None, 1989),
        ("from the 90s up till now", 1990, None),
        ("anything newer", 2021, None),
        ("something that just came out", 2021, None),
        ("from the past few years", 2021, None),
        ("released this year", 2026, 2026),
        ("films from last year", 2025, 2025),
        ("within the last year", 2025, None),
        ("a new movie", 2021, None),
        ("has he done anything recently", 2021, None),
    ],
)
def test_years_as_a_small_grammar(text, low, high):
    parsed = PARSER.parse(text)
    assert (parsed.filters.year_min, parsed.filters.year_max) == (low, high)


@pytest.mark.parametrize(
    "text",
    [
        "I saw it in theaters last year",  # when the asker saw it
        "I've seen that one recently",
        "newer ones like Moon River Days (2017)",  # the film named says how new
        "a story set in the 1920s",  # where a story is set
        "something with historical settings of the 1800s",
    ],
)
def test_years_that_are_not_release_years(text):
    parsed = PARSER.parse(text)
    assert (parsed.filters.year_min, parsed.filters.year_max) == (None, None)


# ------------------------------------------------------------------ people
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("films with meryl streep", dict(cast=["Meryl Streep"])),  # lower case
        ('anything with " Meryl Streep "', dict(cast=["Meryl Streep"])),  # padded quotes
        ("Kubrick's best films", dict(directors=["Stanley Kubrick"])),  # possessive surname
        ("what does Al Pacino appear in", dict(cast=["Al Pacino"])),
        (
            "did Michael Mann direct any thrillers",
            dict(directors=["Michael Mann"], genres_all=["Thriller"]),
        ),
        (
            "I love Tarantino and Villeneuve",
            dict(directors=["Quentin Tarantino", "Denis Villeneuve"]),
        ),
        ("anything with Nick Cage", dict(cast=["Nicolas Cage"])),  # nickname
        ("i love leo dicaprio", dict(cast=["Leonardo DiCaprio"])),
        ("Robert Downy Jr. movies", dict(cast=["Robert Downey Jr."])),  # misspelt
        ("films by Chan-park wook", dict(directors=["Park Chan-wook"])),  # words in another order
        ("hitchcock films", dict(directors=["Alfred Hitchcock"])),  # a surname no one else has
        ("a storm over the harbour", dict()),  # a surname in lower case, with no cue: a word
        ("the Coen brothers", dict(directors=["Ethan Coen", "Joel Coen"])),
        # Roles by the words around a name, or what the person is known for.
        ("something by Al Pacino", dict(cast=["Al Pacino"])),
        ("movies directed by Al Pacino", dict(directors=["Al Pacino"])),
        # Unknown names by their form, where a taste is said.
        (
            "comedies i like jenna bakersfield",
            dict(genres_all=["Comedy"], cast=["jenna bakersfield"]),
        ),
        ("I love Danny Westerbrook", dict(cast=["Danny Westerbrook"])),
        ("which movies was Danny Westerbrook in?", dict(cast=["Danny Westerbrook"])),
        ("what has Danny Westerbrook been in", dict(cast=["Danny Westerbrook"])),
        ("a film that Danny Westerbrook shows up in", {}),  # "in" after no "was"
        ("Was Danny Westerbrook in the mood for Westerns?", dict(genres_all=["Western"])),
        (
            "starring john smithson and mary jonesworth",
            dict(cast_all=["john smithson", "mary jonesworth"]),
        ),
        # Not people: a series' character, a title said alone, an ordinary word.
        ("James Bond movies", {}),
        ("Hope you are well! any thrillers?", dict(genres_all=["Thriller"])),
        ("movies about zombies", {}),
    ],
)
def test_people_by_form_and_role(text, expected):
    assert read(text) == expected


def test_a_writer_is_known_but_not_a_filter_and_the_answer_says_so():
    parsed = PARSER.parse("something by Stephen King")
    assert parsed.filters.directors == [] and parsed.filters.cast == []
    assert [i.phrase for i in parsed.ignored] == ["by Stephen King"]
    assert "writer" in parsed.ignored[0].why


def test_people_named_beside_a_film_describe_it():
    assert read("Romeo and Jules (1996) with Robert De Niro was great") == dict(
        title="Romeo and Jules"
    )
    assert read("Kubrick's Paths of Honour (1957)") == dict(title="Paths of Honour")


def test_similar_to_someones_films_is_no_filter_on_them():
    assert read("films similar to Denis Villeneuve movies") == {}


# ------------------------------------------------------------------ languages, small forms
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("English preferred", dict(languages=["en"])),
        ("in a foreign language", dict(languages_none=["en"])),
        ("I am not really into subtitles", dict(languages=["en"])),
        ("I don't mind subtitles", {}),
        ("I didn't even mind that I don't know Spanish", {}),
        ("gangster flicks", dict(genres_all=["Crime"])),
        ("a good whodunnit", dict(genres_all=["Mystery"])),
        ("sci fy from the 80s", dict(genres_all=["Sci-Fi"], year_min=1980, year_max=1989)),
        ("a rom-com", dict(genres_all=["Romance", "Comedy"])),
        ("something to make me laugh", dict(genres_all=["Comedy"])),
        ("the best seven heist films", dict(genres_all=["Crime"], limit=7)),
        ("do you have one more?", dict(limit=1)),
        ("is it scary?", {}),  # a remark on a film
        ("the kids enjoyed it", {}),
        ("something for the kids", dict(genres_all=["Family"])),
        ("anything I can watch with my kids? under 10", dict(genres_all=["Family"])),
    ],
)
def test_languages_and_small_forms(text, expected):
    assert read(text) == expected


def test_a_rating_above_8_leaves_the_words_about_meaning():
    parsed = PARSER.parse("dark science fiction about memory with a rating above 8.")
    assert parsed.filters.rating_min == 8 and parsed.filters.rating_min_exclusive
    assert parsed.semantic == "dark science fiction about memory"


@pytest.mark.parametrize(
    ("text", "semantic"),
    [
        ("dark comedy", "dark comedy"),  # not "dark": films with Dark in the title
        ("a slow-burn thriller", "slow-burn thriller"),
        ("tense courtroom dramas from the 60s", "tense courtroom dramas"),
        ("Japanese horror", ""),  # the word before it was read as a country
        ("horror comedies", ""),  # two kinds, no word qualifying them
        ("a great comedy", ""),  # "great" says nothing a search could match
    ],
)
def test_a_kind_qualified_by_an_unread_word_is_searched_with_it(text, semantic):
    parsed = PARSER.parse(text)
    assert parsed.filters.genres_all and parsed.semantic == semantic


@pytest.mark.parametrize(
    ("text", "like"),
    [
        ("i want to be really scared. like cant sleep after", None),  # "like": a pause
        ("something dark, like se7en", "se7en"),  # after a comma: such as
        ("movies like inception", "inception"),
    ],
)
def test_lower_case_words_after_a_bare_like_are_a_film_only_when_cued(text, like):
    assert PARSER.parse(text).like == like

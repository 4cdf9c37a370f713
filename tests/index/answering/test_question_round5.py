"""Mechanisms found on round five's development questions (benchmarks/questions_round5.jsonl:
what people typed to movie bots, as they typed it), each tested here on questions we wrote
ourselves, traps included: chat shorthand and contractions without their apostrophe ("i dont
like horror", "can u", "recs"), a title's abbreviation ("Dr. Strangelove"), a compound genre
word one letter off ("si-fi"), films named in lower case ("a mindbender like fight club",
"liked shutter island. anything similar?", "like brazil (1985)"), "give me like 10", a negation
that ends at a polite word or a new wish ("nothing recent please, a western"), a pronoun
standing for the kind named just before ("sounds like horror. i dont like those"), and a subject
that ends with its clause ("about world war 2, i need action")."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.answering.question.shorthand import expanded
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.types import Film
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
PARSER = QueryParser(People(directors=["Quentin Tarantino"], cast=["Keanu Reeves"]), today=TODAY)


def read(text: str) -> dict:
    return reading(PARSER.parse(text), "like", "limit")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("i dont like horror", "i don't like horror"),
        ("Im after a comedy w my kids", "I'm after a comedy with my kids"),
        ("can u give me recs pls", "can you give me recommendations please"),
        ("gimme smth scary tho", "give me something scary though"),
        ("films like dr. strangelove", "films like dr strangelove"),
        ("a si-fi film", "a sci fi film"),
        ("any sci fu?", "any sci fi?"),
        ("sy-fy please", "syfy please"),
        # Traps: words in their own right, a letter that is no word, a compound far off.
        ("I wont go, I feel ill", "I wont go, I feel ill"),
        ("w", "w"),
        ("a hi fi documentary", "a hi fi documentary"),
        ("Dr. No.", "Dr No."),
        ("he said so. Dr", "he said so. Dr"),
    ],
)
def test_chat_shorthand_is_read_as_the_words_it_stands_for(typed, meant):
    assert expanded(typed) == meant


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("i dont like westerns", {"genres_none": ["Western"]}),
        ("cant stand musicals tbh", {"genres_none": ["Musical"]}),
        ("can u recommend a sci fu movie?", {"genres_all": ["Sci-Fi"]}),
        ("best 3 si-fi films pls", {"genres_all": ["Sci-Fi"], "limit": 3}),
        ("gimme like 10 comedies", {"genres_all": ["Comedy"], "limit": 10}),
        ("any good thrillers? give me like 5", {"genres_all": ["Thriller"], "limit": 5}),
        # Trap: "like 1917" after a taste is the film, not a count.
        ("something like 1917", {"like": "1917"}),
    ],
)
def test_messy_typing_reads_as_tidy_typing(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "like"),
    [
        ("either something cosy or a mindbender like fight club", "fight club"),
        ("a horror with a proper story, like alien but not from that franchise", "alien"),
        ("liked shutter island. any similar ones?", "shutter island"),
        ("my fav film is persona. suggest me something similar?", "persona"),
        ("recs similar to the movie NOPE", "NOPE"),
        ("any unique films like brazil (1985)?", "brazil"),
        ("films like Dr. Strangelove", "Dr Strangelove"),
        # The cue capitalised at a sentence's start.
        ("Liked Shutter Island. Any similar ones?", "Shutter Island"),
        ("A horror with a story. Like Alien but not the sequels.", "Alien"),
        ("something like dr. strangelove please", "dr strangelove"),
    ],
)
def test_a_film_named_in_lower_case_is_a_film_to_find_more_like(question, like):
    assert PARSER.parse(question).like == like


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "like" said as a verb: a taste, not a film.
        ("im 52 and like science fiction", {"genres_all": ["Sci-Fi"]}),
        ("i really like world building", {}),
        ("it looks like a horror", {}),
        # A taste in lower case without "similar" is not a film to resemble.
        ("i liked the acting", {}),
        # A country before a year after "like" is the film's title, not a country.
        ("like brazil (1985)", {"like": "brazil"}),
        ("a brazilian film from 1985", {"countries": ["BR"], "year_min": 1985, "year_max": 1985}),
        # A decade before capitalised words is a decade, not part of a title.
        ("some good 70s New Hollywood ones", {"year_min": 1970, "year_max": 1979}),
        # A person after "like", even misspelt, is a person.
        ("I like Quintin Tarantino movies", {"directors": ["Quentin Tarantino"]}),
    ],
)
def test_traps_around_lower_case_films(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nothing recent please, a western", {"genres_all": ["Western"]}),
        ("no horror pls, a comedy", {"genres_all": ["Comedy"], "genres_none": ["Horror"]}),
        (
            "I don't want anything scary, a comedy or an animated film",
            {"genres_any": ["Comedy", "Animation"], "genres_none": ["Horror"]},
        ),
        # Trap: a list of kinds after one trigger is all negated.
        ("no horror, thrillers or war films", {"genres_none": ["Horror", "Thriller", "War"]}),
        # A new wish ends it, said after a comma or "and", even in words of talk.
        (
            "i hate musicals and romcoms, love action tho",
            {"genres_all": ["Action"], "genres_none": ["Musical", "Romance", "Comedy"]},
        ),
        (
            "no horror and i want something funny",
            {"genres_all": ["Comedy"], "genres_none": ["Horror"]},
        ),
        ("not a fan of subtitles, english only", {"languages": ["en"]}),
        # "No," on its own answers the bot: it negates nothing after it.
        ("no, know any newer ones?", {"year_min": 2021}),
        ("seen it, no. a horror then", {"genres_all": ["Horror"]}),
        ("no horror.", {"genres_none": ["Horror"]}),
    ],
)
def test_a_negation_ends_at_a_polite_word_or_a_new_wish(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("sounds more like horror. i dont like those...", {"genres_none": ["Horror"]}),
        ("that was a musical? i don't like them", {"genres_none": ["Musical"]}),
        # Trap: a pronoun with more after it is the clause's own object.
        ("a comedy. i don't like those with laugh tracks", {"genres_all": ["Comedy"]}),
    ],
)
def test_a_negated_pronoun_stands_for_the_kind_just_named(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "a true story film about world war 2 , i need action, adventure",
            {"genres_any": ["Action", "Adventure"]},
        ),
        ("a film about love. something french", {"countries": ["FR"]}),
        # Trap: a subject that runs on says what happens in the film.
        ("movies about korean immigrants in the war", {}),
    ],
)
def test_a_subject_ends_with_its_clause(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "semantic"),
    [
        ("comedy from the eighties lol", ""),
        ("heyy, a western? :-)", ""),
        ("hmm any good thrillers?? haha", ""),
        ("a heist film <3", "heist"),
        ("🎃 a heist film pls 👻", "heist"),
        ("something sad 😢", "sad"),
        # Trap: a word that only starts like chat noise stays.
        ("films about hmong refugees", "hmong refugees"),
    ],
)
def test_chat_noise_is_not_searched_for(question, semantic):
    assert PARSER.parse(question).semantic == semantic


def test_a_surname_in_lower_case_after_another_in_a_list_is_a_person():
    known = People(directors=["Denis Villeneuve", "David Fincher"], cast=["Nicolas Cage"])
    parser = QueryParser(known, today=TODAY)
    assert parser.parse("i like villeneuve and fincher").filters.directors == [
        "Denis Villeneuve",
        "David Fincher",
    ]
    # Trap: a surname that is an ordinary word stays a word ("a bird in a cage").
    parsed = parser.parse("i like fincher and cage fighting films")
    assert parsed.filters.directors == ["David Fincher"] and not parsed.filters.cast


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("k-dramas", {"countries": ["KR"], "genres_all": ["Drama"]}),
        ("a kdrama pls", {"countries": ["KR"], "genres_all": ["Drama"]}),
        ("k horror", {"countries": ["KR"], "genres_all": ["Horror"]}),
        # Trap: a "k" that says nothing of Korea.
        ("ok drama then", {"genres_all": ["Drama"]}),
    ],
)
def test_korean_said_as_k_in_lower_case(question, expected):
    assert read(question) == expected


def test_a_slash_between_kinds_is_not_searched_for():
    parsed = PARSER.parse("crime/thriller pls")
    assert parsed.filters.genres_any == ["Crime", "Thriller"] and parsed.semantic == ""


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("from like 2005-2010", {"year_min": 2005, "year_max": 2010}),
        ("rated like 8 or more", {"rating_min": 8.0}),
        ("2010+ horror", {"genres_all": ["Horror"], "year_min": 2010}),
        ("anything from the last 3 yrs", {"year_min": 2023}),
        # Trap: a film named by a number after "something like" is a film.
        ("something like 1917", {"like": "1917"}),
    ],
)
def test_like_hedging_a_number_and_years_typed_short(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Asking words under a negation are its trigger, though they are also talk.
        ("dont recommend anything with keanu reeves", {"people_none": ["Keanu Reeves"]}),
        ("don't show me anything scary", {"genres_none": ["Horror"]}),
        ("I don't want something scary", {"genres_none": ["Horror"]}),
        # A run-on's new wish ends the scope.
        (
            "not in the mood for subtitles tonight something american",
            {"countries": ["US"], "languages": ["en"]},
        ),
        ("no horror something funny", {"genres_all": ["Comedy"], "genres_none": ["Horror"]}),
        # Trap: "something" the trigger is said of stays inside it.
        ("i dont want to watch something with subtitles", {"languages": ["en"]}),
    ],
)
def test_negations_in_run_on_requests(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("a comedy from nineteen ninety four", "a comedy from 1994"),
        ("movies from the nineteen eighties", "movies from the 1980s"),
        ("a film from two thousand and ten", "a film from 2010"),
        ("horror from twenty twenty-two", "horror from 2022"),
        ("films rated above eight", "films rated above 8"),
        ("at least seven and a half", "at least 7.5"),
        ("at least eight point five", "at least 8.5"),
        ("longer than ninety minutes", "longer than 90 minutes"),
        ("a hundred and twenty minutes", "120 minutes"),
        # Traps: number words that are no measure stay words.
        ("one of my favourites", "one of my favourites"),
        ("two movies please", "two movies please"),
        ("twenty one pilots", "twenty one pilots"),
    ],
)
def test_numbers_said_in_words_are_written_as_numbers(typed, meant):
    assert expanded(typed) == meant


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "a comedy from nineteen ninety four",
            {"genres_all": ["Comedy"], "year_min": 1994, "year_max": 1994},
        ),
        ("films after two thousand and five", {"year_min": 2006}),
        ("rated seven and a half or more", {"rating_min": 7.5}),
        ("movies longer than ninety minutes", {"runtime_min": 91}),
    ],
)
def test_a_voice_assistants_transcript_reads_like_typed_numbers(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "semantic"),
    [
        ("alexa find me a heist film", "heist"),
        ("ok google, comedies about cooking", "cooking"),
        # Trap: the name said later is part of the question.
        ("films about google", "google"),
    ],
)
def test_a_wake_word_is_talk(question, semantic):
    assert PARSER.parse(question).semantic == semantic


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I WANT A WAR MOVIE FROM THE 80S",
            {"genres_all": ["War"], "year_min": 1980, "year_max": 1989},
        ),
        ("FILMS DIRECTED BY QUENTIN TARANTINO", {"directors": ["Quentin Tarantino"]}),
        # Trap: one word in capitals in a question typed in lower case is the asker's stress.
        ("recs similar to the movie NOPE", {"like": "NOPE"}),
    ],
)
def test_a_question_typed_in_capitals_reads_as_typed_in_lower_case(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "directors"),
    [
        ("a drama directed by matteo garrone.", ["Matteo Garrone"]),
        ("anything by qui sheng?", ["Qui Sheng"]),
        # Traps: words English often uses are a description, not a name.
        ("directed by indie filmmakers", []),
        ("directed by someone famous", []),
        ("i like sci fi, action and adventure films", []),
    ],
)
def test_an_unknown_name_in_lower_case_after_its_role(question, directors):
    assert PARSER.parse(question).filters.directors == directors


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "that one seemed like horror not sci-fi. i dont like horror movies. i do like sci fi tho",
            {"genres_all": ["Sci-Fi"], "genres_none": ["Horror"]},
        ),
        ("this one is horror not comedy", {"genres_all": ["Comedy"]}),
        # Traps: a wish with "not" in it, and "not" said of the film itself.
        ("i want a drama not a thriller", {"genres_all": ["Drama"], "genres_none": ["Thriller"]}),
        ("it is not horror", {"genres_none": ["Horror"]}),
    ],
)
def test_not_after_a_remark_on_a_film_negates_no_wish(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("no superheroes no animation no musicals", {"genres_none": ["Animation", "Musical"]}),
        ("nothing before 1990", {"year_min": 1990}),
        ("nothing after 2010 please", {"year_max": 2010}),
        ("not from before the 80s", {"year_min": 1980}),
        # Trap: a double negation still cancels out.
        ("not not horror", {"genres_all": ["Horror"]}),
    ],
)
def test_runs_of_no_and_negated_year_bounds(question, expected):
    assert read(question) == expected


TITLES = Titles(
    [
        Film(f"f{i}", title, year, (), (), None, (), (), 1)
        for i, (title, year) in enumerate(
            [
                ("Heat", 1995),
                ("Burning", 2018),
                ("Hot Fuzz", 2007),
                ("Shaun of the Dead", 2004),
                ("The Handmaiden", 2016),
                ("Jaws", 1975),
            ]
        )
    ]
)
KNOWING = QueryParser(People(cast=["Al Pacino"]), TITLES, today=TODAY)


@pytest.mark.parametrize(
    ("question", "like", "title", "semantic"),
    [
        ("i loved the handmaiden and burning, what else", "The Handmaiden", None, ""),
        ("stuff like shaun of the dead or hot fuzz", "Shaun of the Dead", None, ""),
        ("is jaws any good", None, "Jaws", ""),
        ("whats jaws about", None, "Jaws", ""),
        # Traps: a person, or a kind of film, after the first film is no film.
        ("loved heat and al pacino", "Heat", None, ""),
        ("i like heat and horror", "Heat", None, ""),
        ("is horror any good", None, None, ""),
    ],
)
def test_films_the_index_knows_named_in_lower_case(question, like, title, semantic):
    parsed = KNOWING.parse(question)
    assert (parsed.like, parsed.title, parsed.semantic) == (like, title, semantic)

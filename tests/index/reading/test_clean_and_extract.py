"""The example-shaped scraped page, and what prose says about a film."""

import datetime as dt

import pytest

from config import IngestSettings
from index.engine import SAMPLE_CORPUS
from index.reading.clean import clean_page
from index.reading.extract import extract
from index.reading.readers import read_file

BALLERINA = SAMPLE_CORPUS / "pages" / "ballerina-2023.txt"


def test_example_shaped_page_yields_every_field():
    result = read_file(BALLERINA, IngestSettings())
    assert not result.rejected
    (review,) = result.reviews
    assert review.title == "Ballerina"
    assert review.year == 2023
    assert review.reviewer == "Marisol Okafor"
    assert review.date == dt.date(2023, 10, 10)
    assert review.rating == 8.0
    # "Hailing from South Korea ..., Ballerina is a lean action thriller" and "Directed and
    # penned by Lee Chung Hyun, the film ...": a critic's page stating its film's facts, with
    # the film as the subject, is trusted from this one review.
    assert review.countries == ("KR",) and review.genres == ("Action", "Thriller")
    assert review.director == "Lee Chung Hyun"
    assert set(review.stated) == {"countries", "genres", "director"}
    assert review.platform == "Netflix"
    assert {"Jeon Jong Seo", "Kim Ji Hoon"} <= set(review.cast)


def test_example_shaped_page_keeps_the_body_once_without_boilerplate():
    (review,) = read_file(BALLERINA, IngestSettings()).reviews
    body = review.text
    lead = "Hailing from South Korea and landing on Netflix this month"
    assert body.startswith(lead)
    assert body.count(lead) == 1
    for furniture in (
        "unsubscribe",
        "Home | Reviews",
        "movies\n",
        "By Marisol",
        "Oct 10",
        "OUR RATING",
        "8 / 10",
        "Share this",
        "Related reviews",
        "©",
    ):
        assert furniture not in body
    assert body.endswith("it is an easy recommendation.")
    assert len(body.split("\n\n")) == 12


def test_page_without_rating_block_drops_trailing_furniture():
    page = clean_page(
        "Menu\nThe Host (2006) - Review\nBy Ana Lim\nMarch 2, 2007\n"
        "A monster crawls out of the Han River and snatches a girl from her family's snack stall.\n"
        "Her useless, loving relatives set out to get her back in a film that is funny and sad.\n"
        "Share on Facebook\nTags: monster\n"
    )
    assert page.title == "The Host" and page.year == 2006 and page.rating is None
    assert page.reviewer == "Ana Lim" and page.date == dt.date(2007, 3, 2)
    assert page.body.endswith("funny and sad.")


def test_prose_line_starting_with_score_is_not_a_rating_block():
    page = clean_page(
        "Dune (2021) review\nBy Kim\n"
        "The desert planet looks enormous and the sound design shakes the seats of the cinema.\n"
        "Score by Hans Zimmer is a wall of throat singing and drums that never lets up for a second.\n"
        "Rating: 4/5\n"
    )
    assert "Hans Zimmer" in page.body
    assert page.rating == 8.0


# Measured on real user reviews (benchmarks/EVAL.md): only "this <demonym> <film noun>" names
# the film's own country with precision of 0.9 or better; "from X", "a French film" and the
# like are as often about characters, remakes or other films.
@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("This Japanese drama follows a family.", ("JP",)),
        ("Unlike the American remake, this French film takes its time.", ("FR",)),
        ("This Korean revenge film never lets up.", ("KR",)),
        ("Hailing from South Korea, this is a revenge story.", ()),
        ("A Bollywood musical with six songs.", ()),
        ("The best Vietnam war film ever; this Vietnam war film is not it.", ()),
        ("Not a typical Hollywood movie, this one.", ()),
        ("The hero flies to Paris for the weekend.", ()),
    ],
)
def test_countries_come_only_from_this_film_phrases(text, countries):
    assert extract(text).countries == countries


# Only genres such phrases name reliably (Animation, Comedy, Documentary, Horror, Western).
@pytest.mark.parametrize(
    ("text", "genres"),
    [
        ("This western takes its time.", {"Western"}),
        ("This horror film is mostly fog.", {"Horror"}),
        ("This romantic comedy follows Julie.", {"Comedy"}),
        ("This thriller about revenge is lean.", set()),  # "thriller" is used loosely
        ("It is a lean action thriller about revenge.", set()),
        ("This is not a horror film, whatever the poster says.", set()),
    ],
)
def test_genres_come_only_from_this_film_phrases_of_reliable_genres(text, genres):
    assert set(extract(text).genres) == genres


@pytest.mark.parametrize(
    ("text", "director"),
    [
        ("Directed and penned by Lee Chung Hyun, it moves fast.", "Lee Chung Hyun"),
        ("Written and directed by Céline Sciamma.", "Céline Sciamma"),
        ("It is helmed by S. S. Rajamouli with gusto.", "S. S. Rajamouli"),
        ("Directed by Ridley Scott's protégé.", "Ridley Scott"),
        ("The director Bong Joon-ho returns.", None),  # could be any film's director
        ("Not directed by John Woo, sadly.", None),
        ("Directed by AND a cast of nobodies.", None),
    ],
)
def test_director_phrases(text, director):
    assert extract(text).director == director


def test_cast_and_platform_phrases():
    found = extract(
        "Landing on Netflix this week, it stars Jeon Jong Seo and Kim Ji Hoon. "
        "Headlining the cast is Park Yu Rim. Song Kang-ho plays the father."
    )
    assert found.cast == ("Jeon Jong Seo", "Kim Ji Hoon", "Park Yu Rim", "Song Kang-ho")
    assert found.platform == "Netflix"
    assert extract("Now streaming on Disney+ everywhere.").platform == "Disney+"

"""Review pages as real sites give them: every heading, byline, rating and fact form has a test
here, traps included. The pages under pages/ are our own (invented films, our own sentences)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import IngestSettings
from index.knowledge.films import merge_film
from index.reading.headings import read_heading
from index.reading.labels import read_line
from index.reading.ratings import normalize_rating, page_scale
from index.reading.readers import read_file
from index.reading.statements import stated

PAGES = Path(__file__).with_name("pages")
MANIFEST = json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))["pages"]


@pytest.mark.parametrize("page", MANIFEST, ids=lambda p: p["file"])
def test_each_page_reads_as_its_manifest_says(page):
    result = read_file(PAGES / page["file"], IngestSettings())
    assert not result.rejected, result.rejected
    (review,) = result.reviews
    assert review.title.replace("’", "'") == page["title"].replace("’", "'")
    assert review.year == page["year"]
    assert review.reviewer == page["reviewer"]
    assert review.rating == (
        None if page["rating"] is None else pytest.approx(page["rating"], abs=0.01)
    )
    assert review.text.startswith(page["body_first"])
    assert review.text.endswith(page["body_last"])
    assert not [f for f in page["not_in_body"] if f in review.text]
    film = merge_film("f", [review])  # what the index publishes from this one review
    assert set(film.countries) == set(page["countries"])
    assert set(film.genres) == set(page["genres"])
    assert film.director == page["director"]
    assert set(review.languages) == set(page["languages"])


@pytest.mark.parametrize(
    ("line", "title", "year", "extra"),
    [
        ("Review: The Glass Orchard", "The Glass Orchard", None, {}),
        ("Movie Review: ‘The Ninth Lighthouse’", "The Ninth Lighthouse", None, {}),
        ("Berlinale 2021 Review: Winter Orchard", "Winter Orchard", None, {}),
        ("Lanterns Over Kraków review", "Lanterns Over Kraków", None, {}),
        ("‘The Quiet Season’ review – a patient portrait of grief", "The Quiet Season", None, {}),
        ("Pan's Labyrinth (2006) – Film Review – The Dark Screen", "Pan's Labyrinth", 2006, {}),
        ("The Iron Meadow [1966] ★★★★", "The Iron Meadow", 1966, {"rating_raw": "★★★★"}),
        ("Northern Fires 1996", "Northern Fires", 1996, {"bare_year": True}),
        (
            "The Salt Road (2000) dir. Amara Okafor",
            "The Salt Road",
            2000,
            {"director": "Amara Okafor"},
        ),
        (
            "Ember Valley (dir. Tomás Herrera, 2018)",
            "Ember Valley",
            2018,
            {"director": "Tomás Herrera"},
        ),
        (
            "The Quiet Tide (Le port muet, France-Belgium 2017)",
            "The Quiet Tide",
            2017,
            {"countries": ("FR", "BE"), "original_title": "Le port muet"},
        ),
        ("Ashes of the Delta (15)", "Ashes of the Delta", None, {}),  # a certificate, not a year
        ("Stone Choir (12A)", "Stone Choir", None, {}),
        ("A ★★★★½ review of Harbour Lights (2011)", "Harbour Lights", 2011, {}),
        ("Paper Kites", "Paper Kites", None, {}),
        ("Blade Runner 2049", "Blade Runner 2049", None, {}),  # a future year is the title's
        ("Eyewitness (Janitor, The)", "Eyewitness (Janitor, The)", None, {}),
        ("‘Copper Sky’ Film Review: A Widow Goes Underground", "Copper Sky", None, {}),
        ("Review: “Paper Kites” Flies Higher Than Its Premise", "Paper Kites", None, {}),
        ("FROST MARKET: A Christmas Story That Earns Its Tears", "FROST MARKET", None, {}),
        ("Midnight Classics: THE IRON MEADOW (1966)", "THE IRON MEADOW", 1966, {}),
        ("Review in Brief: Winter Orchard (2021)", "Winter Orchard", 2021, {}),
        ("Marigold Summer – a gentle market comedy", "Marigold Summer", None, {}),
        ("Mission: Impossible – Fallout", "Mission: Impossible – Fallout", None, {}),
        ("Film Review: ‘Salt and Iron’: A Village Keeps Its Secret", "Salt and Iron", None, {}),
    ],
)
def test_headings_name_the_film(line, title, year, extra):
    heading = read_heading(line)
    assert heading is not None and (heading.title, heading.year) == (title, year)
    for name, value in extra.items():
        assert getattr(heading, name) == value


@pytest.mark.parametrize(
    "line",
    ["Home | Reviews | Interviews | Festivals | About", "Sign in", "movies", "THE CLASSIC CORNER"],
)
def test_menu_and_section_lines_are_no_headings(line):
    assert read_heading(line) is None


@pytest.mark.parametrize(
    ("line", "reviewer", "rating_raw"),
    [
        ("By Tomás Reyes", "Tomás Reyes", None),
        ("Reviewed by Ewa Nowak", "Ewa Nowak", None),
        ("Review by Marta Lindqvist ★★★★½", "Marta Lindqvist", "★★★★½"),
        ("Posted by Luis Navarro on 14 August 2019", "Luis Navarro", None),
        ("Posted on March 18, 2017 by Youssef Amrani", "Youssef Amrani", None),
        ("Words by Jonas Berg", "Jonas Berg", None),
        ("Written by Priya Nair", "Priya Nair", None),
    ],
)
def test_bylines(line, reviewer, rating_raw):
    facts = read_line(line)
    assert facts is not None and facts.reviewer == reviewer and facts.rating_raw == rating_raw


@pytest.mark.parametrize(
    ("line", "rating"),
    [
        ("Overall: 8.1", 8.1),
        ("Reviewer Score: 8", 8.0),
        ("Rating: B", 7.5),
        ("GRADE: B+", 8.3),
        ("Rating: ☆☆☆1/2", 7.0),
        ("Rating: 3 1/2 stars", 7.0),
        ("Rating: ★★ (out of 3)", 6.67),
        ("★★½ out of 3", 8.33),
        ("Score: 72/100", 7.2),
        ("(7/10)", 7.0),
        ("3.5/4", 8.75),
        ("4 out of 5", 8.0),
    ],
)
def test_rating_lines(line, rating):
    facts = read_line(line)
    assert facts is not None and facts.label == "rating"
    assert normalize_rating(facts.rating_raw) == pytest.approx(rating, abs=0.01)


@pytest.mark.parametrize(
    "line",
    ["Certificate: 15", "Rated PG-13 for violence", "Stars: Ana Ruiz", "Overall a fine film."],
)
def test_certificates_and_prose_are_no_ratings(line):
    facts = read_line(line)
    assert facts is None or facts.label != "rating"


def test_a_page_scale_makes_stars_out_of_it():
    assert page_scale("All our ratings are out of three stars.") == 3
    assert page_scale("Two out of three characters die.") is None
    assert normalize_rating("★★½", stars=3) == pytest.approx(8.33, abs=0.01)


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Director: Minh Tran", "director", "Minh Tran"),
        ("Directed By Neil Burger", "director", "Neil Burger"),
        ("Director – Femi Adeyemi", "director", "Femi Adeyemi"),
        ("Country: Vietnam", "countries", ("VN",)),
        ("Genre: War, Drama", "genres", ("War", "Drama")),
        ("Language: Norwegian", "languages", ("no",)),
        ("Starring – Ana Ruiz, Tom Hale", "cast", ("Ana Ruiz", "Tom Hale")),
        ("Running time: 118 mins", "runtime", 118),
        ("Austria/Germany 2021 Dir. Katrin Moser. 104 mins.", "countries", ("AT", "DE")),
        ("Austria/Germany 2021 Dir. Katrin Moser. 104 mins.", "director", "Katrin Moser"),
    ],
)
def test_label_lines_state_facts(line, field, value):
    facts = read_line(line)
    assert facts is not None and getattr(facts, field) == value


@pytest.mark.parametrize(
    ("text", "title", "countries", "genres", "director"),
    [
        ("Harbour is a Norwegian Film Directed By Ana Ruiz.", "Harbour", {"NO"}, set(), "Ana Ruiz"),
        ("Ana Ruiz's Polish drama follows a family.", "X", {"PL"}, {"Drama"}, "Ana Ruiz"),
        (
            "chilean director Ana Ruiz's sprawling thriller takes place at night.",
            "X",
            {"CL"},
            {"Thriller"},
            "Ana Ruiz",
        ),
        (
            "Hailing from Iceland, Glacier Hymn is a quiet documentary about a choir.",
            "Glacier Hymn",
            {"IS"},
            {"Documentary"},
            None,
        ),
        (
            "With Hollow Pines, director Jake Morrow cements his place as a leading voice in the horror genre.",
            "Hollow Pines",
            set(),
            {"Horror"},
            "Jake Morrow",
        ),
        (
            "Directed and written by Karim Soliman, this Egyptian drama follows a widow.",
            "X",
            {"EG"},
            {"Drama"},
            "Karim Soliman",
        ),
        (
            "The film, directed by Mei-ling Chou, follows a dispatcher.",
            "X",
            set(),
            set(),
            "Mei-ling Chou",
        ),
        ("Director Wong Ka-fai is on much better form here.", "X", set(), set(), "Wong Ka-fai"),
        (
            "Jake Morrow, a leading voice in the horror genre, returns with Hollow Pines.",
            "Hollow Pines",
            set(),
            {"Horror"},
            None,
        ),
        (
            "Unlike most of the horror genre, Hollow Pines takes its time.",
            "Hollow Pines",
            set(),
            set(),
            None,
        ),
        ("A Dutch musical about dockworkers who form a choir.", "X", {"NL"}, {"Musical"}, None),
        # Other films' facts, and what the film is not: nothing.
        (
            "A remake of a Japanese film could easily have felt second-hand.",
            "X",
            set(),
            set(),
            None,
        ),
        (
            "It is often confused with Dust Riders, also directed by Henry Voss.",
            "X",
            set(),
            set(),
            None,
        ),
        (
            "Tran's earlier film, also directed with a cast of unknowns, was a comedy.",
            "X",
            set(),
            set(),
            None,
        ),
        ("It is often compared with Johnnie To's Election.", "X", set(), set(), None),
        (
            "Salt and Iron is a Portuguese war drama about a British airman.",
            "Salt and Iron",
            {"PT"},
            {"War", "Drama"},
            None,
        ),
        ("The China Syndrome is a tense film.", "The China Syndrome", set(), set(), None),
        ("If it's an action movie, it lacks explosions.", "X", set(), set(), None),
        ("This movie is not a horror film.", "X", set(), set(), None),
        ("In Ron Howard's film, the city burns.", "X", set(), set(), None),
    ],
)
def test_statements_about_the_reviewed_film(text, title, countries, genres, director):
    said = stated(text, title)
    assert set(said.countries) == countries
    assert set(said.genres) == genres
    assert said.director == director


def test_an_information_line_gives_year_runtime_and_genres_and_skips_the_certificate():
    facts = read_line("2021 | PG-13 | 1h 44m | War, Drama")
    assert facts is not None
    assert (facts.year, facts.runtime, facts.genres) == (2021, 104, ("War", "Drama"))
    assert read_line("Home | Reviews | Streaming | Festivals") is None


def test_labels_run_together_on_one_line_are_each_read():
    from index.reading.clean import clean_page

    page = clean_page(
        "Copper Sky\nWritten by: Karim Soliman Directed by: Karim Soliman Starring: Mona Adel, "
        "Samir Fawzi\nA copper miner's widow goes back to the pit to keep her son in school, "
        "and the film never looks away from what that costs her."
    )
    assert page.facts["director"] == "Karim Soliman"
    assert page.facts["cast"] == ("Mona Adel", "Samir Fawzi")


def test_a_possessive_before_the_title_names_its_director():
    said = stated("Camila Rojas's The Long Night is a sprawling thriller.", "The Long Night")
    assert said.director == "Camila Rojas" and said.genres == ("Thriller",)
    said = stated("Camila Rojas’s bold, noisy The Long Night opens at sea.", "The Long Night")
    assert said.director == "Camila Rojas"


def test_a_language_drama_gives_the_language_not_the_country():
    said = stated("A Norwegian language drama set in Bergen, it follows three stallholders.", "X")
    assert said.languages == ("no",) and said.countries == () and said.genres == ("Drama",)


def test_user_review_records_do_not_use_page_statements(write):
    """On user reviews (records) statements are too loose (EVAL.md): only the old, narrow cues."""
    record = {
        "title": "Frost Market",
        "text": "Frost Market is a Norwegian Film Directed By Ingrid Solberg.",
    }
    (review,) = read_file(write("r.jsonl", json.dumps(record)), IngestSettings()).reviews
    assert review.countries == () and review.director is None and review.stated == ()


def test_a_stated_director_stands_on_one_review_a_loose_cue_needs_two():
    from index.types import Review

    def review(n: int, **facts) -> Review:
        return Review(review_id=f"r{n}", title="Frost Market", text="Words.", **facts)

    stated_once = merge_film("f", [review(1, director="Ingrid Solberg", stated=("director",))])
    assert stated_once.director == "Ingrid Solberg"
    assert dict(stated_once.sources)["director"] == "stated"
    assert merge_film("f", [review(1, director="Ingrid Solberg")]).director is None
    agreed = merge_film(
        "f", [review(1, director="Ingrid Solberg"), review(2, director="Ingrid Solberg")]
    )
    assert agreed.director == "Ingrid Solberg"


def test_shapes_met_on_real_pages():
    """Each in our own words: a quoted title with a long standfirst; sharing buttons under it
    (no byline); an information line before the prose; a rating with a one-line verdict."""
    from index.reading.clean import clean_page

    page = clean_page(
        "We use vendors that may process your information; see our Privacy Policy.\n"
        "‘Paper Kites’ Review: A Retired Teacher Takes On His Neighbour and Finds That Kites Are "
        "Harder to Fly Than Grudges Are to Keep\n"
        "Print This Page\nShare on Facebook\n"
        "2019 | PG | 1h 41m | Comedy\n"
        "Paper Kites is warm and slight, and its final contest on a windy hill is pure joy.\n"
        "(7/10) Worth an afternoon\n"
    )
    assert (page.title, page.reviewer) == ("Paper Kites", None)
    assert page.facts["genres"] == ("Comedy",) and page.facts["runtime"] == 101
    assert page.body.startswith("Paper Kites is warm") and "1h 41m" not in page.body
    assert page.rating == 7.0

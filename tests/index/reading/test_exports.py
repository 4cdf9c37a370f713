"""Export files people already have, recognised by their headers, read on their own scale;
and bare numbers whose scale nobody gave are read with a warning, never guessed silently."""

from config import IngestSettings
from index.reading.readers import read_file

LETTERBOXD_REVIEWS = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
LETTERBOXD_DIARY = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
LETTERBOXD_RATINGS = "Date,Name,Year,Letterboxd URI,Rating\n"
IMDB_RATINGS = (
    "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),"
    "Year,Genres,Num Votes,Release Date,Directors\n"
)


def read(path, **options):
    return read_file(path, IngestSettings(), **options)


def test_letterboxd_reviews_are_out_of_five_stars_and_keep_their_uri(write):
    path = write(
        "reviews.csv",
        LETTERBOXD_REVIEWS
        + '2024-03-02,Parasite,2019,https://boxd.it/aaa1,5,,"A family of grifters moves in, floor by floor.",,2024-03-01\n'
        + '2024-03-09,Heat,1995,https://boxd.it/aaa2,4.5,Yes,"Two professionals, one long night in LA.",crime,2024-03-08\n'
        + '2024-03-10,Cats,2019,https://boxd.it/aaa3,0.5,,"Fur everywhere and no reason.",,2024-03-10\n',
    )
    result = read(path)
    assert [r.rating for r in result.reviews] == [10.0, 9.0, 1.0]
    assert result.reviews[0].url == "https://boxd.it/aaa1" and not result.warnings
    assert result.notes == ["Letterboxd export: ratings out of 5"]
    assert result.reviews[1].extra["Tags"] == "crime"


def test_letterboxd_diary_and_ratings_are_ratings_without_words(write):
    diary = write(
        "diary.csv",
        LETTERBOXD_DIARY + "2024-01-05,Oldboy,2003,https://boxd.it/bbb1,4,,,2024-01-04\n",
    )
    ratings = write(
        "ratings.csv", LETTERBOXD_RATINGS + "2024-01-06,Amélie,2001,https://boxd.it/ccc1,3.5\n"
    )
    (oldboy,) = read(diary).reviews
    (amelie,) = read(ratings).reviews
    assert (oldboy.rating, oldboy.text, oldboy.year) == (8.0, "", 2003)
    assert (amelie.rating, amelie.title) == (7.0, "Amélie")


def test_imdb_ratings_export_is_out_of_ten_and_its_facts_are_given(write):
    path = write(
        "ratings.csv",
        IMDB_RATINGS
        + 'tt0113277,9,2023-05-01,Heat,https://www.imdb.com/title/tt0113277/,Movie,8.3,170,1995,"Action, Crime, Drama",700000,1995-12-15,Michael Mann\n',
    )
    result = read(path)
    (heat,) = result.reviews
    assert heat.rating == 9.0 and heat.imdb_id == "tt0113277" and heat.runtime == 170
    assert heat.genres == ("Action", "Crime", "Drama") and heat.director == "Michael Mann"
    assert {"genres", "director", "runtime"} <= set(heat.given)
    assert result.notes == ["IMDb ratings export: ratings out of 10"]


def test_bare_ratings_of_five_or_less_are_read_out_of_ten_with_a_warning(write):
    path = write(
        "club.csv", "title,year,rating,text\nHeat,1995,4.5,Great heist.\nAlien,1979,3,Tense.\n"
    )
    result = read(path)
    assert [r.rating for r in result.reviews] == [4.5, 3.0]
    (warning,) = result.warnings
    assert "read as out of 10" in warning.reason and "--rating-scale 5" in warning.reason


def test_a_rating_scale_given_for_the_file_or_the_record_wins(write):
    path = write("club.csv", "title,year,rating,text\nHeat,1995,4.5,Great heist.\n")
    assert (
        read(path, rating_scale=5).reviews[0].rating == 9.0
        and not read(path, rating_scale=5).warnings
    )
    own = write("own.csv", "title,rating,rating_scale,text\nHeat,80,100,Great heist.\n")
    assert read(own).reviews[0].rating == 8.0


def test_bare_ratings_above_five_need_no_warning(write):
    path = write("club.csv", "title,rating,text\nHeat,8,Great heist.\nAlien,4,Tense.\n")
    assert not read(path).warnings


def test_a_record_with_neither_words_nor_a_rating_is_rejected(write):
    path = write("club.csv", "title,rating,text\nHeat,,\n")
    (problem,) = read(path).rejected
    assert problem.reason == "no review text (expected a 'text' field) and no rating"

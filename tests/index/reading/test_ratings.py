import pytest

from index.reading.ratings import RatingError, normalize_rating


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8 / 10", 8.0),
        ("8/10", 8.0),
        ("7.5/10", 7.5),
        ("4/5", 8.0),
        ("4 out of 5", 8.0),
        ("9 out of 10", 9.0),
        ("3.5 stars", 7.0),
        ("3½ stars", 7.0),
        ("4 stars", 8.0),
        ("★★★½", 7.0),
        ("★★★☆☆", 6.0),
        ("★★★★★", 10.0),
        ("B+", 8.3),
        ("A", 10.0),
        ("c-", 4.2),
        ("F", 0.0),
        ("85%", 8.5),
        ("3/4", 7.5),
        ("7", 7.0),
        (9, 9.0),
        (7.5, 7.5),
        (85, 8.5),
        ("8,5/10", 8.5),
    ],
)
def test_rating_scales_normalise_to_ten(raw, expected):
    assert normalize_rating(raw) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("11/10", "outside its scale"),
        ("-3 stars", "negative"),
        ("great", "not on a scale"),
        ("", "empty"),
        ("6 stars", "outside its scale"),
        (150, "outside"),
        (True, "not a number"),
        ("5/0", "zero scale"),
    ],
)
def test_impossible_ratings_say_why(raw, reason):
    with pytest.raises(RatingError, match=reason):
        normalize_rating(raw)

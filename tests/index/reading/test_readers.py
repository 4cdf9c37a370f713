"""Every input format, and every way a record or file can be refused (with where and why)."""

import json

import pytest

from config import IngestSettings
from index.reading.readers import find_files, read_file

LIMITS = IngestSettings()
TEXT = "A quiet pawnshop owner goes after the gang that took the girl next door. The last fight is brutal."


def read(path, limits=LIMITS):
    return read_file(path, limits)


def test_jsonl_record_uses_given_fields(write):
    record = {
        "id": "m1",
        "title": "The Man from Nowhere",
        "year": 2010,
        "text": TEXT,
        "rating": "9/10",
        "reviewer": "Ana",
        "date": "2011-02-14",
        "countries": ["South Korea"],
        "genres": ["Action", "Thriller"],
        "director": "Lee Jeong-beom",
        "cast": ["Won Bin"],
        "platform": "Netflix",
        "url": "https://example.org/r/1",
    }
    result = read(write("r.jsonl", json.dumps(record) + "\n"))
    (review,) = result.reviews
    assert review.review_id == "m1"
    assert (review.title, review.year, review.rating, review.reviewer) == (
        "The Man from Nowhere",
        2010,
        9.0,
        "Ana",
    )
    assert review.countries == ("KR",) and review.genres == ("Action", "Thriller")
    assert review.cast == ("Won Bin",) and review.platform == "Netflix"
    assert review.url == "https://example.org/r/1"
    assert str(review.date) == "2011-02-14"


def test_given_fields_win_over_inferred_ones(write):
    text = "This Japanese western is directed by Someone Else and streaming on Hulu."
    record = {"title": "X", "text": text, "countries": "France", "director": "Agnès Varda"}
    (review,) = read(write("r.jsonl", json.dumps(record))).reviews
    assert review.countries == ("FR",)
    assert review.director == "Agnès Varda"
    assert review.genres == ("Western",)  # not given: inferred
    assert review.platform == "Hulu"
    assert set(review.given) == {"countries", "director"}


def test_unknown_columns_are_kept_as_extra_metadata_and_the_imdb_id_is_read(write):
    path = write("r.csv", f'title,text,imdb_id,mood\nHeat,"{TEXT}",tt0113277,tense\n')
    (review,) = read(path).reviews
    assert review.extra == {"mood": "tense"} and review.imdb_id == "tt0113277"


def test_csv_lists_and_movielens_genres_map_to_our_vocabulary(write):
    path = write(
        "r.csv",
        f'title,year,genres,countries,rating,text\nStalker,1979,Sci-Fi|Children|IMAX|Film-Noir,Soviet Union|West Germany,4/5,"{TEXT}"\n',
    )
    (review,) = read(path).reviews
    assert review.genres == ("Sci-Fi", "Family", "Film-Noir")
    assert review.countries == ("SU", "DE")
    assert review.rating == 8.0


def test_json_accepts_a_list_an_object_or_a_reviews_key(write):
    one = {"title": "Heat", "text": TEXT}
    for i, payload in enumerate(([one, one | {"title": "Ronin"}], {"reviews": [one]}, one)):
        result = read(write(f"r{i}.json", json.dumps(payload)))
        assert not result.rejected and result.reviews[0].title == "Heat"


def test_html_page_with_meta_tags_and_json_ld(write):
    html = """<html><head><title>Site</title>
    <script type="application/ld+json">{"@type": "Review", "itemReviewed": {"name": "Heat", "dateCreated": "1995"},
      "author": {"name": "Kim"}, "datePublished": "2020-01-02", "reviewRating": {"ratingValue": 4, "bestRating": 5}}</script>
    <script>alert('x')</script></head><body><nav>Home Subscribe</nav><article>
    <p>A meticulous Los Angeles crew robs banks while an obsessive detective closes in on them.</p>
    <p>The downtown shootout is a landmark of sound design and staging that still astonishes.</p>
    </article><footer>© 2020 Site</footer></body></html>"""
    (review,) = read(write("heat.html", html)).reviews
    assert (review.title, review.year, review.reviewer, review.rating) == ("Heat", 1995, "Kim", 8.0)
    assert str(review.date) == "2020-01-02"
    assert "alert" not in review.text and "Subscribe" not in review.text and "©" not in review.text
    assert review.text.count("shootout") == 1


def test_sample_html_reads_title_rating_and_byline():
    from index.engine import SAMPLE_CORPUS

    (review,) = read(SAMPLE_CORPUS / "html" / "spirited-away-2001.html").reviews
    assert (review.title, review.year, review.reviewer, review.rating) == (
        "Spirited Away",
        2001,
        "Keiko Brandt",
        10.0,
    )
    assert "Japanese" in review.text  # the prose says it; the catalogue, not the prose, decides


def test_bad_records_are_rejected_with_location_and_reason_and_the_rest_kept(write):
    lines = [
        json.dumps({"title": "Good One", "text": TEXT}),
        json.dumps({"title": "No Text", "text": "   "}),
        json.dumps({"text": "A review that never names its film at all, anywhere, not even once."}),
        "{not json",
        json.dumps({"title": "Too Good", "text": TEXT, "rating": "11/10"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"title": "Good Two", "text": TEXT}),
    ]
    path = write("mixed.jsonl", "\n".join(lines))
    result = read(path)
    assert [r.title for r in result.reviews] == ["Good One", "Good Two"]
    reasons = {p.location: p.reason for p in result.rejected}
    assert all(p.source == str(path) for p in result.rejected)
    assert "no review text" in reasons["line 2"]
    assert "no film title" in reasons["line 3"]
    assert "not valid JSON" in reasons["line 4"]
    assert "outside its scale" in reasons["line 5"]
    assert "expected an object" in reasons["line 6"]


def test_csv_row_with_extra_cells_is_rejected_by_row_and_line(write):
    path = write("r.csv", f'title,text\nHeat,"{TEXT}"\nRonin,"{TEXT}",surplus\n')
    result = read(path)
    assert [r.title for r in result.reviews] == ["Heat"]
    (problem,) = result.rejected
    assert problem.location == "row 2 (line 3)" and "3 cells but 2 columns" in problem.reason


def test_renamed_countries_still_resolve(write):
    path = write(
        "r.csv",
        f'title,countries,text\nWinter Sleep,Turkey,"{TEXT}"\nX,Czech Republic|Burma,"{TEXT}"\n',
    )
    assert [r.countries for r in read(path).reviews] == [("TR",), ("CZ", "MM")]


def test_unparseable_values_become_warnings_not_losses(write):
    record = {
        "title": "Heat",
        "text": TEXT,
        "year": "nineteen",
        "countries": "Atlantis|France",
        "genres": "Drama|Vibes",
    }
    result = read(write("r.jsonl", json.dumps(record)))
    (review,) = result.reviews
    assert review.year is None and review.countries == ("FR",) and review.genres == ("Drama",)
    assert review.extra["unrecognised_countries"] == ["Atlantis"]
    warnings = " ".join(w.reason for w in result.warnings)
    assert "nineteen" in warnings and "Atlantis" in warnings and "Vibes" in warnings


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.jsonl", b"", "file is empty"),
        ("blank.txt", b"   \n\n  ", "file is empty"),
        ("latin1.txt", "Caf\xe9 (2001)\nUn film tr\xe8s bien.".encode("latin-1"), "not UTF-8"),
        ("nul.csv", b"title,text\x00\n", "NUL bytes"),
        ("broken.json", b'{"title": "x",', "not valid JSON"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("noheader.csv", b"\n\n", "file is empty"),
    ],
)
def test_unusable_files_get_one_clear_error(write, name, content, reason):
    path = write(name, content)
    result = read(path)
    assert not result.reviews
    (problem,) = result.rejected
    assert problem.source == str(path) and reason in problem.reason


def test_utf16_with_bom_is_decoded(write):
    content = json.dumps({"title": "Amélie", "text": TEXT}).encode("utf-16")
    (review,) = read(write("r.json", content)).reviews
    assert review.title == "Amélie"


def test_files_over_the_size_limit_are_refused_before_reading(write):
    path = write("big.txt", "Heat (1995)\n" + "word " * 300_000)
    result = read(path, IngestSettings(max_document_mb=1))
    assert "above the 1 MB limit" in result.rejected[0].reason


def test_overlong_text_is_cut_with_a_warning(write):
    result = read(
        write("r.jsonl", json.dumps({"title": "Long", "text": "word " * 5000})),
        IngestSettings(max_text_chars=1000),
    )
    assert len(result.reviews[0].text) == 1000
    assert "cut from" in result.warnings[0].reason


def test_folders_are_walked_and_missing_paths_reported(tmp_path, write):
    write("a.jsonl", "{}")
    write("sub/b.csv", "title,text\n")
    write(".hidden/c.json", "{}")
    files, missing = find_files([tmp_path / "in", tmp_path / "nope"])
    assert [f.name for f in files] == ["a.jsonl", "b.csv"]
    assert missing[0].reason == "no such file or folder"


def test_review_without_id_gets_a_stable_key_from_title_year_and_reviewer(write):
    record = {"title": "Heat", "year": 1995, "reviewer": "Kim", "text": TEXT}
    first = read(write("a.jsonl", json.dumps(record))).reviews[0]
    again = read(write("b.jsonl", json.dumps(record | {"text": TEXT + " Edited."}))).reviews[0]
    other = read(write("c.jsonl", json.dumps(record | {"reviewer": "Lee"}))).reviews[0]
    assert first.review_id == again.review_id != other.review_id


def test_jsonl_text_may_contain_unicode_line_separators(write):
    text = "First part\x85second part\u2028third part of a review."
    lines = [
        json.dumps({"title": "Heat", "text": text}, ensure_ascii=False),
        json.dumps({"title": "Ronin", "text": TEXT}),
    ]
    result = read(write("r.jsonl", "\r\n".join(lines)))
    assert not result.rejected
    assert [r.title for r in result.reviews] == ["Heat", "Ronin"]

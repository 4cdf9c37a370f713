"""`cinebot recommend`, `cinebot movienight` and `cinebot library ratings`: what /recommend,
/movienight and /taste import do, from the terminal, on the same engine."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from bot.terminal.cli import app

runner = CliRunner()
SERVER, OTHER = "710", "810"
RATINGS = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-06,Oldboy,2003,https://boxd.it/c1,5\n"
    "2024-01-07,Memories of Murder,2003,https://boxd.it/c2,4.5\n"
    "2024-01-08,Heat,1995,https://boxd.it/c3,4\n"
    "2024-01-09,Paddington 2,2017,https://boxd.it/c4,1\n"
)


@pytest.fixture
def index_args(sample_engine, tmp_path):
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "index")
    return ["--index", str(tmp_path / "index")]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_recommend_json_is_search_json_with_a_why_per_film(index_args, tmp_path):
    export = tmp_path / "ratings.csv"
    export.write_text(RATINGS, encoding="utf-8")
    brought = json.loads(
        run("library", "ratings", SERVER, str(export), "--user", "42", "--json", *index_args)
    )
    assert brought["ratings"] == 4 and brought["added"] == 4
    data = json.loads(
        run("recommend", "--user", "42", "--server", SERVER, "--json", "--limit", "3", *index_args)
    )
    search = json.loads(run("search", "Korean thrillers", "--json", *index_args))
    assert set(search) <= set(data) and data["taste"]["personal"] is True
    assert len(data["results"]) == 3
    for film in data["results"]:
        assert set(film) == set(search["results"][0]) | {"why"}
        assert film["title"] not in {"Oldboy", "Memories of Murder", "Heat", "Paddington 2"}
    assert data["results"][0]["why"].startswith("because you liked ")
    korean = json.loads(
        run(
            "recommend",
            "something Korean",
            "--user",
            "42",
            "--server",
            SERVER,
            "--json",
            *index_args,
        )
    )
    assert korean["filters"]["countries"] == ["KR"]
    assert all(film["countries"] == ["KR"] for film in korean["results"])
    # The same member in another server has no taste there yet.
    text = run("recommend", "--user", "42", "--server", OTHER, *index_args)
    assert "Taste needs 3 rated reviews of yours in this server; you have none yet" in text
    assert "well liked here" in text


def test_movienight_from_the_terminal_names_the_neutral(index_args, tmp_path):
    export = tmp_path / "ratings.csv"
    export.write_text(RATINGS, encoding="utf-8")
    run("library", "ratings", SERVER, str(export), "--user", "43", *index_args)
    data = json.loads(
        run("movienight", "--user", "43", "--user", "44", "--server", SERVER, "--json", *index_args)
    )
    assert [m["neutral"] for m in data["members"]] == [False, True]
    assert len(data["results"]) == 5 and all(r["why"] for r in data["results"])
    alone = runner.invoke(app, ["movienight", "--user", "43", "--server", SERVER, *index_args])
    assert alone.exit_code == 2 and "two members or more" in alone.output

"""The `cinebot` command line, in process (the model stays loaded between invocations)."""

import json

import pytest
from typer.testing import CliRunner

from bot.terminal.cli import app
from tests.conftest import live_store_records

runner = CliRunner()


@pytest.fixture
def index_args(sample_engine):
    return ["--index", str(sample_engine.settings.index_dir)]


def test_search_json_contract_for_the_headline_question(index_args):
    result = runner.invoke(
        app, ["search", "Korean action thrillers rated 8+", "--json", *index_args]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["filters"]["countries"] == ["KR"]
    assert data["filters"]["genres_all"] == ["Action", "Thriller"]
    assert data["filters"]["rating_min"] == 8.0
    assert data["results"], "expected films"
    for film in data["results"]:
        assert film["countries"] == ["KR"] and {"Action", "Thriller"} <= set(film["genres"])
        assert (
            film["rating"] >= 8
            and film["reviews"][0]["snippet"]
            and film["reviews"][0]["rating"] >= 8
        )
    scores = [f["score"] for f in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_text_output_shows_how_the_question_was_understood(index_args):
    result = runner.invoke(app, ["search", "Korean action thrillers rated 8+", *index_args])
    assert "Filters: South Korea · Action + Thriller · rating ≥ 8" in result.stdout
    assert "1. Oldboy (2003)" in result.stdout


def test_similar_film_and_stats_commands(index_args):
    similar = runner.invoke(app, ["similar", "dawn of the dead", "--json", *index_args])
    assert json.loads(similar.stdout)["similar_to"] == "dawn-of-the-dead-1978"
    film = runner.invoke(app, ["film", "Train to Busan", "--json", *index_args])
    assert json.loads(film.stdout)["director"] == "Yeon Sang-ho"
    stats = json.loads(runner.invoke(app, ["stats", "--json", *index_args]).stdout)
    assert stats["reviews"] >= 80
    missing = runner.invoke(app, ["film", "Zzyzx Road", *index_args])
    assert missing.exit_code == 1 and "No film called 'Zzyzx Road'" in missing.output


def test_ingest_lists_each_rejected_record_with_file_line_and_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.jsonl").write_text(
        json.dumps({"title": "Heat", "text": "Robbers and a detective in LA."})
        + "\n"
        + json.dumps({"title": "Ronin", "text": ""})
        + "\n"
    )
    (folder / "bad.csv").write_text("title,text\nX,y,z\n")
    args = ["ingest", str(folder), "--index", str(tmp_path / "index")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"{folder / 'ok.jsonl'}:line 2: no review text" in result.stdout
    assert f"{folder / 'bad.csv'}:row 1 (line 2): 3 cells but 2 columns" in result.stdout
    again = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert (again["added"], again["unchanged"], again["passages_embedded"]) == (0, 1, 0)


def test_ingest_of_only_bad_input_fails_and_builds_nothing(tmp_path):
    (tmp_path / "empty.json").write_text("")
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "empty.json"), "--index", str(tmp_path / "index"), "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rejected"][0]["reason"] == "file is empty"


def test_search_without_an_index_says_how_to_build_one(tmp_path):
    result = runner.invoke(app, ["search", "anything", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "run `cinebot ingest PATH` first" in result.output


def test_scripted_chat_answers_each_line_and_follow_ups(index_args):
    lines = (
        "Korean action thrillers rated 8+\nnot horror\nonly after 2015\nmore\nlike the first one\n"
    )
    result = runner.invoke(app, ["chat", *index_args], input=lines)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("you> ") == 5
    assert (
        "Filters: South Korea · Action + Thriller · not Horror · rating ≥ 8 · 2016 or later" in out
    )
    assert "Films like Ballerina (2023):" in out


def test_run_builds_the_index_from_configured_reviews_then_chats(tmp_path, monkeypatch):
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    (reviews / "r.jsonl").write_text(
        json.dumps({"title": "Heat", "year": 1995, "text": "Robbers and a detective."})
    )
    monkeypatch.setenv("CINEBOT_REVIEW_PATHS", json.dumps([str(reviews)]))
    result = runner.invoke(
        app, ["run", "--index", str(tmp_path / "index")], input="robbers\nquit\n"
    )
    assert result.exit_code == 0, result.output
    assert "Building the index" in result.output and "1. Heat (1995)" in result.stdout


def test_run_on_a_fresh_index_imports_the_sample_catalogue_first(tmp_path, monkeypatch):
    monkeypatch.delenv("CINEBOT_REVIEW_PATHS", raising=False)
    result = runner.invoke(
        app, ["run", "--index", str(tmp_path / "index")], input="Cantonese-language films\nquit\n"
    )
    assert result.exit_code == 0, result.output
    assert "Importing the film catalogue" in result.output
    assert "Reviews matched to catalogue films: 102" in result.output
    assert (
        "Filters: Cantonese language" in result.stdout
        and "In the Mood for Love (2000)" in result.stdout
    )


def test_catalogue_command_reports_each_source_and_fails_when_nothing_was_kept(tmp_path):
    good = tmp_path / "films.csv"
    good.write_text("title,year,countries,runtime_minutes\nHeat,1995,US,170\n")
    bad = tmp_path / "films.xml"
    bad.write_text("<films/>")
    args = ["--index", str(tmp_path / "index"), "--json"]
    done = runner.invoke(app, ["catalogue", str(good), str(bad), *args])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["sources"][str(good)]["kept"] == 1 and data["films"] == 1
    assert "unsupported catalogue file" in data["sources"][str(bad)]["problems"][0]["reason"]
    assert data["tmdb_off"].startswith("TMDB is off")
    failed = runner.invoke(app, ["catalogue", str(bad), *args])
    assert failed.exit_code == 1


def test_ingest_reads_bare_ratings_on_the_scale_given(tmp_path):
    path = tmp_path / "club.csv"
    path.write_text("title,year,rating,text\nHeat,1995,4.5,A long night of robberies.\n")
    result = runner.invoke(
        app, ["ingest", str(path), "--index", str(tmp_path / "i"), "--rating-scale", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert not json.loads(result.stdout)["warnings"]
    film = runner.invoke(app, ["film", "Heat", "--index", str(tmp_path / "i"), "--json"])
    assert json.loads(film.stdout)["reviews"][0]["rating"] == 9.0


def test_run_starts_the_bot_when_a_token_is_set(index_args, monkeypatch):
    started = {}
    monkeypatch.setenv("DISCORD_TOKEN", "a-token-for-this-test")
    monkeypatch.setattr(
        "bot.discord.app.run_bot",
        lambda settings, **kw: started.update(token=settings.discord_token),
    )
    result = runner.invoke(app, ["run", *index_args], input="")
    assert result.exit_code == 0, result.output
    assert started["token"].get_secret_value() == "a-token-for-this-test"
    assert "a-token-for-this-test" not in result.output


def test_bot_without_a_token_says_which_setting_is_missing(index_args, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    result = runner.invoke(app, ["bot", *index_args])
    assert result.exit_code == 2 and "DISCORD_TOKEN is not set" in result.output


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("CINEBOT_SEARCH__PAGE_SIZE", "lots", "search.page_size"),
        ("CINEBOT_DISCORD__SHARDS", "-2", "discord.shards"),
        ("CINEBOT_STORE", "elastic", "store"),
        ("CINEBOT_OBSERVABILITY__LOG_FORMAT", "xml", "observability.log_format"),
    ],
)
def test_a_bad_setting_stops_the_bot_with_one_line_naming_it(
    index_args, monkeypatch, variable, value, named
):
    monkeypatch.setenv("DISCORD_TOKEN", "a-token-for-this-test")
    monkeypatch.setenv(variable, value)
    result = runner.invoke(app, ["bot", *index_args])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"invalid setting: {named}" in lines[0], result.output
    assert "Traceback" not in result.output and "a-token-for-this-test" not in result.output


def test_the_engine_and_cli_never_import_discord():
    import subprocess
    import sys

    code = "import sys, index, bot.terminal.cli, index.engine; sys.exit('discord' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


README_QUESTIONS = [
    "Korean action thrillers rated 8+",
    "French comedies from the 90s",
    "films by Bong Joon-ho",
    "zombies on a train, not horror",
]


def test_qdrants_engine_from_the_environment_answers_the_readme_questions_like_faiss(
    index_args, tmp_path, monkeypatch
):
    """CINEBOT_STORE=qdrant CINEBOT_QDRANT__PATH=dir: `cinebot catalogue` and `cinebot ingest`
    build the sample on Qdrant's embedded engine, and the answers name the same films."""

    def answers(args: list[str]) -> dict[str, list[str]]:
        found = {}
        for question in README_QUESTIONS:
            result = runner.invoke(app, ["search", question, "--json", *args])
            assert result.exit_code == 0, result.output
            found[question] = [f["film_id"] for f in json.loads(result.stdout)["results"]]
        return found

    on_faiss = answers(index_args)
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    monkeypatch.setenv("CINEBOT_QDRANT__PATH", str(tmp_path / "qdrant"))
    monkeypatch.setenv("CINEBOT_QDRANT__SHARD_MIN_PASSAGES", "1")  # the sample is small
    ours = ["--index", str(tmp_path / "index")]
    assert runner.invoke(app, ["catalogue", "--no-tmdb", *ours]).exit_code == 0
    built = runner.invoke(app, ["ingest", "--json", *ours])
    assert built.exit_code == 0, built.output
    (record,) = live_store_records(tmp_path / "index")
    assert (tmp_path / "qdrant" / record["qdrant_shard"] / "segments").is_dir()
    on_qdrant = answers(ours)
    assert all(on_qdrant.values()) and on_qdrant == on_faiss

"""`cinebot library ...` and `--server`: what the Discord commands do to a server's library,
from the terminal, on the same engine."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from bot.terminal.cli import app

runner = CliRunner()
SERVER, OTHER = "700", "800"


@pytest.fixture
def index_args(sample_engine, tmp_path):
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "index")
    return ["--index", str(tmp_path / "index")]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_members_review_posted_from_the_terminal_is_seen_only_in_its_server(index_args):
    saved = json.loads(
        run(
            "library",
            "post",
            SERVER,
            "Train to Busan",
            "--text",
            "Ferry lanterns drift past the quarantine line at dawn.",
            "--rating",
            "4/5",
            "--user",
            "42",
            "--name",
            "Kit",
            "--json",
            *index_args,
        )
    )
    assert saved["review_id"].startswith(f"guild:{SERVER}/") and saved["added"] == 1
    question = ["search", "ferry lanterns drifting past a quarantine line", "--json", *index_args]
    mine = json.loads(run(*question, "--server", SERVER))
    assert any(r["reviewer"] == "Kit" for f in mine["results"] for r in f["reviews"])
    for elsewhere in (json.loads(run(*question, "--server", OTHER)), json.loads(run(*question))):
        assert all(r["reviewer"] != "Kit" for f in elsewhere["results"] for r in f["reviews"])
    listed = json.loads(run("library", "list", "--json", *index_args))
    assert listed["libraries"][f"guild:{SERVER}"] == {"reviews": 1, "films": 1}


def test_export_then_ingest_into_another_server_and_purge_the_first(index_args, tmp_path):
    run(
        "library",
        "post",
        SERVER,
        "Heat (1995)",
        "--text",
        "The diner scene.",
        "--user",
        "7",
        *index_args,
    )
    out = tmp_path / "export.jsonl"
    run("library", "export", SERVER, "--out", str(out), *index_args)
    assert json.loads(out.read_text())["title"] == "Heat"
    report = json.loads(run("ingest", str(out), "--server", OTHER, "--json", *index_args))
    assert report["added"] == 1
    assert "1 review(s)" in run("library", "purge", SERVER, *index_args)
    listed = json.loads(run("library", "list", "--json", *index_args))["libraries"]
    assert f"guild:{SERVER}" not in listed and listed[f"guild:{OTHER}"]["reviews"] == 1


def test_purge_user_removes_their_reviews_in_every_server(index_args):
    for server in (SERVER, OTHER):
        run(
            "library",
            "post",
            server,
            "Oldboy",
            "--text",
            f"Corridor, {server}.",
            "--user",
            "9",
            *index_args,
        )
    run("library", "post", OTHER, "Oldboy", "--text", "Someone else.", "--user", "10", *index_args)
    assert "deleted 2 review(s) by user 9" in run("library", "purge-user", "9", *index_args)
    listed = json.loads(run("library", "list", "--json", *index_args))["libraries"]
    assert f"guild:{SERVER}" not in listed and listed[f"guild:{OTHER}"]["reviews"] == 1


def test_a_review_that_cannot_be_saved_fails_with_the_reason(index_args):
    result = runner.invoke(
        app,
        ["library", "post", SERVER, "Heat", "--text", "Fine.", "--rating", "12/10", *index_args],
    )
    assert (
        result.exit_code == 1 and "not saved: rating '12/10' is outside its scale" in result.output
    )

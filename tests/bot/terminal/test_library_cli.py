"""`cinebot library ...` and `--server`: what the Discord commands do to a server's library,
from the terminal, on the same engine."""

import gc
import json
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.terminal.cli import app
from config import load_settings
from index import Engine
from index.storage.merges import MERGE_FACTOR

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


def test_a_post_from_the_terminal_returns_only_once_the_merge_it_started_is_done(index_args):
    settings = load_settings(index_dir=Path(index_args[1]))
    engine = Engine(settings)
    engine.merges.background = False  # these commits leave their segments unmerged
    for n in range(MERGE_FACTOR):
        engine.libraries.post(f"guild:{SERVER}", n, f"m{n}", "Train to Busan", "8", f"Take {n}.")
    assert len(engine.snapshot().combined.parts) > MERGE_FACTOR
    run(
        "library",
        "post",
        SERVER,
        "Train to Busan",
        "--rating",
        "9",
        "--user",
        "99",
        "--name",
        "Lee",
        *index_args,
    )
    assert not [t for t in threading.enumerate() if t.name == "cinebot-merge" and t.is_alive()]
    engine.refresh()
    assert len(engine.snapshot().combined.parts) <= MERGE_FACTOR


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
        "--name",
        "Sev",
        *index_args,
    )
    out = tmp_path / "export.jsonl"
    run("library", "export", SERVER, "--out", str(out), *index_args)
    record = json.loads(out.read_text())
    assert (record["title"], record["user_id"], record["library"]) == (
        "Heat",
        "7",
        f"guild:{SERVER}",
    )
    refused = runner.invoke(app, ["ingest", str(out), "--server", OTHER, "--json", *index_args])
    report = json.loads(refused.stdout)
    assert refused.exit_code == 1 and report["added"] == 0
    assert "--keep-owners" in report["rejected"][0]["reason"]
    kept = json.loads(
        run("ingest", str(out), "--server", OTHER, "--keep-owners", "--json", *index_args)
    )
    assert kept["added"] == 1
    assert "1 review(s)" in run("library", "purge", SERVER, *index_args)
    listed = json.loads(run("library", "list", "--json", *index_args))["libraries"]
    assert f"guild:{SERVER}" not in listed and listed[f"guild:{OTHER}"]["reviews"] == 1


def test_a_server_restoring_its_own_export_keeps_the_owners(index_args, tmp_path):
    run(
        "library",
        "post",
        SERVER,
        "Oldboy",
        "--text",
        "Hallway.",
        "--user",
        "5",
        "--name",
        "Fi",
        *index_args,
    )
    out = tmp_path / "export.jsonl"
    run("library", "export", SERVER, "--out", str(out), *index_args)
    run("library", "purge", SERVER, *index_args)
    assert json.loads(run("ingest", str(out), "--server", SERVER, "--json", *index_args))["added"]
    again = tmp_path / "again.jsonl"
    run("library", "export", SERVER, "--out", str(again), *index_args)
    assert json.loads(again.read_text())["user_id"] == "5"


def test_operator_posts_name_the_member_they_act_for(index_args):
    for missing in (["--name", "Kit"], ["--user", "42"]):
        result = runner.invoke(
            app, ["library", "post", SERVER, "Heat", "--text", "Fine.", *missing, *index_args]
        )
        assert result.exit_code == 2 and "Missing option" in result.output


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
            "--name",
            "Nin",
            *index_args,
        )
    run(
        "library",
        "post",
        OTHER,
        "Oldboy",
        "--text",
        "Someone else.",
        "--user",
        "10",
        "--name",
        "Ten",
        *index_args,
    )
    assert "deleted 2 review(s) by user 9" in run("library", "purge-user", "9", *index_args)
    listed = json.loads(run("library", "list", "--json", *index_args))["libraries"]
    assert f"guild:{SERVER}" not in listed and listed[f"guild:{OTHER}"]["reviews"] == 1


def test_a_review_that_cannot_be_saved_fails_with_the_reason(index_args):
    result = runner.invoke(
        app,
        [
            "library",
            "post",
            SERVER,
            "Heat",
            "--text",
            "Fine.",
            "--rating",
            "12/10",
            "--user",
            "1",
            "--name",
            "One",
            *index_args,
        ],
    )
    assert (
        result.exit_code == 1 and "not saved: rating '12/10' is outside its scale" in result.output
    )


def _files_holding(folder, words: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and words in p.read_bytes()]


def test_purge_user_leaves_their_words_nowhere_after_an_export_round_trip(
    index_args, tmp_path, monkeypatch
):
    uploads = tmp_path / "uploads"
    monkeypatch.setenv("CINEBOT_DISCORD__UPLOAD_DIR", str(uploads))
    words = "Quillon ferries paper lanterns past the tollgate every winter."
    run(
        "library",
        "post",
        SERVER,
        "Heat",
        "--text",
        words,
        "--user",
        "9",
        "--name",
        "Q",
        *index_args,
    )
    uploaded = uploads / OTHER / "from-700.jsonl"
    uploaded.parent.mkdir(parents=True)
    run("library", "export", SERVER, "--out", str(uploaded), *index_args)
    run("ingest", str(uploaded), "--server", OTHER, "--keep-owners", *index_args)
    said = run("library", "purge-user", "9", *index_args)
    assert "deleted 2 review(s) by user 9" in said
    assert f"guild:{SERVER}: 1" in said and f"guild:{OTHER}: 1" in said
    assert "from-700.jsonl: 1 record(s) removed" in said
    gc.collect()  # the engines of the commands run above (each a process of its own, for real)
    run(
        "library",
        "post",
        OTHER,
        "Oldboy",
        "--text",
        "Next.",
        "--user",
        "2",
        "--name",
        "B",
        *index_args,
    )
    for server in (SERVER, OTHER):
        found = json.loads(
            run(
                "search",
                "paper lanterns past the tollgate",
                "--json",
                "--server",
                server,
                *index_args,
            )
        )
        assert words not in json.dumps(found)
    index_dir = Path(index_args[1])
    assert not _files_holding(index_dir, b"tollgate every winter")
    assert not _files_holding(uploads, b"tollgate")


def test_a_film_and_a_person_known_only_to_another_server_are_words_here(index_args, tmp_path):
    upload = tmp_path / "theirs.jsonl"
    record = {
        "id": "z1",
        "title": "The Glass Ferry",
        "year": 2021,
        "rating": 8,
        "director": "Zephyr Quillane",
        "text": "A ferry made of glass crosses a frozen bay every night.",
    }
    upload.write_text(json.dumps(record) + "\n")
    run("ingest", str(upload), "--server", OTHER, *index_args)
    theirs = json.loads(
        run("search", "Zephyr Quillane thrillers", "--json", "--server", OTHER, *index_args)
    )
    assert theirs["filters"]["directors"] == ["Zephyr Quillane"]
    for where in (["--server", SERVER], []):
        here = json.loads(run("search", "Zephyr Quillane thrillers", "--json", *where, *index_args))
        assert here["filters"]["directors"] == [] and here["filters"]["cast"] == []
        assert "Zephyr Quillane" in here["semantic"]
        film = json.loads(run("search", "the glass ferry", "--json", *where, *index_args))
        assert film["title"] is None and "glass ferry" in film["semantic"]

"""Every remedy an error names, run on an index damaged that way: on FAISS and on Qdrant's
engine, each file a reader opens is cut short, garbled or deleted; a search then says so in
one line naming a command; that command is run as a user would (the CLI); and the index
answers afterwards. The remedies named anywhere (in the code's messages and in the README's
"What an error means" table) must all be among the ones run here."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.terminal.cli import app
from config import Settings
from index.engine import SAMPLE_CATALOGUE, Engine
from index.errors import IndexDamaged, IndexMissing
from index.storage.segments import DERIVED_FROM
from tests.conftest import live_segments, live_store_records

ROOT = Path(__file__).resolve().parents[2]
SHARDED = {"shard_min_passages": 1}  # Qdrant's engine gives even these four reviews a shard
runner = CliRunner()
QUESTION = "zombies on a train"
REVIEWS = [
    {
        "id": "busan",
        "title": "Train to Busan",
        "year": 2016,
        "rating": "9/10",
        "text": "A father and his daughter board a fast train as an outbreak turns passengers "
        "into zombies, and every carriage becomes a barricade.",
    },
    {
        "id": "heat",
        "title": "Heat",
        "year": 1995,
        "rating": "8/10",
        "text": "A crew of bank robbers and the detective who hunts them across Los Angeles.",
    },
    {
        "id": "oldboy",
        "title": "Oldboy",
        "year": 2003,
        "rating": "9/10",
        "text": "A man locked in a room for fifteen years is let go and given five days.",
    },
    {
        "id": "parasite",
        "title": "Parasite",
        "year": 2019,
        "text": "A poor family talks its way, one job at a time, into a rich family's house.",
    },
]


def damage_file(relative: str, how: str) -> Callable[[Path, Path], None]:
    def damage(root: Path, live: Path) -> None:
        segment = live_segments(root)[0]  # the live version's (first) segment
        target = (
            root / relative
            if relative == "CURRENT"
            else live / relative
            if relative == "manifest.json"
            else segment / relative
        )
        if relative.startswith("qdrant/"):  # the live segment's shard
            shard = live_store_records(root)[0]["qdrant_shard"]
            pattern = relative.removeprefix("qdrant/")
            target = root / "qdrant" / shard
            target = next(target.glob(pattern)) if pattern else target
        if how == "delete":
            subprocess.run(["rm", "-rf", str(target)], check=True)
        elif how == "cut":
            target.write_bytes(target.read_bytes()[: max(1, min(target.stat().st_size // 3, 1000))])
        elif how == "garble":
            data = bytearray(target.read_bytes())
            data[: min(len(data), 4096)] = os.urandom(min(len(data), 4096))
            target.write_bytes(bytes(data))
        elif how == "outside":
            target.write_text("../../etc\n")

    return damage


def damage_catalogue(root: Path, live: Path) -> None:
    manifest = json.loads((live / "manifest.json").read_text())
    target = root / manifest["catalogue"]
    target.write_bytes(target.read_bytes()[:2000])


COMMON = {
    "meta.sqlite cut short": damage_file("meta.sqlite", "cut"),
    "meta.sqlite garbled": damage_file("meta.sqlite", "garble"),
    "vectors.npy cut short": damage_file("vectors.npy", "cut"),
    "manifest.json garbled": damage_file("manifest.json", "garble"),
    "CURRENT garbled": damage_file("CURRENT", "garble"),
    "CURRENT names a path outside": damage_file("CURRENT", "outside"),
    "row arrays garbled": damage_file("rows/review_film.npy", "garble"),
    "film records garbled": damage_file("rows/films.json", "garble"),
    "BM25 postings cut short": damage_file("bm25/docs.npy", "cut"),
    "catalogue cut short": damage_catalogue,
}
DAMAGE = {
    "faiss": {
        **COMMON,
        "index.faiss deleted": damage_file("index.faiss", "delete"),
        "index.faiss garbled": damage_file("index.faiss", "garble"),
    },
    "qdrant": {
        **COMMON,
        "shard vectors cut short": damage_file(
            "qdrant/segments/*/vector_storage/vectors/chunk_0.mmap", "cut"
        ),
        "shard configuration garbled": damage_file("qdrant/edge_config.json", "garble"),
        "shard deleted": damage_file("qdrant/", "delete"),
    },
}
CASES = [(store, name) for store, damages in DAMAGE.items() for name in damages]
RAN: set[str] = set()  # every remedy run, as its command is written


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, encoder) -> dict[str, Path]:
    """A small index per store: the sample catalogue and a few reviews (and enough short
    others that the segment keeps its derived arrays on disk, to be damaged), built once."""
    source = tmp_path_factory.mktemp("reviews") / "reviews.jsonl"
    others = [
        {"id": f"garden-{i}", "title": f"Garden Diary {i}", "text": f"Roses and weeds, week {i}."}
        for i in range(DERIVED_FROM)
    ]
    source.write_text("\n".join(json.dumps(r) for r in [*REVIEWS, *others]) + "\n")
    built = {}
    for store in DAMAGE:
        root = tmp_path_factory.mktemp(store) / "index"
        engine = Engine(Settings(index_dir=root, store=store, qdrant=SHARDED), encoder)
        engine.import_catalogue([SAMPLE_CATALOGUE], tmdb=False)
        engine.ingest([source])
        built[store] = root
    built["reviews"] = source
    return built


@pytest.fixture
def store_env(monkeypatch):
    def use(store: str) -> None:
        for name in [k for k in os.environ if k.upper().startswith("CINEBOT_")]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("CINEBOT_STORE", store)
        monkeypatch.setenv("CINEBOT_QDRANT__SHARD_MIN_PASSAGES", "1")  # shards for four reviews

    return use


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def answers(root: Path) -> dict:
    code, output = cli("search", QUESTION, "--json", "--index", str(root))
    assert code == 0, output
    return json.loads(output)


def run_remedy(message: str, root: Path, reviews: Path) -> str:
    found = re.search(r"`(cinebot [^`]+)`", message)
    assert found, f"no command named in: {message}"
    command = found.group(1)
    RAN.add(command)
    args = shlex.split(command)[1:]
    paths = {"catalogue": str(SAMPLE_CATALOGUE)}
    args = [paths.get(args[0], str(reviews)) if a in ("PATH...", "PATH") else a for a in args]
    if args == ["ingest"]:  # the configured review paths: here, the test's file
        args.append(str(reviews))
    if args == ["catalogue"]:  # the configured catalogue: here, the sample's
        args.append(str(SAMPLE_CATALOGUE))
    code, output = cli(*args, "--index", str(root))
    assert code == 0, (command, output)
    return command


@pytest.mark.parametrize(("store", "damage"), CASES, ids=[f"{s}: {d}" for s, d in CASES])
def test_each_damage_is_one_line_whose_remedy_leaves_an_index_that_answers(
    pristine, store_env, tmp_path, encoder, store, damage
):
    store_env(store)
    root = tmp_path / "index"
    subprocess.run(["cp", "-a", "--sparse=always", str(pristine[store]), str(root)], check=True)
    live = root / (root / "CURRENT").read_text().strip()
    DAMAGE[store][damage](root, live)

    said = []  # every reader that reads the damaged file says so in one line, or answers
    for command in (["search", QUESTION], ["stats"], ["similar", "Heat"]):
        code, output = cli(*command, "--index", str(root))
        assert code in (0, 1) and "Traceback" not in output, output
        if code == 1:
            assert len(output.strip().splitlines()) == 1 and "`cinebot " in output, output
            said.append(output.strip())
    engine = Engine(Settings(index_dir=root, store=store, qdrant=SHARDED), encoder)
    try:  # titles a new review may name: the catalogue's too
        engine.suggest_titles("Tra", catalogue=True)
    except (IndexDamaged, IndexMissing) as exc:
        said.append(str(exc))
    assert said, "the damage went unnoticed"
    message = said[0]
    assert all("`cinebot " in m and "Traceback" not in m for m in said), said
    try:  # a member's review: refused in one line, or written (the stored vectors are whole)
        engine.libraries.post("guild:1", 5, "Ana", "Heat (1995)", 8, "Robbers and a detective.")
    except (IndexDamaged, IndexMissing) as exc:
        assert "`cinebot " in str(exc), exc

    command = run_remedy(message, root, pristine["reviews"])
    result = answers(root)
    assert result["results"][0]["title"] == "Train to Busan", (command, result)
    if "catalogue" in command or "catalogue" not in damage:  # the catalogue's facts are back
        assert result["results"][0]["countries"] == ["KR"], (command, result)
    else:  # ingest says how to bring the catalogue back; that one is run too
        report = json.loads(
            cli("ingest", str(pristine["reviews"]), "--json", "--index", str(root))[1]
        )
        (warning,) = [w["reason"] for w in report["warnings"] if "catalogue" in w["reason"]]
        run_remedy(warning, root, pristine["reviews"])
        assert answers(root)["results"][0]["countries"] == ["KR"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pick=st.integers(0, 10_000), cut=st.floats(0, 1), noise=st.binary(max_size=64))
def test_any_damage_to_a_qdrant_shard_or_the_catalogue_is_one_line_or_still_answers(
    pristine, tmp_path_factory, encoder, pick, cut, noise
):
    root = tmp_path_factory.mktemp("shard") / "index"
    subprocess.run(["cp", "-a", "--sparse=always", str(pristine["qdrant"]), str(root)], check=True)
    live = json.loads((root / (root / "CURRENT").read_text().strip() / "manifest.json").read_text())
    shard = live_store_records(root)[0]["qdrant_shard"]
    files = sorted(p for p in (root / "qdrant" / shard).rglob("*") if p.is_file())
    victim = [root / live["catalogue"], *files][pick % (len(files) + 1)]
    data = victim.read_bytes()
    victim.write_bytes(data[: int(len(data) * cut)] + noise)
    engine = Engine(Settings(index_dir=root, store="qdrant", qdrant=SHARDED), encoder)
    for read in (
        lambda: engine.ask(QUESTION),
        lambda: engine.suggest_titles("Tr", catalogue=True),
    ):
        try:
            read()
        except (IndexDamaged, IndexMissing) as exc:
            assert "`cinebot " in str(exc)


def test_a_store_switched_index_says_how_to_fill_the_store_and_that_works(
    pristine, store_env, tmp_path
):
    """Built for FAISS, opened with Qdrant (and the other way): the command it names fills the
    store from the stored vectors."""
    for built, opened in (("faiss", "qdrant"), ("qdrant", "faiss")):
        store_env(opened)
        root = tmp_path / built / "index"
        subprocess.run(["mkdir", "-p", str(root.parent)], check=True)
        subprocess.run(["cp", "-a", "--sparse=always", str(pristine[built]), str(root)], check=True)
        code, output = cli("search", QUESTION, "--index", str(root))
        assert code == 1 and len(output.strip().splitlines()) == 1, output
        run_remedy(output, root, pristine["reviews"])
        assert answers(root)["results"][0]["title"] == "Train to Busan"


def test_no_index_says_how_to_make_one_and_that_works(pristine, store_env, tmp_path):
    store_env("faiss")
    code, output = cli("search", QUESTION, "--index", str(tmp_path / "index"))
    assert code == 1, output
    run_remedy(output, tmp_path / "index", pristine["reviews"])
    assert answers(tmp_path / "index")["results"][0]["title"] == "Train to Busan"
    # "run `cinebot catalogue` again later" (after TMDB timed out): the configured catalogue
    run_remedy("`cinebot catalogue`", tmp_path / "index", pristine["reviews"])
    assert answers(tmp_path / "index")["results"][0]["countries"] == ["KR"]


def named_in_code() -> set[str]:
    """Every `cinebot …` command in a string of the engine's code (messages to users)."""
    found = set()
    for path in (ROOT / "index").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            found |= set(re.findall(r"`(cinebot [^`{}]+)`", text))
    return found


def named_in_readme() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### What an error means", 1)[1].split("\n## ", 1)[0]
    return {
        command
        for row in table.splitlines()
        if row.startswith("|") and row.count("|") >= 4
        for command in re.findall(r"`(cinebot [^`]+)`", row.split("|")[-2])
    }


def test_every_remedy_named_anywhere_was_run_by_these_tests():
    """Runs after the tests above (pytest keeps file order): what they ran covers every
    command the code's messages and the README's error table tell people to run."""
    if not RAN:
        pytest.skip("run with the damage tests above")
    named = named_in_code() | named_in_readme()
    assert named, "no remedies found"
    assert named <= RAN, f"named but never run: {sorted(named - RAN)}"

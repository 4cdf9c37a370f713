"""Settings for cinebot: defaults < config file < .env < environment (prefix ``CINEBOT_``)."""

from config.settings import (
    ConfigError,
    EmbeddingSettings,
    IngestSettings,
    SearchSettings,
    Settings,
    load_settings,
)

__all__ = [
    "ConfigError",
    "EmbeddingSettings",
    "IngestSettings",
    "SearchSettings",
    "Settings",
    "load_settings",
]

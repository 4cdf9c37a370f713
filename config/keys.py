"""Which settings exist, and the nearest one to a key that does not: a misspelt key in the
config file, the environment, `.env` or the arguments stops start-up, named with the
setting it most likely meant, instead of being dropped without a word."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

PREFIX = "CINEBOT_"
DELIMITER = "__"
Key = tuple[str, ...]
TOKEN = "DISCORD_TOKEN"  # the one setting read without the prefix, and only from env or .env

# Old spellings and where each setting lives now: named in the error, never read.
RENAMED = {
    "qdrant_url": "qdrant.url",
    "qdrant_path": "qdrant.path",
    "qdrant_prefix": "qdrant.prefix",
    "qdrant.exact_below": "search.exact_below",
    "discord_token": TOKEN,
}
# Variables with the prefix that cinebot reads and that are not settings.
NOT_SETTINGS = {
    "CINEBOT_CONFIG": "the config file to read",
    "CINEBOT_LONG_TESTS": "tests: the long variants",
    "CINEBOT_SHARED_DATA": "tests: where the shared data sets are",
    "CINEBOT_IMDB_REVIEWS": "benchmarks: the real reviews",
    "CINEBOT_MOVIELENS": "benchmarks: real people's ratings (MovieLens)",
    "CINEBOT_DEV_QUESTIONS": "benchmarks: other people's questions and their judge",
}


def known_keys(model: type[BaseModel]) -> dict[Key, bool]:
    """Every key a model reads by its own name (True: a section with keys of its own).
    A field read only under another name (DISCORD_TOKEN) is not one of them."""
    out: dict[Key, bool] = {}
    for name, field in model.model_fields.items():
        if field.validation_alias is not None:
            continue
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out[(name,)] = True
            out.update({(name, *key): section for key, section in known_keys(kind).items()})
        else:
            out[(name,)] = False
    return out


def unknown_in(data: Mapping[Any, Any], known: dict[Key, bool], at: Key = ()) -> list[Key]:
    """Keys of a nested mapping (a TOML file, arguments) that no setting has; a whole
    unknown section is one key."""
    found: list[Key] = []
    for name, value in data.items():
        key = (*at, str(name))
        if key not in known:
            found.append(key)
        elif known[key] and isinstance(value, Mapping):
            found += unknown_in(value, known, key)
    return found


def env_key(name: str) -> Key | None:
    """The setting a variable names (CINEBOT_SEARCH__PAGE_SIZE -> search.page_size); None
    for a variable that is not cinebot's or not a setting."""
    upper = name.upper()
    if not upper.startswith(PREFIX) or upper in NOT_SETTINGS:
        return None
    return tuple(name[len(PREFIX) :].lower().split(DELIMITER))


def env_name(key: Key) -> str:
    return PREFIX + DELIMITER.join(key).upper()


def nearest(key: Key, known: Iterable[Key]) -> tuple[Key, bool] | None:
    """The setting `key` most likely meant, and whether it was renamed: its new name; else
    the closest whole name ("serach" -> search); else the closest last part, for a key put
    in the wrong section ("page_size" alone -> search.page_size)."""
    from rapidfuzz import fuzz, process

    dotted = ".".join(key)
    if dotted in RENAMED:
        return tuple(RENAMED[dotted].split(".")), True
    names = {".".join(k): k for k in known}
    found = process.extractOne(dotted, list(names), scorer=fuzz.ratio, score_cutoff=70)
    if found is None:
        lasts = {whole: k[-1] for whole, k in names.items()}
        found = process.extractOne(key[-1], lasts, scorer=fuzz.ratio, score_cutoff=80)
        if found is None:
            return None
        return names[str(found[2])], False
    return names[found[0]], False


def _problem(shown: str, where: str, guess: tuple[Key, bool] | None, as_env: bool) -> str:
    text = f"unknown setting {shown} in {where}"
    if guess is None:
        return text
    key, renamed = guess
    if key == (TOKEN,):
        return f"{text} (the token is read only from {TOKEN}, in the environment or .env)"
    name = env_name(key) if as_env else repr(".".join(key))
    return f"{text} ({'now' if renamed else 'did you mean'} {name}{'' if renamed else '?'})"


def unknown_settings(
    model: type[BaseModel],
    arguments: Mapping[str, Any],
    config_file: Path | None,
    environ: Mapping[str, str],
    dotenv: Path | None,
) -> list[str]:
    """One line per key that no setting has, wherever it was given."""
    known = known_keys(model)
    problems = []
    given = {k: v for k, v in arguments.items() if not k.startswith("_")}
    for key in unknown_in(given, known):
        problems.append(_problem(repr(".".join(key)), "the arguments", nearest(key, known), False))
    if config_file is not None and config_file.is_file():
        with config_file.open("rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as exc:
                return [f"{config_file} is not valid TOML ({exc})"]
        for key in unknown_in(data, known):
            shown = repr(".".join(key))
            problems.append(_problem(shown, str(config_file), nearest(key, known), False))
    variables = [(name, "the environment") for name in environ]
    if dotenv is not None and dotenv.is_file():
        from dotenv import dotenv_values

        variables += [(name, str(dotenv)) for name in dotenv_values(dotenv)]
    for name, where in variables:
        named = env_key(name)
        if named is not None and named not in known:
            problems.append(_problem(name, where, nearest(named, known), True))
    return problems

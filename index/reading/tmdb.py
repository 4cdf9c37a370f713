"""TMDB (https://developer.themoviedb.org/), read politely: what the catalogue lacks about a
film (countries, original language, poster, cast, directors, genres, runtime).

Only `cinebot catalogue` calls it, never a search. Requests are spaced to the configured
rate; a 429 waits for its Retry-After; timeouts and server errors are retried, then reported;
a refused key (401) stops TMDB for the run with one line; answers are cached on disk, so a
second run asks TMDB nothing it asked before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from config import TmdbSettings
from index.knowledge.catalogue import CatalogueFilm
from index.knowledge.countries import UnknownCountry, country_code
from index.knowledge.films import normalize_title
from index.knowledge.genres import UnknownGenre, canonical_genres
from index.knowledge.languages import UnknownLanguage, language_code

SOURCE = "catalogue:tmdb"
TOP_BILLED = 8
MAX_LISTED = 50
# TMDB's own language codes that are not ISO 639-1.
_TMDB_LANGUAGES = {"cn": "yue", "xx": ""}


class TmdbRefused(RuntimeError):
    """TMDB will not answer this key at all (401): nothing more is asked this run."""


@dataclass
class TmdbReport:
    asked: int = 0  # films looked up
    found: int = 0
    not_found: int = 0
    from_cache: int = 0
    failures: list[str] = field(default_factory=list)  # the first ones, with why
    more_failures: int = 0
    stopped: str | None = None  # why TMDB stopped early (a refused key)

    def failed(self, what: str) -> None:
        if len(self.failures) < MAX_LISTED:
            self.failures.append(what)
        else:
            self.more_failures += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "asked": self.asked,
            "found": self.found,
            "not_found": self.not_found,
            "from_cache": self.from_cache,
            "failures": self.failures,
            "more_failures": self.more_failures,
            "stopped": self.stopped,
        }


class _Failed(Exception):
    """One request gave up (after its retries): the reason is reported, the run goes on."""


class Tmdb:
    def __init__(
        self,
        settings: TmdbSettings,
        report: TmdbReport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if settings.api_key is None:
            raise ValueError("TMDB needs an API key (CINEBOT_TMDB__API_KEY)")
        self.settings = settings
        self.report = report or TmdbReport()
        self.sleep = sleep
        key = settings.api_key.get_secret_value()
        # A v4 read token is a JWT, sent as a bearer token; a v3 key goes in the query.
        bearer = key.startswith("eyJ")
        self._params = {} if bearer else {"api_key": key}
        headers = {"Authorization": f"Bearer {key}"} if bearer else {}
        self._http = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=settings.timeout_seconds,
            follow_redirects=False,
        )
        self._lock = threading.Lock()
        self._next_at = 0.0

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ requests
    def _cache_path(self, path: str, params: dict[str, Any]) -> Path:
        basis = json.dumps([path, sorted(params.items())], ensure_ascii=False)
        return self.settings.cache_dir / f"{hashlib.sha1(basis.encode()).hexdigest()}.json"

    def _wait_turn(self) -> None:
        with self._lock:
            now = time.monotonic()
            wait = self._next_at - now
            self._next_at = max(now, self._next_at) + 1.0 / self.settings.requests_per_second
        if wait > 0:
            self.sleep(wait)

    def get(self, path: str, **params: Any) -> dict[str, Any] | None:
        """One answer (None for 404), from the cache when TMDB was asked before."""
        if self.report.stopped:
            raise TmdbRefused(self.report.stopped)
        cached = self._cache_path(path, params)
        if cached.is_file():
            self.report.from_cache += 1
            return json.loads(cached.read_text(encoding="utf-8"))
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            self._wait_turn()
            try:
                response = self._http.get(path.lstrip("/"), params={**self._params, **params})
            except httpx.TimeoutException:
                if attempt == attempts:
                    raise _Failed(f"timed out {attempts} times") from None
                self.sleep(min(2.0**attempt, 30))
                continue
            except httpx.HTTPError as exc:
                if attempt == attempts:
                    raise _Failed(f"could not connect: {type(exc).__name__}") from None
                self.sleep(min(2.0**attempt, 30))
                continue
            if response.status_code == 401:
                self.report.stopped = "TMDB refused the key (401): check CINEBOT_TMDB__API_KEY; nothing more was asked"
                raise TmdbRefused(self.report.stopped)
            if response.status_code == 404:
                self._store(cached, None)
                return None
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == attempts:
                    raise _Failed(f"HTTP {response.status_code} {attempts} times")
                self.sleep(self._retry_after(response, attempt))
                continue
            if response.status_code != 200:
                raise _Failed(f"HTTP {response.status_code}")
            try:
                data = response.json()
            except ValueError:
                raise _Failed("the answer was not JSON") from None
            if not isinstance(data, dict):
                raise _Failed("the answer was not a JSON object")
            self._store(cached, data)
            return data
        raise _Failed("no answer")  # pragma: no cover - the loop always returns or raises

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        try:
            wait = float(response.headers.get("Retry-After", ""))
        except ValueError:
            wait = min(2.0**attempt, 30)
        return max(0.0, min(wait, self.settings.max_wait_seconds))

    def _store(self, path: Path, data: dict[str, Any] | None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    # ------------------------------------------------------------------ films
    def film(self, imdb_id: str | None, title: str, year: int | None) -> CatalogueFilm | None:
        """What TMDB knows of one film: by IMDb id when there is one, else by a title search
        that finds exactly one film of that title and year. Failures are reported, not raised
        (except a refused key, which ends the run)."""
        self.report.asked += 1
        label = f"{title} ({year})" if year else title
        try:
            movie_id = self._find(imdb_id) if imdb_id else self._search(title, year)
            details = (
                self.get(f"movie/{movie_id}", append_to_response="credits") if movie_id else None
            )
        except _Failed as exc:
            self.report.failed(f"{label}: {exc}")
            return None
        if details is None:
            self.report.not_found += 1
            return None
        try:
            film = self._to_film(details, imdb_id)
        except (KeyError, TypeError, ValueError):
            self.report.failed(f"{label}: the answer did not look like a film")
            return None
        self.report.found += 1
        return film

    def _find(self, imdb_id: str) -> int | None:
        found = self.get(f"find/{imdb_id}", external_source="imdb_id")
        results = (found or {}).get("movie_results") or []
        return int(results[0]["id"]) if results else None

    def _search(self, title: str, year: int | None) -> int | None:
        params: dict[str, Any] = {"query": title, "include_adult": "false"}
        if year:
            params["year"] = year
        found = self.get("search/movie", **params) or {}
        wanted = normalize_title(title)
        same = [
            r
            for r in found.get("results") or []
            if isinstance(r, dict)
            and wanted
            in {
                normalize_title(str(r.get("title", ""))),
                normalize_title(str(r.get("original_title", ""))),
            }
            and (year is None or str(r.get("release_date", ""))[:4] == str(year))
        ]
        return int(same[0]["id"]) if len(same) == 1 else None

    def _to_film(self, d: dict[str, Any], imdb_id: str | None) -> CatalogueFilm:
        credits = d.get("credits") or {}
        crew = credits.get("crew") or []
        writers = [
            str(c["name"])
            for c in crew
            if c.get("department") == "Writing" or c.get("job") in {"Writer", "Screenplay", "Novel"}
        ]
        imdb = d.get("imdb_id") or imdb_id
        title = str(d.get("title") or d["original_title"])
        year = (
            int(str(d["release_date"])[:4])
            if str(d.get("release_date") or "")[:4].isdigit()
            else None
        )
        facts = self._facts(d, credits)
        original = str(d.get("original_title") or "") or None
        return CatalogueFilm(
            key=CatalogueFilm.key_for(imdb, title, year) if imdb else f"tmdb:{int(d['id'])}",
            title=title,
            year=year,
            imdb_id=imdb,
            original_title=original if original != title else None,
            writers=tuple(dict.fromkeys(writers)),
            sources={name: SOURCE for name, value in facts.items() if value},
            **facts,
        )

    def _facts(self, d: dict[str, Any], credits: dict[str, Any]) -> dict[str, Any]:
        """What a TMDB movie says of the film, in the catalogue's vocabulary."""
        countries, genres, languages = [], [], []
        for item in d.get("production_countries") or []:
            with contextlib.suppress(UnknownCountry):
                countries.append(country_code(str(item.get("iso_3166_1", ""))))
        for item in d.get("genres") or []:
            with contextlib.suppress(UnknownGenre):
                genres += [
                    g for g in canonical_genres(str(item.get("name", ""))) if g not in genres
                ]
        language = str(d.get("original_language") or "")
        language = _TMDB_LANGUAGES.get(language, language)
        if language:
            with contextlib.suppress(UnknownLanguage):
                languages.append(language_code(language))
        cast = [
            str(c["name"])
            for c in sorted(credits.get("cast") or [], key=lambda c: c.get("order", 99))
        ][:TOP_BILLED]
        directors = [
            str(c["name"]) for c in credits.get("crew") or [] if c.get("job") == "Director"
        ]
        poster = d.get("poster_path")
        poster_url = (
            self.settings.image_base.rstrip("/") + "/" + poster.lstrip("/")
            if isinstance(poster, str) and poster.startswith("/") and " " not in poster
            else None
        )
        runtime = d.get("runtime") or None
        return {
            "countries": tuple(dict.fromkeys(countries)),
            "genres": tuple(genres),
            "languages": tuple(languages),
            "cast": tuple(cast),
            "directors": tuple(dict.fromkeys(directors)),
            "runtime": int(runtime) if runtime else None,
            "poster_url": poster_url,
        }

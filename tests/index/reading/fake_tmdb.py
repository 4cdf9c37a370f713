"""A small TMDB on 127.0.0.1 for the tests: the three endpoints cinebot asks, films from a
table, and switches for each way a real server misbehaves."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

MOVIES: dict[int, dict[str, Any]] = {
    496243: {
        "id": 496243,
        "imdb_id": "tt6751668",
        "title": "Parasite",
        "original_title": "기생충",
        "release_date": "2019-05-30",
        "runtime": 133,
        "original_language": "ko",
        "production_countries": [{"iso_3166_1": "KR", "name": "South Korea"}],
        "genres": [{"id": 35, "name": "Comedy"}, {"id": 53, "name": "Thriller"}],
        "poster_path": "/parasite.jpg",
        "credits": {
            "cast": [{"name": "Song Kang-ho", "order": 0}, {"name": "Lee Sun-kyun", "order": 1}],
            "crew": [
                {"name": "Bong Joon-ho", "job": "Director"},
                {"name": "Someone", "job": "Editor"},
            ],
        },
    },
    11: {
        "id": 11,
        "imdb_id": "tt0076759",
        "title": "Star Wars",
        "original_title": "Star Wars",
        "release_date": "1977-05-25",
        "runtime": 121,
        "original_language": "en",
        "production_countries": [{"iso_3166_1": "US"}],
        "genres": [{"name": "Science Fiction"}],
        "poster_path": "/starwars.jpg",
        "credits": {
            "cast": [{"name": "Mark Hamill", "order": 0}],
            "crew": [{"name": "George Lucas", "job": "Director"}],
        },
    },
}


class FakeTmdb:
    def __init__(self) -> None:
        self.requests: list[tuple[float, str, dict[str, list[str]]]] = []
        self.status: int | None = None  # answer every request with this status
        self.too_many: int = 0  # answer this many requests with 429 first
        self.retry_after = "1"
        self.malformed: set[str] = set()  # paths answered with broken JSON
        self.slow: set[str] = set()  # paths answered after `delay` seconds
        self.delay = 2.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = parse_qs(url.query)
                fake.requests.append((time.monotonic(), url.path, query))
                status, body = fake.answer(url.path, query)
                if url.path in fake.slow:
                    time.sleep(fake.delay)
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", fake.retry_after)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body.encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/3"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTmdb:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str]:
        if self.status is not None:
            return self.status, json.dumps({"status_message": "no"})
        if self.too_many > 0:
            self.too_many -= 1
            return 429, json.dumps({"status_message": "slow down"})
        if query.get("api_key") != ["test-key"]:
            return 401, json.dumps({"status_message": "Invalid API key"})
        if path in self.malformed:
            return 200, '{"movie_results": [ {"id": 4'
        if path.startswith("/3/find/"):
            imdb = path.rsplit("/", 1)[1]
            found = [{"id": k} for k, m in MOVIES.items() if m["imdb_id"] == imdb]
            return 200, json.dumps({"movie_results": found})
        if path == "/3/search/movie":
            words = query.get("query", [""])[0].casefold()
            found = [
                {
                    "id": k,
                    "title": m["title"],
                    "original_title": m["original_title"],
                    "release_date": m["release_date"],
                }
                for k, m in MOVIES.items()
                if words in m["title"].casefold()
            ]
            return 200, json.dumps({"results": found})
        if path.startswith("/3/movie/"):
            movie = MOVIES.get(int(path.rsplit("/", 1)[1]))
            return (200, json.dumps(movie)) if movie else (404, json.dumps({"status_code": 34}))
        return 404, "{}"

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.requests]

"""Abuse limits: so many uses per window, per key (a member, a server), in memory. A restart
forgets them, which errs on the side of the members."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Hashable

from config import LibrarySettings


class Allowance:
    def __init__(self, uses: int, window_seconds: float, what: str) -> None:
        self.uses, self.window, self.what = uses, window_seconds, what
        self._used: dict[Hashable, deque[float]] = {}

    def wait(self, key: Hashable, now: float | None = None) -> float:
        """Seconds until `key` may use it again; 0 when it may now."""
        now = time.monotonic() if now is None else now
        used = self._used.get(key)
        if used is None:
            return 0.0
        while used and used[0] <= now - self.window:
            used.popleft()
        if not used:
            del self._used[key]
            return 0.0
        return used[0] + self.window - now if len(used) >= self.uses else 0.0

    def use(self, key: Hashable, now: float | None = None) -> None:
        self._used.setdefault(key, deque()).append(time.monotonic() if now is None else now)

    def refusal(self, key: Hashable, now: float | None = None) -> str | None:
        """Why `key` may not use it now (with when it may again), or None."""
        seconds = self.wait(key, now)
        if not seconds:
            return None
        minutes = max(1, round(seconds / 60))
        return f"{self.what} ({self.uses} a {_span(self.window)}); try again in {minutes} min."


def _span(seconds: float) -> str:
    return {3600: "hour", 86400: "day"}.get(int(seconds), f"{seconds:g} s")


class Limits:
    """The limits of one bot: members' reviews per hour (per member and per server), and
    uploads per server per day."""

    def __init__(self, settings: LibrarySettings) -> None:
        self.member_reviews = Allowance(
            settings.member_reviews_per_hour, 3600, "You have posted as many reviews as allowed"
        )
        self.server_reviews = Allowance(
            settings.server_reviews_per_hour,
            3600,
            "This server has posted as many reviews as allowed",
        )
        self.uploads = Allowance(
            settings.uploads_per_day, 86400, "This server has uploaded as many files as allowed"
        )

    def review_refused(self, guild_id: int, user_id: int) -> str | None:
        return self.member_reviews.refusal((guild_id, user_id)) or self.server_reviews.refusal(
            guild_id
        )

    def reviewed(self, guild_id: int, user_id: int) -> None:
        self.member_reviews.use((guild_id, user_id))
        self.server_reviews.use(guild_id)

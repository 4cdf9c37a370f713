"""Abuse limits: so many uses per window, per key (a member, a server), in memory. A restart
forgets them, which errs on the side of the members."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Hashable

from config import LibrarySettings


class Allowance:
    """So many uses per window, per key. A use is taken (`take`) before the work it allows and
    given back (`give_back`) when that work saved nothing: the check and the count are one
    step under one lock, so fifteen forms submitted at once never get past a limit of ten."""

    def __init__(self, uses: int, window_seconds: float, what: str) -> None:
        self.uses, self.window, self.what = uses, window_seconds, what
        self._used: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: Hashable, now: float | None = None) -> float:
        """Seconds until `key` may use it again; 0 when it may now."""
        with self._lock:
            return self._wait(key, time.monotonic() if now is None else now)

    def _wait(self, key: Hashable, now: float) -> float:
        used = self._used.get(key)
        while used and used[0] <= now - self.window:
            used.popleft()
        if not used:
            self._used.pop(key, None)
            return 0.0 if self.uses > 0 else self.window  # a limit of none allows none
        return used[0] + self.window - now if len(used) >= self.uses else 0.0

    def take(self, key: Hashable, now: float | None = None) -> float | None:
        """Take a use for `key` now: None when taken, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if seconds := self._wait(key, now):
                return seconds
            self._used.setdefault(key, deque()).append(now)
            return None

    def give_back(self, key: Hashable) -> None:
        """Return the last use taken for `key` (the work it was for saved nothing)."""
        with self._lock:
            used = self._used.get(key)
            if used:
                used.pop()

    def _refusal(self, seconds: float) -> str:
        minutes = max(1, round(seconds / 60))
        return f"{self.what} ({self.uses} a {_span(self.window)}); try again in {minutes} min."

    def check(self, key: Hashable, now: float | None = None) -> str | None:
        """Why `key` may not use it now (and when it may again), or None; nothing is taken."""
        seconds = self.wait(key, now)
        return self._refusal(seconds) if seconds else None

    def reserve(self, key: Hashable, now: float | None = None) -> str | None:
        """Take a use for `key`: None when taken, else why not."""
        seconds = self.take(key, now)
        return None if seconds is None else self._refusal(seconds)


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
        """Why a member may not post now (nothing taken: to refuse before the form opens)."""
        return self.member_reviews.check((guild_id, user_id)) or self.server_reviews.check(guild_id)

    def reserve_review(self, guild_id: int, user_id: int) -> str | None:
        """Take one review for the member and one for the server (both or neither): None when
        taken, else why not."""
        if refused := self.member_reviews.reserve((guild_id, user_id)):
            return refused
        if refused := self.server_reviews.reserve(guild_id):
            self.member_reviews.give_back((guild_id, user_id))
            return refused
        return None

    def give_back_review(self, guild_id: int, user_id: int) -> None:
        """The review reserved was not saved."""
        self.member_reviews.give_back((guild_id, user_id))
        self.server_reviews.give_back(guild_id)

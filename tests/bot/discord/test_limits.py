"""Abuse limits: so many uses per window, per key, and a refusal that says when to come back."""

from bot.discord.limits import Allowance, Limits
from config import LibrarySettings


def test_the_use_past_the_limit_waits_for_the_oldest_to_leave_the_window():
    hourly = Allowance(2, 3600, "Too many")
    hourly.use("ann", now=0)
    hourly.use("ann", now=600)
    assert hourly.wait("ann", now=900) == 2700  # the first use leaves the window at 3600
    assert hourly.refusal("ann", now=900) == "Too many (2 a hour); try again in 45 min."
    assert hourly.wait("bo", now=900) == 0  # per key
    assert hourly.wait("ann", now=3600) == 0 and hourly.refusal("ann", now=3600) is None


def test_a_member_is_limited_alone_and_a_server_as_a_whole():
    limits = Limits(LibrarySettings(member_reviews_per_hour=2, server_reviews_per_hour=3))
    for user in (1, 1, 2):
        assert limits.review_refused(10, user) is None
        limits.reviewed(10, user)
    assert "You have posted" in (limits.review_refused(10, 1) or "")
    assert "This server has posted" in (limits.review_refused(10, 3) or "")
    assert limits.review_refused(11, 1) is None  # another server counts apart

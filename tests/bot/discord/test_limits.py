"""Abuse limits: so many uses per window, per key, taken before the work they allow (so uses
made together cannot pass the limit), given back when that work saved nothing."""

import threading

from bot.discord.limits import Allowance, Limits
from config import LibrarySettings


def test_the_use_past_the_limit_waits_for_the_oldest_to_leave_the_window():
    hourly = Allowance(2, 3600, "Too many")
    assert hourly.reserve("ann", now=0) is None
    assert hourly.reserve("ann", now=600) is None
    assert hourly.wait("ann", now=900) == 2700  # the first use leaves the window at 3600
    assert hourly.check("ann", now=900) == "Too many (2 a hour); try again in 45 min."
    assert hourly.reserve("ann", now=900) == "Too many (2 a hour); try again in 45 min."
    assert hourly.wait("bo", now=900) == 0  # per key
    assert hourly.wait("ann", now=3600) == 0 and hourly.check("ann", now=3600) is None


def test_a_member_is_limited_alone_and_a_server_as_a_whole():
    limits = Limits(LibrarySettings(member_reviews_per_hour=2, server_reviews_per_hour=3))
    for user in (1, 1, 2):
        assert limits.reserve_review(10, user) is None
    assert "You have posted" in (limits.review_refused(10, 1) or "")
    assert "This server has posted" in (limits.reserve_review(10, 3) or "")
    assert limits.reserve_review(11, 1) is None  # another server counts apart


def test_a_use_given_back_is_free_again_and_a_refused_pair_takes_nothing():
    limits = Limits(LibrarySettings(member_reviews_per_hour=1, server_reviews_per_hour=1))
    assert limits.reserve_review(10, 1) is None
    limits.give_back_review(10, 1)  # not saved
    assert limits.reserve_review(10, 2) is None
    assert limits.reserve_review(10, 3) is not None  # the server's one is taken
    limits.give_back_review(10, 2)
    assert limits.reserve_review(10, 3) is None  # 3's member use was not kept when refused


def test_uses_taken_at_once_from_many_threads_never_pass_the_limit():
    hourly = Allowance(10, 3600, "Too many")
    start = threading.Barrier(15)
    taken: list[bool] = []

    def one() -> None:
        start.wait()
        taken.append(hourly.reserve("ann") is None)

    threads = [threading.Thread(target=one) for _ in range(15)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(taken) == 10

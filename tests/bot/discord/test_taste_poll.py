"""A movie night's poll within Discord's limits, and how its winner is read."""

from bot.discord.cogs.taste import _poll


def test_a_tie_goes_to_the_better_match_and_no_votes_to_the_best_match():
    assert _poll.outcome([1, 3, 3, 0]) == _poll.Outcome(
        1, 3, 7, "A tie between 2 films: the best match of them wins."
    )
    assert _poll.outcome([0, 0, 0]).index == 0 and _poll.outcome([]).total == 0
    assert _poll.outcome([0, 2, 1]) == _poll.Outcome(1, 2, 3)


def test_a_poll_keeps_to_discords_limits():
    long = "A Film Whose Title Goes On and On Far Past What Discord Allows (2001)"
    poll = _poll.poll_for([long, "Heat (1995)"], seconds=90 * 24 * 3600)
    assert all(len(a.text) <= 55 for a in poll.answers) and poll.answers[1].text == "Heat (1995)"
    assert poll.duration.total_seconds() == 32 * 24 * 3600  # Discord's longest
    assert _poll.poll_for(["Heat (1995)"], seconds=60).duration.total_seconds() == 3600

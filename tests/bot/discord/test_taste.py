"""/recommend, /movienight and /taste against the fake Discord: a member's films from their own
reviews (only they see them), a movie night's poll closed and its winner named, a ratings
export brought in privately, listed and deleted; and nothing of one server's taste anywhere
else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from index import library_of
from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import Env, within_limits

pytestmark = pytest.mark.asyncio(loop_scope="module")

A, B = fake_discord.GUILD_ID, fake_discord.GUILD_B_ID
KOREAN = {
    "Oldboy",
    "Memories of Murder",
    "The Handmaiden",
    "Parasite",
    "Burning",
    "The Chaser",
    "I Saw the Devil",
    "The Man from Nowhere",
    "The Yellow Sea",
    "Train to Busan",
    "The Villainess",
    "Carter",
    "A Tale of Two Sisters",
    "Mother",
    "The Host",
    "Snowpiercer",
    "The Wailing",
    "Decision to Leave",
    "Poetry",
}
RATINGS = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-06,Oldboy,2003,https://boxd.it/t1,5\n"
    "2024-01-07,Memories of Murder,2003,https://boxd.it/t2,4.5\n"
    "2024-01-08,Heat,1995,https://boxd.it/t3,4\n"
    "2024-01-09,Paddington 2,2017,https://boxd.it/t4,1\n"
)


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def rate(env: Env, guild: int, uid: int, ratings: dict[str, float]) -> None:
    library = library_of(guild)
    assert library is not None
    for title, rating in ratings.items():
        env.engine.libraries.post(library, uid, f"user{uid % 1000}", title, rating, "")


def picks(message: dict[str, Any]) -> list[str]:
    """The films of a taste embed, by title (the field names are "1. Title (year)")."""
    return [f["name"].split(". ", 1)[1].rsplit(" (", 1)[0] for f in message["embeds"][0]["fields"]]


async def test_recommend_answers_the_asker_alone_from_their_reviews(env):
    rate(env, A, 5101, {"Oldboy": 9, "Memories of Murder": 10, "Heat": 8, "Paddington 2": 3})
    answer = await env.answer(await env.command("recommend", uid=5101))
    within_limits(answer)
    assert answer["flags"] & 64  # only the asker sees it
    embed = answer["embeds"][0]
    assert embed["title"] == "For you" and "From your 4 rated reviews" in embed["description"]
    films = picks(answer)
    assert films and not {"Oldboy", "Memories of Murder", "Heat", "Paddington 2"} & set(films)
    assert all("because you liked" in f["value"] for f in embed["fields"][:2])


async def test_recommend_with_a_question_keeps_to_its_filters(env):
    rate(env, A, 5111, {"Oldboy": 9, "Memories of Murder": 10, "Heat": 8, "Paddington 2": 3})
    answer = await env.answer(
        await env.command("recommend", uid=5111, question="something Korean", count=4)
    )
    within_limits(answer)
    assert answer["flags"] & 64 and "South Korea" in answer["embeds"][0]["description"]
    films = picks(answer)
    assert len(films) == 4 and set(films) <= KOREAN, films
    assert "Oldboy" not in films and "Memories of Murder" not in films


async def test_recommend_with_too_few_reviews_says_what_it_needs(env):
    rate(env, A, 5102, {"Heat": 9})
    answer = await env.answer(await env.command("recommend", uid=5102))
    description = answer["embeds"][0]["description"]
    assert "Taste needs 3 rated reviews of yours in this server; you have 1" in description
    assert all("well liked here" in f["value"] for f in answer["embeds"][0]["fields"])
    assert "Heat" not in picks(answer)


async def test_movienight_polls_three_members_closes_the_poll_and_names_the_winner(env):
    env.bot.settings.discord.movie_night_poll_seconds = 3
    rate(env, A, 5201, {"Oldboy": 10, "The Handmaiden": 9, "Paddington 2": 4})
    rate(env, A, 5202, {"Heat": 10, "Infernal Affairs": 9, "Amélie": 3})
    kind, data = fake_discord.slash_members("movienight", {"first": 5202, "second": 5203}, uid=5201)
    payload = await env.interact(kind, data, uid=5201)
    poll_request = await env.fake.wait_for(
        lambda r: payload["token"] in r.path and r.method == "POST" and "poll" in (r.body or {})
    )
    message = poll_request.body
    within_limits(message)
    assert not message.get("flags", 0) & 64  # the group sees it
    poll = message["poll"]
    answers = [a["poll_media"]["text"] for a in poll["answers"]]
    assert 4 <= len(answers) <= 5 and all(len(a) <= 55 for a in answers)
    assert poll["duration"] == 1 and not poll["allow_multiselect"]
    reviewed = {"Oldboy", "The Handmaiden", "Paddington 2", "Heat", "Infernal Affairs", "Amélie"}
    assert not any(a.rsplit(" (", 1)[0] in reviewed for a in answers)
    embed = message["embeds"][0]
    assert "user203 has fewer than 3 rated reviews here: counted as neutral" in embed["description"]
    assert len(embed["fields"]) == len(answers)  # a reason for each
    poll_id = max((m for m, msg in env.fake.messages.items() if msg.get("poll")), key=int)
    for voter, answer in ((5201, 2), (5202, 2), (5203, 1), (5204, 1), (5204, 2)):
        await env.fake.vote(poll_id, voter, answer)  # 5204 changes their mind
    expired = await env.fake.wait_for(
        lambda r: r.method == "POST" and r.path.endswith(f"/polls/{poll_id}/expire"), timeout=30
    )
    assert expired.path.startswith(f"/api/v10/channels/{fake_discord.CHANNEL_ID}/")
    announced = await env.fake.wait_for(
        lambda r: (
            r.method == "POST"
            and r.path.endswith(f"/channels/{fake_discord.CHANNEL_ID}/messages")
            and "Movie night:" in shown(r.body)
        ),
        timeout=30,
    )
    within_limits(announced.body)
    winner = announced.body["embeds"][0]
    assert winner["title"] == f"Movie night: {answers[1]}"
    assert "wins with 3 of 4 votes" in winner["description"]
    assert str(announced.body["message_reference"]["message_id"]) == poll_id
    (result,) = [
        r for r in env.fake.poll_results if r["message_reference"]["message_id"] == poll_id
    ]
    fields = {f["name"]: f["value"] for f in result["embeds"][0]["fields"]}
    assert fields["victor_answer_id"] == "2" and fields["total_votes"] == "4"
    with pytest.raises(ValueError):
        await env.fake.vote(poll_id, 5205, 1)  # it has ended


async def test_movienight_needs_someone_else(env):
    kind, data = fake_discord.slash_members("movienight", {"first": 5301}, uid=5301)
    answer = await env.answer(await env.interact(kind, data, uid=5301))
    assert "Name at least one other member" in answer["content"] and answer["flags"] & 64


async def test_a_members_export_is_theirs_listed_and_deleted(env):
    upload = fake_discord.attachment(env.fake, "ratings.csv", RATINGS.encode())
    answer = await env.answer(
        await env.command(
            "taste import", uid=5401, attachments={"file": upload}, file="ratings.csv"
        )
    )
    within_limits(answer)
    assert answer["flags"] & 64
    fields = {f["name"]: f["value"] for f in answer["embeds"][0]["fields"]}
    assert fields["Ratings taken"] == "4" and fields["New"] == "4"
    assert "Letterboxd export" in answer["embeds"][0]["description"]
    mine = await env.answer(await env.command("myreviews", uid=5401))
    assert mine["flags"] & 64 and "Your reviews in this server (4)" in shown(mine)
    assert "Paddington 2 (2017)** · 2/10" in shown(mine)
    # Nobody else sees them: the film's page and a search show none of these ratings.
    page = shown(await env.answer(await env.command("film", uid=5402, title="Paddington 2")))
    assert "2/10" not in page and "anonymous" not in page
    found = await env.answer(await env.command("recommend", uid=5401))
    assert "From your 4 rated reviews" in found["embeds"][0]["description"]
    paddington = next(
        r for r in env.engine.libraries.reviews(library_of(A), 5401) if r.title == "Paddington 2"
    )
    deleted = await env.answer(
        await env.command("review delete", uid=5401, review=paddington.review_id)
    )
    assert "Deleted" in shown(deleted)
    assert len(env.engine.libraries.reviews(library_of(A), 5401)) == 3
    forgotten = await env.answer(await env.command("taste forget", uid=5401))
    assert "Deleted 3 ratings" in forgotten["content"] and forgotten["flags"] & 64
    assert env.engine.libraries.reviews(library_of(A), 5401) == []


async def test_a_file_that_is_no_ratings_export_is_refused(env):
    upload = fake_discord.attachment(env.fake, "notes.txt", b"just some words")
    callback = await env.callback(
        await env.command("taste import", uid=5501, attachments={"file": upload}, file="notes.txt")
    )
    assert "not a ratings export" in shown(callback.body)


async def test_nothing_of_one_servers_taste_is_used_in_another(env):
    upload = fake_discord.attachment(env.fake, "ratings-b.csv", RATINGS.encode())
    await env.answer(
        await env.command(
            "taste import", uid=5601, guild=B, attachments={"file": upload}, file="ratings-b.csv"
        )
    )
    in_b = await env.answer(await env.command("recommend", uid=5601, guild=B))
    assert "From your 4 rated reviews" in in_b["embeds"][0]["description"]
    in_a = await env.answer(await env.command("recommend", uid=5601, guild=A))
    assert "you have none yet" in in_a["embeds"][0]["description"]
    stranger = await env.answer(await env.command("recommend", uid=5699, guild=A))
    assert in_a["embeds"][0]["fields"] == stranger["embeds"][0]["fields"]  # nothing of B's used
    kind, data = fake_discord.slash_members("movienight", {"first": 5602}, uid=5601)
    payload = await env.interact(kind, data, uid=5601, guild=A)
    night = await env.fake.wait_for(
        lambda r: payload["token"] in r.path and r.method == "POST" and "poll" in (r.body or {})
    )
    assert "user601 and user602 have fewer than 3 rated reviews" in shown(night.body)
    recommend = await env.callback(await env.command("recommend", guild=False))
    assert "server" in shown(recommend.body).lower()

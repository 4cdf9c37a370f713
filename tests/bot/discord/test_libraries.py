"""Every server its own library, against the fake Discord with two servers and DMs: what one
server adds never shows in another or in a DM; members post, edit and delete their own
reviews; managers act on their own server's library only; the base library is the
operators'."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest

from index import library_of
from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import Env, within_limits

pytestmark = pytest.mark.asyncio(loop_scope="module")

A, B = fake_discord.GUILD_ID, fake_discord.GUILD_B_ID
MANAGER = (fake_discord.MANAGER_ROLE_ID,)
LANTERNS = {
    "id": "l1",
    "title": "Harbour of Lanterns",
    "year": 2024,
    "rating": "9/10",
    "reviewer": "Bea",
    "countries": ["KR"],
    "genres": ["Thriller"],
    "text": "A ferry captain smuggles paper lanterns past the coastguard every full moon.",
}
MEMBER_WORDS = "Quillon thinks the moonlit ferry scene with the paper lanterns is unforgettable."


async def post(
    env: Env, film: str, text: str, uid: int, guild: int = B, rating: str | None = None
) -> dict[str, Any]:
    """/review post, then the modal: the answer the member finally sees."""
    options = {"film": film} | ({"rating": rating} if rating else {})
    command = await env.command("review post", uid=uid, guild=guild, **options)
    callback = await env.callback(command)
    if callback.body["type"] != 9:  # refused before the form opened
        return callback.body["data"]
    kind, data = fake_discord.modal_submit(callback.body["data"], {"Your review": text})
    return await env.answer(await env.interact(kind, data, uid=uid, guild=guild))


async def ingest(env: Env, guild: int, records: list[dict[str, Any]], name: str) -> dict[str, Any]:
    upload = fake_discord.attachment(env.fake, name, "\n".join(map(json.dumps, records)).encode())
    payload = await env.command(
        "ingest", guild=guild, roles=MANAGER, attachments={"file": upload}, file="x"
    )
    done = await env.fake.wait_for(
        lambda r: (
            payload["token"] in r.path
            and r.method == "PATCH"
            and "fields" in (r.body.get("embeds") or [{}])[0]
        ),
        timeout=120,
    )
    return done.body


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


@pytest.fixture(scope="module", autouse=True)
def generous_limits(env):
    """Limits of their own tests aside, these tests post more than a member may in an hour."""
    limits = env.bot.settings.libraries
    old = (limits.member_reviews_per_hour, limits.server_reviews_per_hour)
    env.bot.limits.member_reviews.uses = env.bot.limits.server_reviews.uses = 10_000
    yield
    env.bot.limits.member_reviews.uses, env.bot.limits.server_reviews.uses = old


async def test_server_bs_upload_and_member_reviews_never_show_in_server_a_or_a_dm(env):
    report = await ingest(env, B, [LANTERNS], "lanterns.jsonl")
    assert {f["name"]: f["value"] for f in report["embeds"][0]["fields"]}["Added"] == "1"
    saved = await post(env, "Train to Busan", MEMBER_WORDS, uid=3001, rating="9/10")
    within_limits(saved)
    assert "Saved: Train to Busan (2016)" in shown(saved) and saved["flags"] & 64
    question = "paper lanterns smuggled past the coastguard on a moonlit ferry"
    in_b = shown(await env.answer(await env.command("search", guild=B, query=question)))
    assert "Harbour of Lanterns" in in_b and "Quillon" in in_b
    for place in ({"guild": A}, {"guild": False}):
        answer = shown(await env.answer(await env.command("search", query=question, **place)))
        assert "Harbour of Lanterns" not in answer and "Quillon" not in answer, place
        film = shown(
            await env.answer(await env.command("film", title="Harbour of Lanterns", **place))
        )
        assert "Harbour of Lanterns (2024)" not in film and "ferry captain" not in film
        busan = shown(await env.answer(await env.command("film", title="Train to Busan", **place)))
        assert "Quillon" not in busan and "user1" not in busan
        kind, data = fake_discord.slash("film", focused="title", title="harbour of lant")
        suggested = await env.callback(await env.interact(kind, data, **place), timeout=10)
        assert "Harbour" not in shown(suggested.body)
    dm_channel = 930000000000000077
    dm = fake_discord.message_create(question, uid=3002, guild=False, channel_id=dm_channel)
    await env.fake.dispatch("MESSAGE_CREATE", dm)
    reply = await env.fake.wait_for(
        lambda r: r.method == "POST" and r.path.endswith(f"/channels/{dm_channel}/messages")
    )
    assert reply.body["embeds"]  # it answered, from the base library
    assert "Harbour of Lanterns" not in shown(reply.body) and "Quillon" not in shown(reply.body)


async def test_stats_show_the_servers_library_apart_from_the_base_library(env):
    await post(env, "Oldboy", "Hallway fight, once more with feeling.", uid=3003)
    in_b = await env.answer(await env.command("stats", guild=B))
    in_a = await env.answer(await env.command("stats", guild=A))
    names_b = {f["name"]: f["value"] for f in in_b["embeds"][0]["fields"]}
    names_a = {f["name"]: f["value"] for f in in_a["embeds"][0]["fields"]}
    assert names_b["Base library"] == names_a["Base library"]
    assert "This server's library" in names_b and "This server's library" not in names_a


async def test_a_member_edits_their_review_in_the_form_it_was_written_in(env):
    await post(env, "Spirited Away", "The bathhouse at night.", uid=3004, rating="8")
    mine = env.engine.libraries.reviews(library_of(B), 3004)
    kind, data = fake_discord.slash("review edit", focused="review", review="spirited")
    suggested = await env.callback(await env.interact(kind, data, uid=3004, guild=B), timeout=10)
    assert [c["value"] for c in suggested.body["data"]["choices"]] == [mine[0].review_id]
    command = await env.command("review edit", uid=3004, guild=B, review=mine[0].review_id)
    form = (await env.callback(command)).body
    assert form["type"] == 9
    prefilled = {
        f["label"]: f.get("value") for row in form["data"]["components"] for f in row["components"]
    }
    assert (
        prefilled["Your review"] == "The bathhouse at night."
        and prefilled["Rating: 0-10, 4/5 or ★★★★ (optional)"] == "8"
    )
    kind, data = fake_discord.modal_submit(
        form["data"],
        {"Your review": "The bathhouse at dawn.", "Rating: 0-10, 4/5 or ★★★★ (optional)": "5/5"},
    )
    saved = await env.answer(await env.interact(kind, data, uid=3004, guild=B))
    assert "bathhouse at dawn" in shown(saved)
    again = env.engine.libraries.reviews(library_of(B), 3004)
    assert [(r.review_id, r.rating, r.text) for r in again] == [
        (mine[0].review_id, 10.0, "The bathhouse at dawn.")
    ]


async def test_nobody_changes_a_review_that_is_not_theirs(env):
    await post(env, "Heat", "Quillon's second: the diner scene.", uid=3005)
    rid = env.engine.libraries.reviews(library_of(B), 3005)[0].review_id
    # Another member of the same server, and server A's managers, may not delete it.
    for who in ({"uid": 3006, "guild": B}, {"uid": 3007, "guild": A, "roles": MANAGER}):
        answer = await env.answer(await env.command("review delete", review=rid, **who))
        assert "not one of your reviews" in shown(answer), who
        edit = await env.callback(await env.command("review edit", review=rid, **who))
        assert edit.body["type"] == 4 and "not one of your reviews" in shown(edit.body)
    assert env.engine.libraries.reviews(library_of(B), 3005)
    # A manager of A cannot even see B's reviews to choose from.
    kind, data = fake_discord.slash("review delete", focused="review", review="")
    offered = await env.callback(await env.interact(kind, data, uid=3007, guild=A, roles=MANAGER))
    assert rid not in shown(offered.body)
    # The member themself may; so may B's managers (on another review).
    await env.answer(await env.command("review delete", uid=3005, guild=B, review=rid))
    assert not env.engine.libraries.reviews(library_of(B), 3005)
    await post(env, "Heat", "Quillon's third: the airport runway.", uid=3005)
    other = env.engine.libraries.reviews(library_of(B), 3005)[0].review_id
    done = await env.answer(
        await env.command("review delete", uid=3008, guild=B, roles=MANAGER, review=other)
    )
    assert "Deleted" in shown(done) and not env.engine.libraries.reviews(library_of(B), 3005)


async def test_a_review_that_cannot_be_saved_says_why_and_gives_the_words_back(env):
    answer = await post(env, "Heat", "@everyone my words ``` matter", uid=3009, rating="11/10")
    text = answer["content"]
    assert "Not saved: rating '11/10' is outside its scale 0-10" in text
    assert "my words" in text and text.count("```") == 2 and "@everyone" in text
    assert answer["allowed_mentions"]["parse"] == [] and answer["flags"] & 64


async def test_reindexing_the_base_library_is_refused_to_managers_who_are_not_operators(env):
    for who in ({"roles": MANAGER}, {"roles": MANAGER, "guild": B}, {"guild": False}):
        callback = await env.callback(await env.command("library reindex-base", **who))
        assert "Only the bot's operators" in shown(callback.body), who
    owner = await env.command("library reindex-base", uid=fake_discord.OWNER_ID)
    assert (await env.callback(owner)).body["type"] == 5
    done = await env.fake.wait_for(
        lambda r: (
            owner["token"] in r.path
            and r.method == "PATCH"
            and "fields" in (r.body.get("embeds") or [{}])[0]
        ),
        timeout=120,
    )
    assert "Re-index of the base library" in shown(done.body)
    env.bot.settings.discord.operator_ids = [4242]
    try:
        operator = await env.command("library reindex-base", uid=4242, guild=False)
        assert (await env.callback(operator)).body["type"] == 5
        await env.fake.wait_for(
            lambda r: (
                operator["token"] in r.path
                and r.method == "PATCH"
                and "fields" in (r.body.get("embeds") or [{}])[0]
            ),
            timeout=120,
        )
    finally:
        env.bot.settings.discord.operator_ids = []


async def test_a_servers_reindex_rereads_only_its_own_uploads(env):
    before_a = env.engine.stats(library_of(A))["reviews"]
    payload = await env.command("reindex", guild=B, roles=MANAGER)
    done = await env.fake.wait_for(
        lambda r: (
            payload["token"] in r.path
            and r.method == "PATCH"
            and "fields" in (r.body.get("embeds") or [{}])[0]
        ),
        timeout=120,
    )
    fields = {f["name"]: f["value"] for f in done.body["embeds"][0]["fields"]}
    assert fields["Unchanged"] == "1" and fields["Added"] == "0"  # lanterns.jsonl, already in
    assert env.engine.stats(library_of(A))["reviews"] == before_a
    empty = await env.callback(await env.command("reindex", guild=A, roles=MANAGER))
    assert "Nothing has been uploaded" in shown(empty.body)


async def test_managers_export_their_library_as_jsonl_and_members_cannot(env):
    refused = await env.callback(await env.command("library export", guild=B))
    assert "Only admins" in shown(refused.body)
    payload = await env.command("library export", guild=B, roles=MANAGER)
    sent = await env.fake.wait_for(
        lambda r: payload["token"] in r.path and r.method == "POST" and r.files
    )
    ((name, content),) = sent.files.items()
    records = [json.loads(line) for line in content.decode().splitlines()]
    assert name == f"cinebot-library-{B}.jsonl"
    assert {r["title"] for r in records} >= {"Harbour of Lanterns", "Train to Busan"}
    in_a = await env.answer(await env.command("library export", guild=A, roles=MANAGER))
    assert "Harbour" not in shown(in_a) and "library is empty" in shown(in_a)


async def test_members_are_limited_per_hour_and_servers_per_day_of_uploads(env):
    limits = env.bot.limits
    limits.member_reviews.uses = 2
    try:
        for i in range(2):
            assert "Saved" in shown(await post(env, "Heat", f"Limit test {i}.", uid=3100))
        refused = await post(env, "Heat", "One too many.", uid=3100)
        assert "as many reviews as allowed (2 a hour)" in refused["content"]
        assert "Saved" in shown(await post(env, "Heat", "Someone else.", uid=3101))
    finally:
        limits.member_reviews.uses = 10_000
    limits.uploads.uses = 0  # the day's uploads are used up
    try:
        upload = fake_discord.attachment(env.fake, "late.jsonl", b"{}")
        refused = await env.callback(
            await env.command(
                "ingest", guild=B, roles=MANAGER, attachments={"file": upload}, file="x"
            )
        )
        assert "uploaded as many files as allowed" in shown(refused.body)
    finally:
        limits.uploads.uses = env.bot.settings.libraries.uploads_per_day


async def test_fifteen_forms_submitted_together_save_exactly_the_limit(env):
    """Each form opens while the member is under the limit; submitted at once, the limit is
    taken before each save, so exactly ten are saved and the rest get their words back."""
    limits = env.bot.limits
    limits.member_reviews.uses = 10
    uid = 3200
    try:
        forms = []
        for i in range(15):
            callback = await env.callback(
                await env.command("review post", uid=uid, guild=B, film="Heat")
            )
            assert callback.body["type"] == 9  # every form opens: nothing is taken yet
            forms.append(
                fake_discord.modal_submit(callback.body["data"], {"Your review": f"Burst {i}."})
            )
        sent = await asyncio.gather(
            *(env.interact(kind, data, uid=uid, guild=B) for kind, data in forms)
        )
        answers = await asyncio.gather(*(env.answer(p, timeout=120) for p in sent))
    finally:
        limits.member_reviews.uses = 10_000
    saved = [a for a in answers if "Saved" in shown(a)]
    refused = [a for a in answers if "as many reviews as allowed" in shown(a)]
    assert (len(saved), len(refused)) == (10, 5)
    assert all("Your words, to post again" in a["content"] for a in refused)
    mine = env.engine.libraries.reviews(library_of(B), uid)
    assert len(mine) == 10


async def test_a_hundred_reviews_in_a_row_are_kept_searchable_and_versions_stay_bounded(env):
    index_dir = env.engine.settings.index_dir
    versions, searches = [], []
    for i in range(100):
        saved = await post(
            env,
            "Dawn of the Dead",
            f"Mall review {i}: escalators and {i} zombies.",
            uid=3200 + i % 9,
        )
        assert "Saved" in shown(saved), saved
        versions.append(len(list(index_dir.glob("v[0-9]*"))))
        if i % 10 == 0:  # a search while the next commits run
            searches.append(
                await env.command("search", guild=B, uid=3300 + i, query="mall zombies")
            )
    answers = await asyncio.gather(*(env.answer(s) for s in searches))
    assert all(a["embeds"][0]["fields"] for a in answers)
    assert max(versions) <= 4, versions
    mine = env.engine.libraries.reviews(library_of(B), matching="Dawn of the Dead")
    assert sum(r.text.startswith("Mall review") for r in mine) == 100
    found = shown(
        await env.answer(await env.command("search", guild=B, query="mall review 77 escalators"))
    )
    assert "Dawn of the Dead" in found


async def test_a_manager_deletes_the_whole_library_after_confirming(env):
    other = await post(env, "Heat", "Server A's own words about Heat.", uid=3400, guild=A)
    assert "Saved" in shown(other)
    payload = await env.command("library delete", guild=B, roles=MANAGER)
    question = (await env.callback(payload)).body["data"]
    assert "cannot be undone" in question["content"]
    confirm = next(c for c in fake_discord.custom_ids(question) if c["label"].startswith("Delete"))
    message = {**env.fake.messages[env.fake.originals[payload["token"]]], "flags": 64}
    press = fake_discord.interaction(
        3,
        {"custom_id": confirm["custom_id"], "component_type": 2},
        guild=B,
        roles=MANAGER,
        message=message,
    )
    await env.fake.dispatch("INTERACTION_CREATE", press)
    await env.fake.wait_for(
        lambda r: (
            payload["token"] in r.path
            and r.method == "PATCH"
            and "Deleted" in (r.body.get("content") or "")
        ),
        timeout=60,
    )
    assert env.engine.libraries.reviews(library_of(B)) == []
    assert not (env.bot.settings.discord.upload_dir / str(B)).exists()
    assert len(env.engine.libraries.reviews(library_of(A))) == 1  # A's library untouched


async def until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not get there in time")


async def test_a_left_servers_library_is_kept_then_purged_unless_the_bot_comes_back(env):
    await post(env, "Heat", "Written before the bot was removed.", uid=3500)
    gone = library_of(B)
    await env.fake.dispatch("GUILD_DELETE", {"id": str(B)})
    await until(lambda: gone in env.engine.libraries.departed())
    await env.fake.dispatch(
        "GUILD_CREATE", fake_discord.guild(B, fake_discord.CHANNEL_B_ID, "Back")
    )
    await until(
        lambda: gone not in env.engine.libraries.departed()
    )  # re-added: nothing will be purged
    await env.fake.dispatch("GUILD_DELETE", {"id": str(B)})
    await until(lambda: gone in env.engine.libraries.departed())
    left = dt.datetime.fromisoformat(env.engine.libraries.departed()[gone])
    keep = dt.timedelta(days=env.bot.settings.libraries.keep_days)
    assert env.engine.libraries.purge_expired(left + keep / 2) == []
    assert env.engine.libraries.reviews(gone)  # kept meanwhile
    assert env.engine.libraries.purge_expired(left + keep) == [gone]
    assert env.engine.libraries.reviews(gone) == []

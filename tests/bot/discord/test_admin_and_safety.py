"""Admin re-indexing, hostile input, slow and concurrent work, against the fake Discord."""

import asyncio
import json
import logging
import threading
import time

import pytest

from bot.discord.app import serve
from index import library_of
from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import TOKEN, pointed_at, within_limits

pytestmark = pytest.mark.asyncio(loop_scope="module")
WORDS = [
    "lighthouse",
    "keeper",
    "storm",
    "island",
    "violin",
    "orchard",
    "desert",
    "heist",
    "wedding",
    "ghost",
    "robot",
    "circus",
]


def generated(n, prefix):
    for i in range(n):
        words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(60))
        yield {
            "id": f"{prefix}-{i}",
            "title": f"{prefix.title()} Film {i}",
            "year": 2000 + i % 20,
            "rating": "7/10",
            "countries": ["Iceland"],
            "genres": ["Drama"],
            "text": f"Review {i} of a film about {words}.",
        }


async def test_reindex_is_refused_to_members_without_the_role_or_manage_server(env):
    for who in ({"roles": ()}, {"guild": False}):
        callback = await env.callback(await env.command("reindex", **who))
        assert callback.body["type"] == 4 and callback.body["data"]["flags"] & 64
        assert "Only admins" in callback.body["data"]["content"]
    upload = fake_discord.attachment(env.fake, "x.jsonl", b"{}")
    refused = await env.callback(
        await env.command("ingest", attachments={"file": upload}, file="x")
    )
    assert "Only admins" in refused.body["data"]["content"]


async def test_reindexing_the_base_library_grows_it_while_searches_keep_answering(env, tmp_path):
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "more.jsonl").write_text("\n".join(json.dumps(r) for r in generated(400, "extra")))
    env.engine.settings.review_paths = [folder]
    before = env.engine.stats()["reviews"]
    try:
        reindex = await env.command("library reindex-base", uid=fake_discord.OWNER_ID)
        assert (await env.callback(reindex)).body["type"] == 5
        await env.fake.wait_for(
            lambda r: (
                reindex["token"] in r.path
                and r.method == "PATCH"
                and "Embedding" in str(r.body.get("embeds"))
            )
        )
        during = [
            await env.command("search", query=q, uid=600 + i)
            for i, q in enumerate(
                ("a lonely lighthouse in a storm", "Korean action thrillers rated 8+")
            )
        ]
        answers = [await env.answer(p) for p in during]
        assert all(a["embeds"][0]["fields"] for a in answers)
        done = await env.fake.wait_for(
            lambda r: (
                reindex["token"] in r.path
                and r.method == "PATCH"
                and "fields" in (r.body.get("embeds") or [{}])[0]
            ),
            timeout=180,
        )
        within_limits(done.body)
        fields = {f["name"]: f["value"] for f in done.body["embeds"][0]["fields"]}
        assert fields["Added"] == "400"
        answered_during = [
            r
            for r in env.fake.requests
            if r.method == "POST" and any(p["token"] in r.path for p in during)
        ]
        assert all(r.at < done.at for r in answered_during)  # answered before the re-index finished
    finally:
        env.engine.settings.review_paths = []
    assert env.engine.stats()["reviews"] == before + 400


async def test_second_reindex_while_one_runs_is_refused(env):
    async with env.bot.reindex_lock:
        callback = await env.callback(
            await env.command("library reindex-base", uid=fake_discord.OWNER_ID)
        )
    assert (
        callback.body["data"]["flags"] & 64
        and "already running" in callback.body["data"]["content"]
    )


async def test_ingest_of_an_uploaded_file_reports_per_record_results(env):
    lines = [json.dumps(r) for r in generated(3, "upload")] + [
        "{broken",
        json.dumps({"title": "No Text"}),
    ]
    upload = fake_discord.attachment(env.fake, "batch.jsonl", "\n".join(lines).encode())
    payload = await env.command(
        "ingest", roles=(fake_discord.MANAGER_ROLE_ID,), attachments={"file": upload}, file="x"
    )
    done = await env.fake.wait_for(
        lambda r: (
            payload["token"] in r.path
            and r.method == "PATCH"
            and "fields" in (r.body.get("embeds") or [{}])[0]
        ),
        timeout=120,
    )
    within_limits(done.body)
    fields = {f["name"]: f["value"] for f in done.body["embeds"][0]["fields"]}
    assert fields["Added"] == "3" and fields["Rejected"] == "2"
    assert "batch.jsonl:line 4: not valid JSON" in str(done.body)
    assert env.engine.resolve_title("Upload Film 1", library_of(fake_discord.GUILD_ID)).film
    assert env.engine.resolve_title("Upload Film 1").film is None  # not in DMs
    saved = list(env.bot.settings.discord.upload_dir.glob("*/*/*"))
    assert [p.name for p in saved] == ["batch.jsonl"] and saved[0].parent.name == payload["id"]
    assert saved[0].parent.parent.name == str(fake_discord.GUILD_ID)


@pytest.mark.parametrize(
    ("name", "size", "reason"),
    [("notes.exe", 10, "not accepted"), ("big.csv", 50 * 2**20, "the limit is")],
)
async def test_uploads_of_the_wrong_type_or_size_are_refused(env, name, size, reason):
    upload = fake_discord.attachment(env.fake, name, b"x") | {"size": size}
    callback = await env.callback(
        await env.command(
            "ingest", roles=(fake_discord.ADMIN_ROLE_ID,), attachments={"file": upload}, file="x"
        )
    )
    assert callback.body["data"]["flags"] & 64 and reason in callback.body["data"]["content"]


async def test_hostile_review_is_rendered_safely(env):
    nasty = (
        "@everyone @here <@123456789> <@&987654321> <#555> **bold** __under__ ||spoiler|| `code` "
        "[click me](https://evil.example/x) discord.gg/invite # Heading\n> quote "
    )
    record = {
        "id": "hostile",
        "title": "@everyone Zebra Crossing <@&1>",
        "year": 2020,
        "rating": "9/10",
        "countries": ["Iceland"],
        "genres": ["Drama"],
        "reviewer": "@here [me](https://x.y)",
        "text": "A zebra crossing story. " + nasty * 60,
    }  # ~10,000 characters
    assert len(record["text"]) > 9000
    upload = fake_discord.attachment(env.fake, "hostile.jsonl", json.dumps(record).encode())
    payload = await env.command(
        "ingest", roles=(fake_discord.ADMIN_ROLE_ID,), attachments={"file": upload}, file="x"
    )
    await env.fake.wait_for(
        lambda r: (
            payload["token"] in r.path
            and r.method == "PATCH"
            and "fields" in (r.body.get("embeds") or [{}])[0]
        ),
        timeout=120,
    )
    for command, options in (
        ("search", {"query": "zebra crossing"}),
        ("film", {"title": "Zebra Crossing"}),
    ):
        message = await env.answer(await env.command(command, **options))
        within_limits(message)
        rendered = json.dumps(message["embeds"], ensure_ascii=False)
        assert "Zebra" in rendered
        for raw in (
            "@everyone",
            "@here",
            "<@123456789>",
            "<@&987654321>",
            "<#555>",
            "](https://",
            "https://evil",
            "discord.gg/invite",
        ):
            assert raw not in rendered, raw
        assert message["allowed_mentions"]["parse"] == []


async def test_slow_search_is_acknowledged_within_the_deadline(env, monkeypatch):
    real = env.engine.ask

    def slow(*args, **kwargs):
        time.sleep(4)
        return real(*args, **kwargs)

    monkeypatch.setattr(env.engine, "ask", slow)
    payload = await env.command("search", query="westerns")
    callback = await env.callback(payload)
    sent, answered = env.fake.interaction_times[payload["id"]]
    assert callback.body["type"] == 5 and answered - sent < 3.0
    message = await env.answer(payload, timeout=30)
    assert message["embeds"][0]["fields"]


async def test_fifty_concurrent_searches_are_all_answered(env):
    questions = [
        "Korean action thrillers rated 8+",
        "French comedies",
        "zombies",
        "westerns after 1990",
        "not horror dramas",
    ]
    payloads = await asyncio.gather(
        *(env.command("search", query=questions[i % 5], uid=700 + i) for i in range(50))
    )
    answers = await asyncio.gather(*(env.answer(p, timeout=120) for p in payloads))
    assert len(answers) == 50
    for answer in answers:
        within_limits(answer)
        assert answer["embeds"][0]["fields"]


async def test_without_the_message_content_intent_the_bot_runs_on_and_says_so(env, caplog):
    fake = fake_discord.FakeDiscord(refuse_privileged_intents=True)
    await fake.start()
    bots = []
    caplog.set_level(logging.DEBUG)
    with pointed_at(fake):
        task = asyncio.create_task(
            serve(
                env.bot.settings,
                TOKEN,
                engine=env.engine,
                started=bots.append,
                guild_ready_timeout=0.05,
            )
        )
        for _ in range(600):
            if len(bots) == 2 and bots[1].is_ready():
                break
            await asyncio.sleep(0.05)
        assert len(bots) == 2 and not bots[1].intents.message_content
        await bots[1].close()
        await asyncio.wait_for(task, 30)
    await fake.stop()
    assert "message content intent is not enabled" in caplog.text
    assert TOKEN not in caplog.text


async def test_autocomplete_answers_from_memory_while_a_new_version_is_still_opening(
    env, tmp_path, monkeypatch
):
    """Autocomplete never opens an index on the event loop: while a newly published version
    takes its time to open (in a worker), suggestions come from the version in memory, and
    the new version's titles follow once it is open."""
    from index import engine as engine_module

    env.engine.snapshot()
    late = tmp_path / "late.jsonl"
    late.write_text(
        json.dumps(
            {
                "id": "late-1",
                "title": "Latecomer Lighthouse",
                "year": 2024,
                "text": "A keeper arrives late to a lighthouse in a storm.",
            }
        )
    )
    await asyncio.to_thread(env.engine.ingest, [late])  # published, not yet opened
    release = threading.Event()
    real_open = engine_module.open_snapshot

    def slow_open(*args, **kwargs):
        release.wait(60)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(engine_module, "open_snapshot", slow_open)
    try:
        kind, data = fake_discord.slash("film", focused="title", title="dawn of teh dead")
        callback = await env.callback(await env.interact(kind, data), timeout=10)
        assert callback.body["data"]["choices"][0]["value"] == "Dawn of the Dead (1978)"
        assert not release.is_set()  # answered while the new version was still opening
    finally:
        release.set()
    live = env.engine.store.current_name()
    for _ in range(200):  # opened in the background, not by anything called here
        if (loaded := env.engine.loaded()) is not None and loaded.name == live:
            break
        await asyncio.sleep(0.05)
    kind, data = fake_discord.slash("film", focused="title", title="latecomer")
    callback = await env.callback(await env.interact(kind, data), timeout=10)
    assert callback.body["data"]["choices"][0]["value"] == "Latecomer Lighthouse (2024)"


async def test_a_catalogue_poster_is_the_thumbnail_of_the_top_film_and_of_its_page(env, tmp_path):
    films = tmp_path / "posters.csv"
    films.write_text(
        "title,year,poster_url\nOldboy,2003,https://img.example/oldboy.jpg\n"
        "Heat,1995,javascript:alert(1)\n"
    )
    done = await asyncio.to_thread(env.engine.import_catalogue, [films], None, False)
    assert done.sources[str(films)].kept == 2
    page = await env.answer(await env.command("film", title="Oldboy"))
    assert page["embeds"][0]["thumbnail"]["url"] == "https://img.example/oldboy.jpg"
    found = await env.answer(
        await env.command("search", query="Korean action thrillers rated 8+", uid=880)
    )
    assert found["embeds"][0]["fields"][0]["name"].endswith("Oldboy (2003)")
    assert found["embeds"][0]["thumbnail"]["url"] == "https://img.example/oldboy.jpg"
    heat = await env.answer(await env.command("film", title="Heat"))
    assert "thumbnail" not in heat["embeds"][0]  # not a web address: never shown


async def test_invisible_and_control_characters_neither_break_a_reply_nor_spoof_a_title(env):
    """A right-to-left override would show "Night of the Living Dead" reversed to others;
    zero-width characters would hide words from the parser; escapes would reach clients."""
    record = {
        "id": "spoof",
        "title": "Sp\u202eoof\u200b Film\x07",
        "year": 2001,
        "reviewer": "Mal\u2066lory\u2069",
        "rating": "8/10",
        "countries": ["Iceland"],
        "text": "A lonely lighth\u200bouse keeper \x07and a storm over the \u202efjord.",
    }
    upload = fake_discord.attachment(env.fake, "spoof.jsonl", json.dumps(record).encode())
    payload = await env.command(
        "ingest", roles=(fake_discord.MANAGER_ROLE_ID,), attachments={"file": upload}, file="x"
    )
    done = await env.fake.wait_for(
        lambda r: (
            payload["token"] in r.path
            and r.method == "PATCH"
            and "fields" in (r.body.get("embeds") or [{}])[0]
        ),
        timeout=120,
    )
    assert "control or invisible characters removed" in json.dumps(done.body)
    question = "Ice\u200blandic lighthouse \u202estories\x1b[2J"
    message = await env.answer(await env.command("search", query=question, uid=991))
    within_limits(message)
    shown = json.dumps(message, ensure_ascii=False)
    assert "Spoof Film (2001)" in shown and "Filters: Iceland" in shown
    for hidden in ("\u202e", "\u200b", "\u2066", "\x1b", "\x07"):
        assert hidden not in shown

"""What one server adds is nowhere else, against the fake Discord with three servers and DMs.

Server B uploads a film nobody else has (its country, language, genres, director, cast,
runtime and year given in the record), a second review of a film the base library knows by
title and year alone (so B's view fills its gaps) and a review of a catalogue film nobody
else reviews; B's members post reviews. Then, for every way of asking (film pages, /search
with every kind of filter, /similar, autocomplete, chat follow-ups, "More like this",
/recommend, /stats, spelling correction, title recognition), server A (which has a library of
its own), server C (which has none) and a DM are shown exactly what they were shown before B
added anything: no title, name, fact or count of B's, and no effect on which films come, in
what order, or on the filters read back. B is shown all of it, and nothing of A's."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from index import SAMPLE_CATALOGUE, library_of
from index.knowledge import filters as registry
from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import Env, within_limits
from tests.bot.discord.test_libraries import ingest, post

pytestmark = pytest.mark.asyncio(loop_scope="module")

A, B, C = fake_discord.GUILD_ID, fake_discord.GUILD_B_ID, fake_discord.GUILD_C_ID
Place = int | bool  # a server's id, or False for a DM
OTHERS: dict[str, Place] = {"server A": A, "server C": C, "a DM": False}
ASKER = 6001  # who asks everywhere (views are bound to the asker)

# The base library knows this film by title and year only: no catalogue film, no facts.
TIDEWATER = {
    "id": "tide-base",
    "title": "The Tidewater Clock",
    "year": 2012,
    "rating": 6,
    "reviewer": "Ines",
    "text": "A retired clockmaker repairs the tower clock of a harbour town while the tides "
    "keep rising; patient, quiet and a little too long.",
}
# A catalogue film no review names until B's does.
GLASS_CATALOGUE_ROW = ",Glass Harbour,2011,NO,Drama,Zbigniew Korlath,Ada Vinterberg,101,no,\r\n"
# Server A's own upload: what B must never see.
COPPER = {
    "id": "copper-1",
    "title": "Copper Orchard",
    "year": 2016,
    "rating": 7,
    "reviewer": "Aino",
    "countries": ["FI"],
    "languages": ["fi"],
    "genres": ["Drama", "Family"],
    "director": "Oskari Vehmas",
    "cast": ["Lumi Haaparanta"],
    "runtime": 104,
    "text": "Two sisters string copper wire between apple trees to keep the frost away.",
}
# Server B's upload: a film only B has, and what B's reviewer says of the base library's film.
SALT = {
    "id": "salt-1",
    "title": "The Salt Cartographer",
    "year": 2019,
    "rating": "8/10",
    "reviewer": "Bryn",
    "countries": ["IS"],
    "languages": ["is"],
    "genres": ["Western", "Mystery"],
    "director": "Ysolde Marrack",
    "cast": ["Torvald Brennic", "Maren Solvik"],
    "runtime": 143,
    "text": "A surveyor maps the salt flats on horseback and finds that the map redraws "
    "itself every night.",
}
TIDEWATER_IN_B = {
    "id": "tide-b",
    "title": "The Tidewater Clock",
    "year": 2012,
    "rating": "9/10",
    "reviewer": "Bryn",
    "countries": ["EE"],
    "languages": ["et"],
    "genres": ["Mystery"],
    "director": "Ysolde Marrack",
    "cast": ["Torvald Brennic"],
    "runtime": 97,
    "text": "The clockmaker's tower chimes at the wrong hours, and each wrong hour brings "
    "the tide closer.",
}
GLASS = {
    "id": "glass-b",
    "title": "Glass Harbour",
    "year": 2011,
    "rating": "7/10",
    "reviewer": "Bryn",
    "text": "Rowers cross a harbour of glass at dawn and hear it crack.",
}
B_MEMBERS = (  # (member, film, rating, words)
    (6101, "The Salt Cartographer", "9", "Quillon adores the horseback surveyor and the salt."),
    (6102, "Train to Busan", "7", "Wrenna counts the train carriages like a clockmaker."),
)
# Anything of these outside B, unless the asker typed it, came from B.
B_SECRETS = (
    "Salt Cartographer",
    "Ysolde",
    "Marrack",
    "Torvald",
    "Brennic",
    "Maren",
    "Solvik",
    "Bryn",
    "Quillon",
    "Wrenna",
    "surveyor",
    "redraws",
    "wrong hour",
    "carriages",
    "Iceland",
    "Estonia",
    "143 min",
    "97 min",
    "Glass Harbour",
    "Korlath",
    "Vinterberg",
    "Rowers",
)
A_SECRETS = ("Copper Orchard", "Oskari", "Vehmas", "Haaparanta", "Aino", "copper wire", "Finland")


# ---------------------------------------------------------------------------- asking
def seen(message: dict[str, Any]) -> dict[str, Any]:
    """What a person sees of a message: its words, embeds and controls, without the ids that
    Discord and discord.py make up each time."""
    within_limits(message)
    controls = [
        {k: v for k, v in c.items() if k != "custom_id"} for c in fake_discord.custom_ids(message)
    ]
    return {
        "content": message.get("content") or "",
        "embeds": message.get("embeds") or [],
        "components": controls,
        "flags": (message.get("flags") or 0) & 64,
    }


def text(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


async def slash(env: Env, place: Place, name: str, **options: Any) -> dict[str, Any]:
    return await env.answer(await env.command(name, uid=ASKER, guild=place, **options))


Run = Callable[[Env, Place, int], Awaitable[list[dict[str, Any]]]]


def film(title: str) -> Run:
    async def run(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
        return [seen(await slash(env, place, "film", title=title))]

    return run


def search(question: str) -> Run:
    async def run(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
        return [seen(await slash(env, place, "search", query=question))]

    return run


def similar(title: str) -> Run:
    async def run(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
        return [seen(await slash(env, place, "similar", title=title))]

    return run


def autocomplete(command: str, option: str, so_far: str) -> Run:
    """The choices autocomplete offers for what was typed so far."""

    async def run(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
        if command.startswith("review") and place is False:
            return []  # members' reviews are per server: no such command in a DM
        kind, data = fake_discord.slash(command, focused=option, **{option: so_far})
        callback = await env.callback(
            await env.interact(kind, data, uid=ASKER, guild=place), timeout=10
        )
        return [{"choices": [c["name"] for c in callback.body["data"]["choices"]]}]

    return run


def more_like_this(question: str) -> Run:
    """/search, then the first film of its "More like this" menu."""

    async def run(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
        message = await slash(env, place, "search", query=question)
        menu = next(c for c in fake_discord.custom_ids(message) if c["type"] == 3)
        pick = {"custom_id": menu["custom_id"], "component_type": 3}
        pick["values"] = [menu["options"][0]["value"]]
        chosen = await env.interact(
            3, pick, uid=ASKER, guild=place, message=env.fake.messages[message["id"]]
        )
        return [seen(message), seen(await env.answer(chosen))]

    return run


def chat(*lines: str, mentions: int = 1) -> Run:
    """A conversation: the first `mentions` lines mention the bot (in a DM, no need), the
    rest follow up."""

    async def run(env: Env, place: Place, uid: int) -> list[dict[str, Any]]:
        channel = 930000000000000000 + uid if place is False else fake_discord.CHANNELS[place]
        replies = []
        for n, line in enumerate(lines):
            mention = n < mentions and place is not False
            content = f"<@{fake_discord.APP_ID}> {line}" if mention else line
            message = fake_discord.message_create(
                content, uid=uid, guild=place, mentions_bot=mention, channel_id=channel
            )
            start = len(env.fake.requests)
            await env.fake.dispatch("MESSAGE_CREATE", message)
            reply = await env.fake.wait_for(
                lambda r: r.method == "POST" and r.path == f"/api/v10/channels/{channel}/messages",
                after=start,
            )
            replies.append(seen(reply.body))
        return replies

    return run


def recommend(question: str) -> Run:
    """/recommend for someone with no reviews here: the films reviewers here rate best."""

    async def run(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
        if place is False:
            return []  # a taste is per server: no such command in a DM
        return [seen(await slash(env, place, "recommend", question=question))]

    return run


async def stats(env: Env, place: Place, _: int) -> list[dict[str, Any]]:
    return [seen(await slash(env, place, "stats"))]


@dataclass(frozen=True)
class Case:
    """One way of asking. `typed`: the asker's own words (a secret they typed is theirs).
    `in_b`: per message, what B must be shown ("!x": what it must not be). `question`: a
    /search's words."""

    name: str
    run: Run
    typed: str
    in_b: tuple[tuple[str, ...], ...]
    question: str = ""


def asked(name: str, question: str, *in_b: str) -> Case:
    return Case(name, search(question), question, (in_b,), question)


CASES = (
    Case(
        "film page of B's own film",
        film("The Salt Cartographer"),
        "The Salt Cartographer",
        (
            (
                "The Salt Cartographer (2019)",
                "**Countries:** Iceland",
                "**Language:** Icelandic",
                "**Genres:** Western, Mystery",
                "**Director:** Ysolde Marrack",
                "**Cast:** Torvald Brennic, Maren Solvik",
                "**Runtime:** 143 min",
                "2 review(s)",
                "horseback surveyor",
            ),
        ),
    ),
    Case(
        "film page of a base film whose gaps B's review fills",
        film("The Tidewater Clock"),
        "The Tidewater Clock",
        (
            (
                "**Countries:** Estonia",
                "**Language:** Estonian",
                "**Genres:** Mystery",
                "**Director:** Ysolde Marrack",
                "**Cast:** Torvald Brennic",
                "**Runtime:** 97 min",
                "2 review(s)",
                "wrong hours",
            ),
        ),
    ),
    Case(
        "film page of a base film B's members review",
        film("Train to Busan (2016)"),
        "Train to Busan (2016)",
        (("3 review(s)", "carriages"),),
    ),
    asked("country", "Icelandic films", "Filters: Iceland", "1. The Salt Cartographer (2019)"),
    asked("country, filled", "Estonian films", "1. The Tidewater Clock (2012)", "Films 1–1 of 1"),
    asked(
        "country exclusion",
        "clockmaker tides, not from Estonia",
        "not Estonia",
        "!The Tidewater Clock",
    ),
    asked(
        "language", "films in Icelandic", "Icelandic language", "1. The Salt Cartographer (2019)"
    ),
    asked(
        "language exclusion",
        "clockmaker films, nothing in Estonian",
        "not in Estonian",
        "!The Tidewater Clock",
    ),
    asked(
        "genres, all of them",
        "western mysteries",
        "Western + Mystery",
        "1. The Salt Cartographer (2019)",
        "Films 1–1 of 1",
    ),
    asked("genre", "mysteries about a clockmaker", "1. The Tidewater Clock (2012)"),
    asked(
        "genres, any of them",
        "mysteries or westerns about a clockmaker",
        "1. The Tidewater Clock (2012)",
    ),
    asked("genre exclusion", "clockmaker stories, no mysteries", "!The Tidewater Clock"),
    asked("rating", "clockmaker stories rated 8+", "1. The Tidewater Clock (2012)"),
    asked("year", "films from 2019 about mapping salt flats", "1. The Salt Cartographer (2019)"),
    asked("runtime, at most", "clockmaker films under 100 minutes", "1. The Tidewater Clock"),
    asked(
        "runtime, at least",
        "salt flats films longer than 140 minutes",
        "1. The Salt Cartographer (2019)",
    ),
    asked(
        "director",
        "films directed by Ysolde Marrack",
        "Filters: directed by Ysolde Marrack",
        "Films 1–2 of 2",
    ),
    asked(
        "cast",
        "starring Torvald Brennic",
        "Filters: starring Torvald Brennic",
        "Films 1–2 of 2",
    ),
    asked(
        "cast, every one",
        "starring Torvald Brennic and Maren Solvik",
        "starring Torvald Brennic and Maren Solvik",
        "1. The Salt Cartographer (2019)",
        "Films 1–1 of 1",
    ),
    asked(
        "people exclusion",
        "clockmaker stories without Ysolde Marrack",
        "without Ysolde Marrack",
        "!The Tidewater Clock",
        "!The Salt Cartographer",
    ),
    asked(
        "spelling correction of B's director",
        "films by Ysolde Marack",
        "Filters: directed by Ysolde Marrack",
        "Films 1–2 of 2",
    ),
    asked(
        "spelling correction of B's actor",
        "starring Torvald Brenic",
        "Filters: starring Torvald Brennic",
        "Films 1–2 of 2",
    ),
    asked(
        "a catalogue film's director only B's review names",
        "films by Zbigniew Korlath",
        "1. Glass Harbour (2011)",
        "Films 1–1 of 1",
    ),
    asked(
        "spelling correction of a catalogue film's actor only B's review names",
        "starring Ada Vintrberg",
        "Filters: starring Ada Vinterberg",
        "1. Glass Harbour (2011)",
    ),
    asked("title recognition", "The Salt Cartographer", "1. The Salt Cartographer (2019)"),
    asked(
        "title recognition, more like it",
        "more like The Salt Cartographer",
        "Films like The Salt Cartographer",
    ),
    Case(
        "/similar of B's own film",
        similar("The Salt Cartographer"),
        "The Salt Cartographer",
        (("Films like The Salt Cartographer", "1. "),),
    ),
    Case(
        "/similar of a base film",
        similar("The Tidewater Clock"),
        "The Tidewater Clock",
        (("Films like The Tidewater Clock", "Train to Busan (2016)"),),
    ),
    Case(
        "autocomplete of /similar",
        autocomplete("similar", "title", "salt cart"),
        "salt cart",
        (("The Salt Cartographer (2019)",),),
    ),
    Case(
        "autocomplete of /film",
        autocomplete("film", "title", "the salt"),
        "the salt",
        (("The Salt Cartographer (2019)",),),
    ),
    Case(
        "autocomplete of /review post",
        autocomplete("review post", "film", "salt cart"),
        "salt cart",
        (("The Salt Cartographer (2019)",),),
    ),
    Case(
        "chat with follow-ups",
        chat(
            "mysteries about clocks and salt maps", "like the second one", "only after 2015", "more"
        ),
        "mysteries about clocks and salt maps like the second one only after 2015 more",
        (
            ("1. The Salt Cartographer (2019)", "2. The Tidewater Clock (2012)"),
            ("Films like The Tidewater Clock",),
            ("Mystery · 2016 or later", "The Salt Cartographer (2019)", "!The Tidewater Clock"),
            ("That's all I have",),
        ),
    ),
    Case(
        "chat about a film by its title, then one misspelt",
        chat(
            "film The Salt Cartographer",
            "like The Salt Cartographer",
            "film salt cartografer",
            mentions=3,
        ),
        "film The Salt Cartographer like The Salt Cartographer film salt cartografer",
        (
            ("The Salt Cartographer (2019)", "**Director:** Ysolde Marrack"),
            ("Films like The Salt Cartographer",),
            ("The Salt Cartographer (2019)", "**Countries:** Iceland"),
        ),
    ),
    Case(
        "/recommend with a question",
        recommend("mysteries about tower clocks chiming the wrong hours"),
        "mysteries about tower clocks chiming the wrong hours",
        (("The Tidewater Clock (2012)", "wrong hours"),),
    ),
    Case(
        "More like this after /search",
        more_like_this("western mysteries about mapping salt flats"),
        "western mysteries about mapping salt flats",
        (("The Salt Cartographer (2019)",), ("Films like The Salt Cartographer",)),
    ),
    Case(
        "/stats",
        stats,
        "",
        (
            (
                "This server's library",
                "5 reviews of 4 films",
                "Iceland 1",
                "Estonia 1",
                "Norway 2",
                "Western 5",
                "Mystery 13",
                "Last re-index: 20",
            ),
        ),
    ),
)


async def everything(env: Env, place: Place, uid: int) -> dict[str, list[dict[str, Any]]]:
    return {case.name: await case.run(env, place, uid) for case in CASES}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def before(env: Env, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The base library's film of a title and a year, a catalogue film nobody reviews, and
    A's own upload; what A, C and a DM are shown of every case then; and then B's upload and
    B's members' reviews."""
    folder = tmp_path_factory.mktemp("base")
    catalogue = folder / "films.csv"
    catalogue.write_bytes(SAMPLE_CATALOGUE.read_bytes() + GLASS_CATALOGUE_ROW.encode())
    await env.bot.call(env.engine.import_catalogue, [catalogue], tmdb=False)
    (folder / "tidewater.jsonl").write_text(json.dumps(TIDEWATER), encoding="utf-8")
    await env.bot.call(env.engine.ingest, [folder / "tidewater.jsonl"])
    await ingest(env, A, [COPPER], "copper.jsonl")
    shown = {where: await everything(env, place, 7001) for where, place in OTHERS.items()}
    report = await ingest(env, B, [SALT, TIDEWATER_IN_B, GLASS], "salt.jsonl")
    assert {f["name"]: f["value"] for f in report["embeds"][0]["fields"]}["Added"] == "3"
    for uid, title, rating, words in B_MEMBERS:
        saved = await post(env, title, words, uid=uid, guild=B, rating=rating)
        assert "Saved" in text([saved]), saved
    return shown


def _leaked(secrets: tuple[str, ...], typed: str, messages: list[dict[str, Any]]) -> list[str]:
    shown = text(messages).casefold()
    return [s for s in secrets if s.casefold() in shown and s.casefold() not in typed.casefold()]


async def test_b_sees_everything_it_added_and_nothing_of_a(env, before):
    for case in CASES:
        messages = await case.run(env, B, 7101)
        assert len(messages) == len(case.in_b), case.name
        for message, expected in zip(messages, case.in_b, strict=True):
            shown = text([message])
            for bit in expected:
                if bit.startswith("!"):
                    assert bit[1:] not in shown, (case.name, bit, shown)
                else:
                    assert bit in shown, (case.name, bit, shown)
        assert not _leaked(A_SECRETS, case.typed, messages), case.name


async def test_the_searches_set_every_kind_of_filter_there_is(env, before):
    """Every filter the registry declares is asked for, in words B's facts answer."""
    asked_for = set()
    for case in CASES:
        if case.question:
            result = await env.bot.call(env.engine.ask, case.question, library=library_of(B))
            asked_for |= {f.key for f in registry.active(result.query.filters)}
    assert asked_for == {f.key for f in registry.FILTERS}


@pytest.mark.parametrize("where", OTHERS)
async def test_elsewhere_everything_is_as_it_was_before_b_added_anything(env, before, where):
    """Not only is nothing of B's shown: nothing B added changes what is shown here (which
    films, in what order, their facts and counts, the filters read back)."""
    now = await everything(env, OTHERS[where], 7002 + list(OTHERS).index(where))
    for case in CASES:
        messages = now[case.name]
        assert not _leaked(B_SECRETS, case.typed, messages), (case.name, messages)
        if where != "server A":
            assert not _leaked(A_SECRETS, case.typed, messages), (case.name, messages)
    changed = {c.name: now[c.name] for c in CASES if now[c.name] != before[where][c.name]}
    assert not changed, f"changed by what B added: {list(changed)}"


async def test_a_members_review_of_a_film_only_b_has_is_a_film_of_their_own(env, before):
    """A member of A reviews, by its title alone, a film only B has: in A it is A's own film
    (no year, fact or review of B's); B's film stays as B knows it; nobody else sees either."""
    saved = await post(env, "The Salt Cartographer", "Aino's salt pans.", uid=6201, guild=A)
    assert "Saved: The Salt Cartographer" in text([saved])
    (in_a,) = await film("The Salt Cartographer")(env, A, 0)
    assert in_a["embeds"][0]["title"] == "The Salt Cartographer"  # not B's year
    assert in_a["embeds"][0]["footer"]["text"].startswith("1 review(s)")
    assert not _leaked(B_SECRETS, "The Salt Cartographer", [in_a])
    (in_b,) = await film("The Salt Cartographer")(env, B, 0)
    assert in_b["embeds"][0]["title"] == "The Salt Cartographer (2019)"
    assert in_b["embeds"][0]["footer"]["text"].startswith("2 review(s)")
    assert "salt pans" not in text([in_b])
    for place in (C, False):
        (elsewhere,) = await film("The Salt Cartographer")(env, place, 0)
        assert elsewhere["flags"] and "No film called" in elsewhere["content"]

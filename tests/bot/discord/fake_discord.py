"""A small fake Discord for end-to-end tests: REST and gateway on 127.0.0.1, recording what the
real discord.py client sends. Only what cinebot uses is implemented; anything else is a 404
that the test will notice."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 900000000000000001
OWNER_ID = 900000000000000042
GUILD_ID = 900000000000000100
CHANNEL_ID = 900000000000000200
GUILD_B_ID = 900000000000000101  # a second server: its library must never show in the first
CHANNEL_B_ID = 900000000000000201
GUILD_C_ID = 900000000000000102  # a third server, with no library of its own
CHANNEL_C_ID = 900000000000000202
CHANNELS = {GUILD_ID: CHANNEL_ID, GUILD_B_ID: CHANNEL_B_ID, GUILD_C_ID: CHANNEL_C_ID}
ADMIN_ROLE_ID = 900000000000000300
MANAGER_ROLE_ID = 900000000000000301
MANAGE_GUILD = 1 << 5
NOW = "2026-11-25T12:00:00.000000+00:00"


def user(uid: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(uid),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user(APP_ID, "cinebot", bot=True)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)
    files: dict[str, bytes] = field(default_factory=dict)  # multipart uploads by file name


@dataclass
class PollState:
    """A poll's votes (user id -> answers chosen), and whether it ended and was counted."""

    multiple: bool = False
    votes: dict[int, set[int]] = field(default_factory=dict)
    ended: bool = False
    finalized: bool = False


DISCORD_EPOCH_MS = 1420070400000


def snowflake_time(snowflake: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, dt.UTC)


def poll_refused(body: Any) -> dict[str, Any] | None:
    """Discord's checks on a poll in a new message: 1-10 answers of up to 55 characters, a
    question of up to 300, whole hours from 1 to 768 (32 days)."""
    poll = body.get("poll") if isinstance(body, dict) else None
    if not poll:
        return None
    answers = poll.get("answers") or []
    hours = float(poll.get("duration", 24))
    problems = [
        "question longer than 300" if len(poll["question"].get("text") or "") > 300 else "",
        "1 to 10 answers" if not 1 <= len(answers) <= 10 else "",
        "answer longer than 55"
        if any(len(a["poll_media"].get("text") or "") > 55 for a in answers)
        else "",
        "duration must be whole hours, 1 to 768"
        if hours != int(hours) or not 1 <= hours <= 768
        else "",
    ]
    wrong = [p for p in problems if p]
    return {"message": "Invalid Form Body", "code": 50035, "errors": wrong} if wrong else None


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py compares the content type exactly; aiohttp's json_response would add a charset.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def guild(guild_id: int, channel_id: int, name: str) -> dict[str, Any]:
    """A server as GUILD_CREATE sends it, with an admin role and a Manage Server role."""
    return {
        "id": str(guild_id),
        "name": name,
        "owner_id": str(OWNER_ID),
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": str(1 << 11 | 1 << 10),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
            {
                "id": str(ADMIN_ROLE_ID),
                "name": "cinebot-admin",
                "permissions": "0",
                "position": 1,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
            {
                "id": str(MANAGER_ROLE_ID),
                "name": "managers",
                "permissions": str(MANAGE_GUILD),
                "position": 2,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
        ],
        "channels": [
            {
                "id": str(channel_id),
                "type": 0,
                "name": "films",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "rate_limit_per_user": 0,
                "guild_id": str(guild_id),
            }
        ],
        "joined_at": NOW,
        "large": False,
        "member_count": 3,
        "members": [],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "unavailable": False,
    }


class FakeDiscord:
    def __init__(self, refuse_privileged_intents: bool = False) -> None:
        self.refuse_privileged_intents = refuse_privileged_intents
        self.requests: list[Request] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.originals: dict[str, str] = {}  # interaction token -> message id
        self.interaction_times: dict[str, tuple[float, float | None]] = {}  # id -> (sent, answered)
        self.attachments: dict[str, bytes] = {}
        self.polls: dict[str, PollState] = {}  # message id -> its votes and state
        self.poll_results: list[dict[str, Any]] = []  # poll result messages (type 46) sent
        self.identify: dict[str, Any] | None = None
        self.ready = asyncio.Event()
        self._ids = itertools.count(910000000000000000)
        self._seq = 0
        self._ws: web.WebSocketResponse | None = None
        self._changed = asyncio.Condition()
        self.port = 0
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 2**20)
        r = app.router
        r.add_get("/gateway", self._gateway)
        r.add_get("/attachments/{name}", self._attachment)
        api = "/api/v10"
        r.add_get(f"{api}/users/@me", self._me)
        r.add_get(f"{api}/oauth2/applications/@me", self._application)
        r.add_get(f"{api}/gateway", self._gateway_url)
        r.add_get(f"{api}/gateway/bot", self._gateway_url)
        r.add_put(f"{api}/applications/{{app}}/commands", self._commands)
        r.add_put(f"{api}/applications/{{app}}/guilds/{{guild}}/commands", self._commands)
        r.add_post(f"{api}/interactions/{{iid}}/{{token}}/callback", self._callback)
        r.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        r.add_route(
            "*", f"{api}/webhooks/{{app}}/{{token}}/messages/{{mid}}", self._webhook_message
        )
        r.add_post(f"{api}/channels/{{cid}}/messages", self._channel_message)
        r.add_post(f"{api}/channels/{{cid}}/typing", self._typing)
        r.add_get(f"{api}/channels/{{cid}}/messages/{{mid}}", self._get_message)
        r.add_post(f"{api}/channels/{{cid}}/polls/{{mid}}/expire", self._expire_poll)
        r.add_get(f"{api}/channels/{{cid}}/polls/{{mid}}/answers/{{aid}}", self._poll_voters)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.base}/api/v10"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------ REST
    async def _body(self, request: web.Request) -> tuple[Any, dict[str, bytes]]:
        if request.content_type == "application/json":
            return await request.json(), {}
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            payload = form.get("payload_json")
            files = {
                v.filename: v.file.read() for v in form.values() if isinstance(v, web.FileField)
            }
            return (json.loads(payload) if isinstance(payload, str) else {}), files
        text = await request.text()
        return (json.loads(text) if text else None), {}

    async def _record(self, request: web.Request) -> Any:
        body, files = await self._body(request)
        self.requests.append(
            Request(request.method, request.path, dict(request.query), body, files=files)
        )
        async with self._changed:
            self._changed.notify_all()
        return body

    async def _typing(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.Response(status=204)

    async def _me(self, request: web.Request) -> web.Response:
        await self._record(request)
        return _json(BOT_USER)

    async def _gateway_url(self, request: web.Request) -> web.Response:
        await self._record(request)
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.ws_url, "shards": 1, "session_start_limit": limit})

    async def _application(self, request: web.Request) -> web.Response:
        await self._record(request)
        return _json(
            {
                "id": str(APP_ID),
                "name": "cinebot",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user(OWNER_ID, "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "summary": "",
            }
        )

    async def _commands(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        return _json(
            [
                {**c, "id": str(next(self._ids)), "application_id": str(APP_ID), "version": "1"}
                for c in body
            ]
        )

    def _message(self, data: dict[str, Any], channel_id: str, webhook: bool) -> dict[str, Any]:
        mid = str(next(self._ids))
        message = {
            "id": mid,
            "channel_id": channel_id,
            "type": 0,
            "author": BOT_USER,
            "content": data.get("content") or "",
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": NOW,
            "edited_timestamp": None,
            "flags": data.get("flags") or 0,
            **({"webhook_id": str(APP_ID), "application_id": str(APP_ID)} if webhook else {}),
        }
        if data.get("poll"):
            message["poll"] = self._new_poll(data["poll"], mid)
        self.messages[mid] = message
        return message

    async def _callback(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        iid, token = request.match_info["iid"], request.match_info["token"]
        sent, _ = self.interaction_times.get(iid, (time.monotonic(), None))
        self.interaction_times[iid] = (sent, time.monotonic())
        kind, data = body["type"], body.get("data") or {}
        interaction: dict[str, Any] = {
            "id": iid,
            "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool((data.get("flags") or 0) & 64),
        }
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):
            message = self._message(
                data if kind == 4 else {"flags": data.get("flags")}, str(CHANNEL_ID), webhook=True
            )
            self.originals[token] = message["id"]
            interaction["response_message_id"] = message["id"]
            resource["message"] = message
        elif kind == 7:  # update the message the component was on
            original = self.originals.get(token)
            if original:
                self.messages[original].update(
                    {k: v for k, v in data.items() if k in ("content", "embeds", "components")}
                )
                resource["message"] = self.messages[original]
        return _json({"interaction": interaction, "resource": resource})

    async def _followup(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if (refused := poll_refused(body)) is not None:
            return _json(refused, status=400)
        return _json(self._message(body, str(CHANNEL_ID), webhook=True))

    async def _webhook_message(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        mid = request.match_info["mid"]
        if mid == "@original":
            mid = self.originals.get(request.match_info["token"], "")
        if mid not in self.messages:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        if request.method == "PATCH":
            self.messages[mid].update(
                {k: v for k, v in body.items() if k in ("content", "embeds", "components")}
            )
            self.messages[mid]["edited_timestamp"] = NOW
        elif request.method == "DELETE":
            return web.Response(status=204)
        return _json(self.messages[mid])

    async def _channel_message(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if (refused := poll_refused(body)) is not None:
            return _json(refused, status=400)
        return _json(self._message(body, request.match_info["cid"], webhook=False))

    async def _attachment(self, request: web.Request) -> web.Response:
        return web.Response(body=self.attachments[request.match_info["name"]])

    # ------------------------------------------------------------------ polls
    def _new_poll(self, asked: dict[str, Any], message_id: str) -> dict[str, Any]:
        """A poll as Discord stores it: answers numbered from 1, `duration` (hours) turned
        into `expiry`, results not yet counted."""
        created = snowflake_time(int(message_id))
        expiry = created + dt.timedelta(hours=float(asked.get("duration", 24)))
        self.polls[message_id] = PollState(multiple=bool(asked.get("allow_multiselect")))
        return {
            "question": asked["question"],
            "answers": [
                {"answer_id": i, "poll_media": answer["poll_media"]}
                for i, answer in enumerate(asked["answers"], 1)
            ],
            "expiry": expiry.isoformat(),
            "allow_multiselect": bool(asked.get("allow_multiselect")),
            "layout_type": asked.get("layout_type", 1),
            "results": {"is_finalized": False, "answer_counts": []},
        }

    def _poll_results(self, message_id: str) -> dict[str, Any]:
        """Counts only for answers someone chose (Discord leaves the others out)."""
        state = self.polls[message_id]
        counts = Counter(a for chosen in state.votes.values() for a in chosen)
        return {
            "is_finalized": state.finalized,
            "answer_counts": [
                {"id": answer, "count": n, "me_voted": False}
                for answer, n in sorted(counts.items())
            ],
        }

    async def vote(
        self, message_id: str, user_id: int, answer_id: int, guild_id: int = GUILD_ID
    ) -> None:
        """A member votes (apps may not); in a single-choice poll a new vote replaces theirs.
        The bot hears it as Discord sends it: MESSAGE_POLL_VOTE_REMOVE, then _ADD."""
        state, message = self.polls[message_id], self.messages[message_id]
        answers = {a["answer_id"] for a in message["poll"]["answers"]}
        if state.ended or answer_id not in answers:
            raise ValueError("that poll has ended, or has no such answer")
        event = {
            "user_id": str(user_id),
            "channel_id": message["channel_id"],
            "message_id": message_id,
            "guild_id": str(guild_id),
        }
        chosen = state.votes.setdefault(user_id, set())
        if not state.multiple:
            for old in sorted(chosen):
                chosen.discard(old)
                await self.dispatch("MESSAGE_POLL_VOTE_REMOVE", {**event, "answer_id": old})
        chosen.add(answer_id)
        message["poll"]["results"] = self._poll_results(message_id)
        await self.dispatch("MESSAGE_POLL_VOTE_ADD", {**event, "answer_id": answer_id})

    async def _get_message(self, request: web.Request) -> web.Response:
        await self._record(request)
        mid = request.match_info["mid"]
        if mid not in self.messages:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        message = self.messages[mid]
        if mid in self.polls:
            message["poll"]["results"] = self._poll_results(mid)
        return _json({**message, "guild_id": str(GUILD_ID)})

    async def _expire_poll(self, request: web.Request) -> web.Response:
        """End Poll: the message back at once with the counts so far (not yet finalised);
        the final tally follows, as Discord's does, as a MESSAGE_UPDATE and a poll result
        message (type 46) in the channel."""
        await self._record(request)
        mid = request.match_info["mid"]
        state = self.polls.get(mid)
        if state is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        if self.messages[mid]["author"]["id"] != BOT_USER["id"]:
            return _json({"message": "Cannot expire a poll of another user", "code": 50013}, 403)
        if state.ended:
            return _json({"message": "Poll has already ended", "code": 520001}, status=400)
        state.ended = True
        message = self.messages[mid]
        message["poll"]["expiry"] = dt.datetime.now(dt.UTC).isoformat()
        message["poll"]["results"] = self._poll_results(mid)
        answer = {**message, "guild_id": str(GUILD_ID)}
        asyncio.get_running_loop().call_later(0.2, lambda: asyncio.ensure_future(self._tally(mid)))
        return _json(answer)

    async def _tally(self, mid: str) -> None:
        state, message = self.polls[mid], self.messages[mid]
        state.finalized = True
        results = message["poll"]["results"] = self._poll_results(mid)
        await self.dispatch("MESSAGE_UPDATE", {**message, "guild_id": str(GUILD_ID)})
        counts = {c["id"]: c["count"] for c in results["answer_counts"]}
        fields = [
            {"name": "poll_question_text", "value": message["poll"]["question"]["text"]},
            {"name": "total_votes", "value": str(sum(counts.values()))},
            {"name": "victor_answer_votes", "value": str(max(counts.values(), default=0))},
        ]
        leaders = [a for a, n in counts.items() if n == max(counts.values(), default=0)]
        if len(leaders) == 1:  # no winner is named on a tie, nor without votes
            text = next(
                a["poll_media"]["text"]
                for a in message["poll"]["answers"]
                if a["answer_id"] == leaders[0]
            )
            fields += [
                {"name": "victor_answer_id", "value": str(leaders[0])},
                {"name": "victor_answer_text", "value": text},
            ]
        result = {
            **self._message(
                {"embeds": [{"type": "poll_result", "fields": fields}]},
                message["channel_id"],
                webhook=False,
            ),
            "type": 46,
            "mentions": [BOT_USER],
            "message_reference": {
                "type": 0,
                "message_id": mid,
                "channel_id": message["channel_id"],
                "guild_id": str(GUILD_ID),
            },
            "guild_id": str(GUILD_ID),
        }
        self.messages[result["id"]] = result
        self.poll_results.append(result)
        await self.dispatch("MESSAGE_CREATE", result)

    async def _poll_voters(self, request: web.Request) -> web.Response:
        await self._record(request)
        state = self.polls.get(request.match_info["mid"])
        if state is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        answer = int(request.match_info["aid"])
        voters = sorted(uid for uid, chosen in state.votes.items() if answer in chosen)
        return _json({"users": [user(uid, f"user{uid % 1000}") for uid in voters]})

    # ------------------------------------------------------------------ gateway
    async def _send(self, op: int, data: Any, event: str | None = None) -> None:
        assert self._ws is not None, "no gateway connection"
        payload: dict[str, Any] = {"op": op, "d": data}
        if event:
            self._seq += 1
            payload.update(t=event, s=self._seq)
        await self._ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        if event == "INTERACTION_CREATE" and "message" in data:
            # For a component, "@original" is the message the component is on.
            self.originals[data["token"]] = data["message"]["id"]
        await self._send(0, data, event)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await self._send(10, {"heartbeat_interval": 41250})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                await self._send(11, None)
            elif frame["op"] == 2:
                self.identify = frame["d"]
                if self.refuse_privileged_intents and frame["d"]["intents"] & (1 << 15):
                    await ws.close(code=4014, message=b"Disallowed intent(s).")
                    break
                await self._ready(frame["d"].get("shard", [0, 1]))
        return ws

    async def _ready(self, shard: list[int]) -> None:
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": BOT_USER,
                "session_id": "fake-session",
                "guilds": [{"id": str(g), "unavailable": True} for g in CHANNELS],
                "resume_gateway_url": self.ws_url,
                "shard": shard,
                "application": {"id": str(APP_ID), "flags": 0},
            },
        )
        for n, (guild_id, channel_id) in enumerate(CHANNELS.items()):
            await self.dispatch(
                "GUILD_CREATE",
                guild(guild_id, channel_id, ("Film Club", "Other Club", "Third Club")[n]),
            )
        self.ready.set()

    # ------------------------------------------------------------------ helpers for tests
    async def wait_for(
        self, predicate: Callable[[Request], bool], timeout: float = 30.0, after: int = 0
    ) -> Request:
        """The first request (from index `after`) that matches, waiting for it if needed."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                for request in self.requests[after:]:
                    if predicate(request):
                        return request
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    paths = [f"{r.method} {r.path}" for r in self.requests[after:]]
                    raise TimeoutError(f"no matching request in {timeout} s; saw {paths}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    def sent_payloads(self) -> list[dict[str, Any]]:
        """Every message body the bot sent or edited (callbacks' data included)."""
        out = []
        for r in self.requests:
            if r.method in ("POST", "PATCH") and isinstance(r.body, dict):
                if r.path.endswith("/callback"):
                    if isinstance(r.body.get("data"), dict) and r.body["type"] in (4, 7):
                        out.append(r.body["data"])
                elif "/webhooks/" in r.path or r.path.endswith("/messages"):
                    out.append(r.body)
        return out


# ---------------------------------------------------------------------- interaction payloads
_ids = itertools.count(920000000000000000)
OPTION_TYPES = {str: 3, int: 4, bool: 5, float: 10}


def member(uid: int, roles: tuple[int, ...] = (), permissions: int = 0) -> dict[str, Any]:
    return {
        "user": user(uid, f"user{uid % 1000}"),
        "roles": [str(r) for r in roles],
        "joined_at": NOW,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
        "nick": None,
    }


def interaction(
    kind: int,
    data: dict[str, Any],
    uid: int = 1234,
    guild: bool | int = True,
    roles: tuple[int, ...] = (),
    permissions: int = 1 << 11,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`guild`: True for the first server, a server's id, or False for a DM."""
    payload: dict[str, Any] = {
        "id": str(next(_ids)),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"tok-{next(_ids)}",
        "version": 1,
        "data": data,
        "locale": "en-US",
        "app_permissions": str((1 << 41) - 1),
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 25 * 2**20,
    }
    if guild:
        gid = GUILD_ID if guild is True else int(guild)
        cid = CHANNELS[gid]
        payload.update(
            guild_id=str(gid),
            guild_locale="en-US",
            channel_id=str(cid),
            context=0,
            channel={
                "id": str(cid),
                "type": 0,
                "guild_id": str(gid),
                "name": "films",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            member=member(uid, roles, permissions),
        )
    else:
        dm = str(next(_ids))
        payload.update(
            channel_id=dm,
            context=1,
            user=user(uid, f"user{uid % 1000}"),
            channel={"id": dm, "type": 1, "recipients": [user(uid, f"user{uid % 1000}")]},
        )
    if message is not None:
        payload["message"] = message
    return payload


def slash(
    name: str,
    uid: int = 1234,
    attachments: dict[str, dict[str, Any]] | None = None,
    focused: str | None = None,
    **options: Any,
) -> tuple[int, dict[str, Any]]:
    """A slash command (or its autocomplete, with `focused`); "review post" is a subcommand."""
    opts: list[dict[str, Any]] = []
    for key, value in options.items():
        if key in (attachments or {}):
            opts.append({"name": key, "type": 11, "value": attachments[key]["id"]})  # type: ignore[index]
        else:
            opts.append(
                {"name": key, "type": OPTION_TYPES[type(value)], "value": value}
                | ({"focused": True} if key == focused else {})
            )
    command, *sub = name.split()
    if sub:
        opts = [{"name": sub[0], "type": 1, "options": opts}]
    data: dict[str, Any] = {"id": str(next(_ids)), "name": command, "type": 1, "options": opts}
    if attachments:
        data["resolved"] = {"attachments": {a["id"]: a for a in attachments.values()}}
    return (4 if focused else 2), data


def modal_submit(form: dict[str, Any], values: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """Submitting a modal the bot opened (`form`: its callback data), with text by label."""
    fields = [c for row in form["components"] for c in row["components"]]
    rows = [
        {
            "type": 1,
            "components": [
                {
                    "type": 4,
                    "custom_id": f["custom_id"],
                    "value": values.get(f["label"], f.get("value") or ""),
                }
            ],
        }
        for f in fields
    ]
    return 5, {"custom_id": form["custom_id"], "components": rows}


def attachment(fake: FakeDiscord, filename: str, content: bytes) -> dict[str, Any]:
    fake.attachments[filename] = content
    aid = str(next(_ids))
    url = f"{fake.base}/attachments/{filename}"
    return {
        "id": aid,
        "filename": filename,
        "size": len(content),
        "url": url,
        "proxy_url": url,
        "content_type": "text/plain",
    }


def message_create(
    content: str,
    uid: int = 1234,
    guild: bool | int = True,
    mentions_bot: bool = False,
    channel_id: int | None = None,
) -> dict[str, Any]:
    """`guild`: True for the first server, a server's id (in its channel), or False for a DM
    (in `channel_id`)."""
    gid = GUILD_ID if guild is True else int(guild)
    if channel_id is None:
        channel_id = CHANNELS[gid] if guild else CHANNEL_ID
    data: dict[str, Any] = {
        "id": str(next(_ids)),
        "channel_id": str(channel_id),
        "type": 0,
        "content": content,
        "author": user(uid, f"user{uid % 1000}"),
        "embeds": [],
        "attachments": [],
        "components": [],
        "mentions": [BOT_USER] if mentions_bot else [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": NOW,
        "edited_timestamp": None,
        "flags": 0,
    }
    if guild:
        data.update(guild_id=str(gid), member={k: v for k, v in member(uid).items() if k != "user"})
    return data


def custom_ids(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components", []) for c in row.get("components", [])]


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def slash_members(
    name: str, members: dict[str, int], uid: int = 1234, **options: Any
) -> tuple[int, dict[str, Any]]:
    """A slash command whose `members` options name server members (type 6), resolved as
    Discord sends them (the user and their member record)."""
    kind, data = slash(name, uid=uid, **options)
    data["options"] += [
        {"name": key, "type": 6, "value": str(member_id)} for key, member_id in members.items()
    ]
    data["resolved"] = {
        "users": {str(m): user(m, f"user{m % 1000}") for m in members.values()},
        "members": {
            str(m): {k: v for k, v in member(m).items() if k != "user"} for m in members.values()
        },
    }
    return kind, data

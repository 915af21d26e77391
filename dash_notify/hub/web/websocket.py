"""A subscribe stream over a websocket, framework-neutral: each step the stream
writes (one JSON line) is one text message. Used by the FastAPI and Quart adapters
(:mod:`.ws_fastapi`, :mod:`.ws_quart`); Flask serves no websockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from .messages import WebResponse
from .stream import Script, run_async

#: Close codes: normal (the stream ended: reconnect and resume with ``since``), and a
#: refusal sent after the handshake where the server cannot refuse before it (4000 +
#: the HTTP status, as several websocket APIs do).
NORMAL = 1000
REFUSED_BASE = 4000


async def _send_all(steps: Script, send: Callable[[str], Awaitable[None]], timeout: float) -> None:
    # a chunk holds every line the stream had at hand (several when it is behind, or
    # replaying): each line is a message of its own
    async for chunk in run_async(steps):
        for line in chunk.decode("utf-8").split("\n"):
            if line:
                # a client that stopped reading cannot hold the stream
                await asyncio.wait_for(send(line), timeout)


async def _listen(receive: Callable[[], Awaitable[bool]]) -> None:
    while await receive():
        pass  # what a client sends is ignored (as ntfy's server does)


async def serve(
    steps: Script,
    send: Callable[[str], Awaitable[None]],
    receive: Callable[[], Awaitable[bool]],
    write_timeout: float,
) -> None:
    """Send the stream until it ends (its lifetime, a poll's replay, a revoked token)
    or the client goes (``receive`` answers False, or the task is cancelled)."""
    sending = asyncio.ensure_future(_send_all(steps, send, write_timeout))
    listening = asyncio.ensure_future(_listen(receive))
    try:
        await asyncio.wait({sending, listening}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sending, listening):
            task.cancel()
        await asyncio.gather(sending, listening, return_exceptions=True)


async def run_accepted(
    answer: WebResponse,
    accept: Callable[[], Awaitable[None]],
    send: Callable[[str], Awaitable[None]],
    receive: Callable[[], Awaitable[bool]],
    write_timeout: float,
) -> None:
    """Accept the websocket and :func:`serve` the answer's stream; its place is given
    back however it ends (even when the stream never started)."""
    try:
        await accept()
        await serve(answer.stream, send, receive, write_timeout)
    finally:
        answer.stream.close()
        if answer.on_close is not None:
            answer.on_close()


def refusal_text(response: WebResponse) -> tuple[str, int]:
    """A refusal as a last message (the JSON error) and its close code."""
    try:
        body = json.loads(response.body or b"{}")
    except ValueError:
        body = {"error": "refused", "http": response.status}
    return json.dumps({"event": "error", **body}), REFUSED_BASE + response.status

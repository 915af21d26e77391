"""The Chrome DevTools Protocol over a raw websocket, for what selenium's
``execute_cdp_cmd`` cannot do: read events (``ServiceWorker.workerRegistrationUpdated``)
and drive the browser as a whole (``Browser.grantPermissions``), and deliver a push
message to a service worker (``ServiceWorker.deliverPushMessage``) with no push service.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from typing import Any

import websocket


class CDP:
    """One websocket to the browser target of a Chromium that selenium drives."""

    def __init__(self, driver, timeout: float = 10):
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{address}/json/version", timeout=timeout) as reply:
            url = json.load(reply)["webSocketDebuggerUrl"]
        self.socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def _receive(self, deadline: float) -> dict[str, Any]:
        self.socket.settimeout(max(0.05, deadline - time.monotonic()))
        return json.loads(self.socket.recv())

    def send(
        self, method: str, params: dict | None = None, session: str | None = None, timeout=10
    ) -> dict[str, Any]:
        """Send a command and wait for its result (events meanwhile are kept)."""
        number = next(self.ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self._receive(deadline)
            if reply.get("id") == number:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise AssertionError(f"{method}: no answer in {timeout} s")

    def wait_event(self, method: str, matches=lambda params: True, timeout: float = 10) -> dict:
        """The params of the first event ``method`` (received or to come) that matches."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event.get("method") == method and matches(event.get("params", {})):
                    return event["params"]
            seen = len(self.events)
            if time.monotonic() >= deadline:
                raise AssertionError(f"no {method} event in {timeout} s")
            try:
                self.events.append(self._receive(deadline))
            except websocket.WebSocketTimeoutException:
                pass

    def attach(self, url_prefix: str) -> str:
        """A session on the page target whose URL starts with ``url_prefix``."""
        targets = self.send("Target.getTargets")["targetInfos"]
        [page] = [t for t in targets if t["type"] == "page" and t["url"].startswith(url_prefix)]
        return self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})[
            "sessionId"
        ]

    def in_worker(self, url_part: str, expression: str) -> Any:
        """The value of ``expression`` (awaited) inside the service worker whose script
        URL contains ``url_part``: what it sees while no page of its app is open."""
        targets = self.send("Target.getTargets")["targetInfos"]
        [worker] = [t for t in targets if t["type"] == "service_worker" and url_part in t["url"]]
        session = self.send(
            "Target.attachToTarget", {"targetId": worker["targetId"], "flatten": True}
        )["sessionId"]
        try:
            result = self.send(
                "Runtime.evaluate",
                {"expression": expression, "awaitPromise": True, "returnByValue": True},
                session=session,
            )
        finally:
            self.send("Target.detachFromTarget", {"sessionId": session})
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def close(self) -> None:
        self.socket.close()


def worker_registration(cdp: CDP, session: str, scope_part: str) -> str:
    """The registration id of the service worker whose scope contains ``scope_part``."""
    cdp.send("ServiceWorker.enable", session=session)
    found = cdp.wait_event(
        "ServiceWorker.workerRegistrationUpdated",
        lambda params: any(
            scope_part in r["scopeURL"] and not r["isDeleted"] for r in params["registrations"]
        ),
    )
    [registration] = [r for r in found["registrations"] if scope_part in r["scopeURL"]]
    return registration["registrationId"]

"""The two foreign formats sent as their own documentation sends them, with curl: the
JupyterLab extension's /ingest example, and ntfy's examples against the app's root."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .serve import create_app
from .servers import ThreadServer

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


@pytest.fixture
def live_app(sqlite_url):
    app, hub = create_app(sqlite_url)
    server = ThreadServer(app.server)
    _, secret = hub.create_token("monitoring", ["*", "group:*"])
    yield hub, server, secret
    server.stop()
    hub.stores.close()


def curl(*args: str) -> dict:
    result = subprocess.run(
        ["curl", "--silent", "--show-error", "--fail-with-body", *args],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_jupyterlab_ingest_example(live_app):
    hub, server, secret = live_app
    # the seed's second curl example, with the URL changed
    reply = curl(
        "-X", "POST", f"{server.url}_dash_notify/ingest",
        "-H", "Content-Type: application/json",
        "-H", f"Authorization: token {secret}",
        "-d", """{
    "message": "Build failed on main branch",
    "type": "error",
    "autoClose": false,
    "actions": [{
      "label": "View Logs",
      "caption": "Open build logs",
      "displayType": "accent"
    }]
  }""",
    )  # fmt: skip
    assert reply["success"] is True
    [message] = hub.stores.messages.after({"*"}, 0, 10)
    assert message.options["title"] == "Build failed on main branch"
    assert message.options["severity"] == "High"
    assert message.options["requireInteraction"] is True
    assert message.options["actions"] == [{"action": "view-logs", "title": "View Logs"}]


def test_ntfy_examples_with_the_app_as_the_server(live_app):
    hub, server, secret = live_app
    base = server.url.rstrip("/")
    auth = ["-u", f":{secret}"]
    # ntfy's first example: a plain message to a topic
    curl(*auth, "-d", "Backup successful 😀", f"{base}/mytopic")
    # with a title, a priority and tags in headers
    curl(
        *auth,
        "-H", "Title: Unauthorized access detected",
        "-H", "Priority: urgent",
        "-H", "Tags: warning,skull",
        "-d", "Remote access to phils-laptop detected. Act right away.",
        f"{base}/phil_alerts",
    )  # fmt: skip
    # the JSON form, posted to the base URL with the topic inside
    curl(
        "-H", f"Authorization: Bearer {secret}",
        base,
        "-d", json.dumps({
            "topic": "mytopic",
            "message": "Disk space is low at 5.1 GB",
            "title": "Low disk space alert",
            "tags": ["warning", "cd"],
            "priority": 4,
            "click": "https://homecamera.example/",
            "actions": [{"action": "view", "label": "Admin panel", "url": "https://filesrv.example/admin"}],
        }),
    )  # fmt: skip
    # and PUT, through the hub's own ntfy path
    curl(*auth, "-X", "PUT", "-d", "Put, not posted", f"{server.url}_dash_notify/ntfy/mytopic")
    messages = hub.stores.messages.after({"group:mytopic", "group:phil_alerts"}, 0, 10)
    assert [(m.targets, m.options["title"], m.options["severity"]) for m in messages[:3]] == [
        (("group:mytopic",), "mytopic", "Medium"),
        (("group:phil_alerts",), "Unauthorized access detected", "Critical"),
        (("group:mytopic",), "Low disk space alert", "High"),
    ]
    assert messages[0].options["body"] == "Backup successful 😀"
    assert messages[1].options["data"]["ntfy"]["tags"] == ["warning", "skull"]
    assert messages[2].options["actions"] == [{"action": "view-0", "title": "Admin panel"}]
    assert messages[2].options["data"]["ntfy"]["click"] == "https://homecamera.example/"
    assert messages[2].options["url"] == "https://homecamera.example/"  # opened on a click
    assert messages[3].options["body"] == "Put, not posted"

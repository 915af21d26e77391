"""The dash-notify command: token management on a real store, and send against a live app."""

from __future__ import annotations

import contextlib
import http.server
import json
import subprocess
import sys
import threading

import pytest

from dash_notify.cli import main
from dash_notify.hub.core import Hub

from .serve import create_app
from .servers import ThreadServer


@pytest.fixture
def live_app(sqlite_url):
    app, hub = create_app(sqlite_url)
    server = ThreadServer(app.server)
    yield hub, server
    server.stop()
    hub.stores.close()


def create_token(store: str, capsys, *targets: str) -> tuple[str, str]:
    argv = ["token", "create", "--store", store, "--name", "ci"]
    for target in targets:
        argv += ["--to", target]
    assert main(argv) == 0
    lines = dict(line.split(":", 1) for line in capsys.readouterr().out.splitlines() if ":" in line)
    return lines["id"].strip(), lines["secret"].strip()


def test_token_create_list_revoke(sqlite_url, capsys):
    token_id, secret = create_token(sqlite_url, capsys, "group:deploys", "user:*")
    assert secret.startswith("dn_")
    assert main(["token", "list", "--store", sqlite_url]) == 0
    listed = capsys.readouterr().out
    assert token_id in listed and "active" in listed and "group:deploys user:*" in listed
    assert secret not in listed
    assert main(["token", "revoke", "--store", sqlite_url, token_id]) == 0
    main(["token", "list", "--store", sqlite_url])
    assert "revoked" in capsys.readouterr().out
    assert main(["token", "revoke", "--store", sqlite_url, "nope"]) == 1
    assert "no token" in capsys.readouterr().err


def test_token_create_rejects_bad_targets_and_needs_a_store(sqlite_url, capsys, monkeypatch):
    argv = ["token", "create", "--store", sqlite_url, "--name", "ci", "--to", "deploys"]
    assert main(argv) == 2
    assert "allowed" in capsys.readouterr().err
    monkeypatch.delenv("DASH_NOTIFY_STORE", raising=False)
    assert main(["token", "list", "--store", ""]) == 2


def test_send_publishes_with_the_token_from_the_environment(live_app, capsys, monkeypatch):
    hub, server = live_app
    _, secret = hub.create_token("ci", ["group:deploys"])
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", secret)
    argv = ["send", "--url", server.url, "--to", "group:deploys", "--title", "Deployed"]
    argv += ["--body", "v1.2 is live", "--severity", "High", "--data", '{"version": "1.2"}']
    argv += ["--category", "deploy", "--action", "open=Open", "--action", "undo=Roll back"]
    assert main(argv) == 0
    message_id = int(capsys.readouterr().out)
    [message] = hub.stores.messages.after({"group:deploys"}, 0, 10)
    assert message.id == message_id
    assert message.options == {
        "title": "Deployed",
        "body": "v1.2 is live",
        "severity": "High",
        "category": "deploy",
        "actions": [{"action": "open", "title": "Open"}, {"action": "undo", "title": "Roll back"}],
        "data": {"version": "1.2"},
    }


def test_send_reports_rejections_and_missing_settings(live_app, capsys, monkeypatch):
    hub, server = live_app
    _, secret = hub.create_token("ci", ["group:deploys"])
    monkeypatch.delenv("DASH_NOTIFY_TOKEN", raising=False)
    assert main(["send", "--url", server.url, "--title", "x"]) == 2
    assert "DASH_NOTIFY_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", secret)
    assert main(["send", "--url", server.url, "--title", "x"]) == 1  # to "*": not allowed
    assert "403" in capsys.readouterr().err
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", "dn_wrong")
    assert main(["send", "--url", server.url, "--to", "group:deploys", "--title", "x"]) == 1
    assert "401" in capsys.readouterr().err
    assert main(["send", "--url", server.url, "--title", "x", "--data", "{oops"]) == 2
    assert main(["send", "--url", server.url, "--title", "x", "--category", "Deploy"]) == 2
    assert "category" in capsys.readouterr().err
    assert main(["send", "--url", server.url, "--title", "x", "--action", "approve"]) == 2
    assert "ID=TITLE" in capsys.readouterr().err
    assert main(["send", "--url", "http://127.0.0.1:9/", "--title", "x"]) == 1
    assert "cannot reach" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["send", "--url", server.url, "--title", "x", "--severity", "Urgent"])
    assert hub.position().last == 0


def test_close_closes_by_tag_through_the_app(live_app, capsys, monkeypatch):
    hub, server = live_app
    _, secret = hub.create_token("jobs", ["group:deploys"])
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", secret)
    hub.publish({"title": "Deploying", "tag": "deploy-42"}, to="group:deploys")
    argv = ["close", "--url", server.url, "--to", "group:deploys", "deploy-42"]
    assert main(argv) == 0
    close_id = int(capsys.readouterr().out)
    [_, message] = hub.stores.messages.after({"group:deploys"}, 0, 10)
    assert (message.id, message.kind, message.options) == (close_id, "close", {"tag": "deploy-42"})
    assert message.publisher == "token:jobs"
    # refused by the hub (a target out of the token's reach), and refused before sending
    assert main(["close", "--url", server.url, "deploy-42"]) == 1
    assert "403" in capsys.readouterr().err
    assert main(["close", "--url", server.url, "--to", "group:deploys", "x" * 201]) == 2
    assert "tag" in capsys.readouterr().err
    assert main(["close", "--url", server.url, "--to", "deploys", "deploy-42"]) == 2
    assert hub.position().last == close_id


def test_the_installed_command_runs(sqlite_url):
    command = [sys.executable, "-m", "dash_notify.cli", "token", "list", "--store", sqlite_url]
    assert subprocess.run(command, capture_output=True, text=True, timeout=60).returncode == 0
    script = subprocess.run(
        ["dash-notify", "--help"], capture_output=True, text=True, timeout=60,
        env={"PATH": f"{sys.prefix}/bin"},
    )  # fmt: skip
    assert script.returncode == 0 and "token" in script.stdout


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers POSTs as ``self.server.answer(path)`` says, recording each request."""

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.seen.append((self.command, self.path, dict(self.headers), body))
        status, headers, reply = self.server.answer(self.path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def recording_server(answer):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.seen = []
    server.answer = answer
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


PUBLISHED = (201, {"Content-Type": "application/json"}, b'{"id": 41, "to": ["*"]}')


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_send_does_not_take_the_token_to_another_origin(status, capsys, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", "dn_secret")
    with recording_server(lambda path: PUBLISHED) as other:
        target = f"http://127.0.0.1:{other.server_port}/_dash_notify/publish"
        with recording_server(lambda path: (status, {"Location": target}, b"")) as app:
            code = main(["send", "--url", f"http://127.0.0.1:{app.server_port}/", "--title", "x"])
        assert other.seen == []  # nothing reached the other origin, token or not
    assert code == 1
    error = capsys.readouterr().err
    assert f"answered {status} with a redirect to {target}" in error and "not followed" in error
    [(method, _, headers, _)] = app.seen
    assert method == "POST" and headers["Authorization"] == "Bearer dn_secret"


def test_send_follows_a_same_origin_307_with_its_body(capsys, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", "dn_secret")

    def answer(path: str):
        if path.startswith("/old/"):
            return 307, {"Location": "/new/_dash_notify/publish"}, b""
        return PUBLISHED

    with recording_server(answer) as app:
        argv = ["send", "--url", f"http://127.0.0.1:{app.server_port}/old", "--title", "Moved"]
        assert main(argv) == 0
    assert capsys.readouterr().out.strip() == "41"
    _, second = app.seen
    assert second[0] == "POST" and second[1] == "/new/_dash_notify/publish"
    assert second[2]["Authorization"] == "Bearer dn_secret"
    assert json.loads(second[3]) == {"to": ["*"], "notification": {"title": "Moved"}}


def test_send_refuses_a_same_origin_302_that_would_drop_the_body(capsys, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_TOKEN", "dn_secret")
    with recording_server(lambda path: (302, {"Location": "/elsewhere"}, b"")) as app:
        code = main(["send", "--url", f"http://127.0.0.1:{app.server_port}/", "--title", "x"])
    assert code == 1 and len(app.seen) == 1
    assert "answered 302" in capsys.readouterr().err


def test_token_create_refuses_an_unknown_permission(sqlite_url, capsys):
    argv = ["token", "create", "--store", sqlite_url, "--name", "ci", "--to", "*"]
    with pytest.raises(SystemExit) as refused:
        main([*argv, "--allow", "everything"])
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert "--allow: invalid choice: 'everything'" in error
    assert "interop" in error.split("choose from")[1] and "source" in error.split("choose from")[1]


def test_token_create_with_permissions_and_list_shows_them(sqlite_url, capsys):
    argv = ["token", "create", "--store", sqlite_url, "--name", "ci", "--to", "*"]
    assert main([*argv, "--allow", "interop", "--allow", "source", "--allow", "interop"]) == 0
    created = capsys.readouterr().out
    assert "allowed: interop,source" in created
    assert main(["token", "list", "--store", sqlite_url]) == 0
    assert "allow=interop,source" in capsys.readouterr().out
    hub = Hub(None, sqlite_url)
    [token] = hub.tokens()
    hub.stores.close()
    assert tuple(token.allow) == ("interop", "source")

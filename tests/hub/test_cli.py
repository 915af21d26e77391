"""The dash-notify command: token management on a real store, and send against a live app."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dash_notify.cli import main

from .serve import create_app
from .servers import ThreadServer


@pytest.fixture
def live_app(sqlite_url):
    app, hub = create_app(sqlite_url)
    server = ThreadServer(app.server)
    yield hub, server
    server.stop()
    hub.store.close()


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
    assert main(argv) == 0
    message_id = int(capsys.readouterr().out)
    [message] = hub.store.visible_after({"group:deploys"}, 0, 10)
    assert message.id == message_id
    assert message.options == {
        "title": "Deployed",
        "body": "v1.2 is live",
        "severity": "High",
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
    assert main(["send", "--url", "http://127.0.0.1:9/", "--title", "x"]) == 1
    assert "cannot reach" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["send", "--url", server.url, "--title", "x", "--severity", "Urgent"])
    assert hub.store.last_id() == 0


def test_the_installed_command_runs(sqlite_url):
    command = [sys.executable, "-m", "dash_notify.cli", "token", "list", "--store", sqlite_url]
    assert subprocess.run(command, capture_output=True, text=True, timeout=60).returncode == 0
    script = subprocess.run(
        ["dash-notify", "--help"], capture_output=True, text=True, timeout=60,
        env={"PATH": f"{sys.prefix}/bin"},
    )  # fmt: skip
    assert script.returncode == 0 and "token" in script.stdout

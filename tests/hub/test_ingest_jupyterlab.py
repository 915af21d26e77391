"""The JupyterLab notifications extension's own command line, ``jupyterlab-notify``
(PyPI: jupyterlab-notifications-extension), publishing to the real test app by its
``--url`` alone, as a subprocess; and the payload fields only its clients send."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .serve import create_app
from .servers import ThreadServer

CLIENT = shutil.which("jupyterlab-notify", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(
    CLIENT is None, reason="jupyterlab-notifications-extension is installed with dash_notify[test]"
)


@pytest.fixture
def live_app(sqlite_url):
    app, hub = create_app(sqlite_url)
    server = ThreadServer(app.server)
    _, secret = hub.create_token("lab", ["*", "group:*"])
    yield hub, server, secret
    server.stop()
    hub.stores.close()


def notify(url: str, secret: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "JUPYTERLAB_NOTIFY_TOKEN": secret,
        # no Jupyter server of this machine is matched or asked for its token (the
        # client lists running servers with `jupyter server list`, found on PATH)
        "JUPYTER_RUNTIME_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [CLIENT, "--url", url, *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_jupyterlab_notify_publishes_with_the_hubs_base_as_its_url(live_app, tmp_path):
    hub, server, secret = live_app
    result = notify(
        f"{server.url}_dash_notify/jupyter", secret, tmp_path,
        "-m", "Build failed\nSee the logs of run 7", "-t", "error", "--no-auto-close",
        "--action", "View logs", "--cmd", "docmanager:open",
        "--command-args", '{"path": "logs/7.txt"}',
        "--data", '{"run": 7}', "--now",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    [message] = hub.stores.messages.after({"*"}, 0, 10)
    assert result.stdout.strip() == f"Notification sent: {message.id}"
    assert message.targets == ("*",) and message.publisher == "token:lab"
    assert message.options == {
        "title": "Build failed",
        "body": "See the logs of run 7",
        "severity": "High",
        "source": "lab",
        "requireInteraction": True,
        "actions": [{"action": "view-logs", "title": "View logs"}],
        "data": {
            "type": "error",
            "data": {"run": 7},
            "commands": {
                "view-logs": {"commandId": "docmanager:open", "args": {"path": "logs/7.txt"}}
            },
        },
    }


def test_jupyterlab_notify_silent_and_a_trailing_slash(live_app, tmp_path):
    hub, server, secret = live_app
    result = notify(f"{server.url}_dash_notify/jupyter/", secret, tmp_path,
                    "-m", "Backup done", "-t", "success", "--auto-close", "0")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    [message] = hub.stores.messages.after({"*"}, 0, 10)
    assert message.options["showToast"] is False and message.options["silent"] is True
    assert message.options["severity"] == "Low"


def test_jupyterlab_notify_reports_a_rejection(live_app, tmp_path):
    hub, server, _ = live_app
    result = notify(f"{server.url}_dash_notify/jupyter", "dn_wrong", tmp_path, "-m", "x")
    assert result.returncode == 1
    assert "HTTP 401" in result.stderr and "a valid token is required" in result.stderr
    assert hub.position().last == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": "m", "immediate": "yes"}, "immediate"),
        ({"message": "m", "actions": [{"label": "a", "args": {}}]}, "actions[0].args"),
        ({"message": "m", "actions": [{"label": "a", "commandId": 5}]}, "actions[0].commandId"),
        ({"message": "m", "actions": [{"label": "a", "icon": "x"}]}, "actions[0].icon"),
    ],
)
def test_bad_client_fields_are_400(live_app, payload, field):
    hub, _, secret = live_app
    client = hub.app.server.test_client()
    response = client.post(
        "/_dash_notify/jupyter/jupyterlab-notifications-extension/ingest",
        json=payload,
        headers={"Authorization": f"token {secret}"},
    )
    assert response.status_code == 400 and response.get_json()["field"] == field

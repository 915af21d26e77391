"""``dash-notify webhook ...`` on a real store, with a real receiver on 127.0.0.1 for
``test`` (its requests verified with ``standardwebhooks``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from dash_notify.cli import main

from .servers import ROOT
from .webhook_receiver import Answer, WebhookReceiver


def fields(out: str) -> dict[str, str]:
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
        if value
    }


def test_create_list_get_update_test_rotate_attempts_delete(sqlite_url, capsys):
    with WebhookReceiver() as receiver:
        url = receiver.url("/ci")
        # a loopback URL is refused unless allowed
        assert main(["webhook", "create", "--store", sqlite_url, "--name", "CI", "--url", url]) == 2
        assert "127.0.0.1 is a loopback address" in capsys.readouterr().err
        argv = ["webhook", "create", "--store", sqlite_url, "--name", "CI approvals"]
        argv += ["--url", url, "--allow-private", "--event", "notification.clicked"]
        argv += ["--filter", "action=approve", "--filter", "action=deploy"]
        assert main(argv) == 0
        created = fields(capsys.readouterr().out)
        rule_id, secret = created["id"], created["secret"]
        assert secret.startswith("whsec_") and created["filters"] == "action=approve action=deploy"
        other = ["webhook", "create", "--store", sqlite_url, "--name", "pager"]
        assert main([*other, "--url", "https://93.184.216.34/p", "--inactive"]) == 0
        capsys.readouterr()

        assert main(["webhook", "list", "--store", sqlite_url, "--q", "ci", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert listed["total"] == 1 and [r["id"] for r in listed["rules"]] == [rule_id]
        assert "secret" not in listed["rules"][0]
        assert main(["webhook", "list", "--store", sqlite_url]) == 0
        text = capsys.readouterr().out
        assert "2 of 2" in text and "disabled" in text and secret not in text

        assert main(["webhook", "get", "--store", sqlite_url, rule_id, "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["events"] == ["notification.clicked"] and "secret" not in shown
        assert main(["webhook", "get", "--store", sqlite_url, rule_id, "--show-secret"]) == 0
        assert fields(capsys.readouterr().out)["secret"] == secret

        update = ["webhook", "update", "--store", sqlite_url, rule_id]
        assert main([*update, "--filter", "severity=High", "--method", "GET"]) == 0
        updated = fields(capsys.readouterr().out)
        assert updated["filters"] == "severity=High" and updated["method"] == "GET"
        assert updated["name"] == "CI approvals"
        assert main([*update, "--filter", "severity=Huge"]) == 2
        assert "filters.severity: 'Huge' is not a value; allowed: Low" in capsys.readouterr().err
        assert main([*update, "--filter", "colour"]) == 2
        assert "is not NAME=VALUE" in capsys.readouterr().err
        assert main(update) == 2
        capsys.readouterr()

        test = ["webhook", "test", "--store", sqlite_url, rule_id, "--allow-private"]
        assert main(test) == 0
        assert ": 200 in " in capsys.readouterr().out
        [got] = receiver.at("/ci")
        assert got.verified(secret)["type"] == "webhook.test"
        receiver.answers["/ci"] = Answer(500)
        assert main(test) == 1
        assert "HTTP 500" in capsys.readouterr().err
        # without --allow-private, the send-time check refuses: nothing is sent
        assert main(test[:-1]) == 1
        assert "refused" in capsys.readouterr().err and len(receiver.at("/ci")) == 2

        assert main(["webhook", "rotate", "--store", sqlite_url, rule_id]) == 0
        rotated = capsys.readouterr().out
        new_secret = fields(rotated)["secret"]
        assert new_secret != secret and "previous secret signs too until" in rotated
        assert main(["webhook", "attempts", "--store", sqlite_url, rule_id, "--json"]) == 0
        attempts = json.loads(capsys.readouterr().out)
        assert [a["status"] for a in attempts] == [None, 500, 200]

    assert main(["webhook", "delete", "--store", sqlite_url, rule_id]) == 0
    assert main(["webhook", "get", "--store", sqlite_url, rule_id]) == 1
    assert main(["webhook", "delete", "--store", sqlite_url, rule_id]) == 1
    assert "no webhook rule with id" in capsys.readouterr().err


def test_the_installed_command_and_its_argument_errors(sqlite_url):
    env = {**os.environ, "DASH_NOTIFY_STORE": sqlite_url}
    run = [sys.executable, "-m", "dash_notify.cli", "webhook"]
    listed = subprocess.run([*run, "list"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert listed.returncode == 0 and listed.stdout.strip() == "0 of 0"
    bad = subprocess.run(
        [*run, "create", "--name", "x", "--url", "https://93.184.216.34/", "--event", "nope"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert bad.returncode == 2 and "invalid choice: 'nope'" in bad.stderr
    no_store = subprocess.run(
        [*run, "list"], capture_output=True, text=True, cwd=ROOT,
        env={k: v for k, v in env.items() if k != "DASH_NOTIFY_STORE"},
    )  # fmt: skip
    assert no_store.returncode == 2 and "--store" in no_store.stderr

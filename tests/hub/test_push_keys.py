"""VAPID keys: ``dash-notify vapid generate`` as a subprocess, and the push settings
from arguments and the environment, with the errors that say how to make them."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from dash_notify.hub.push.vapid import (
    CONTACT_ENV,
    PRIVATE_KEY_ENV,
    VapidConfigError,
    generate,
    vapid_keys,
)

from .servers import ROOT


def cli(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dash_notify.cli", *args],
        capture_output=True, text=True, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )  # fmt: skip


def test_generate_writes_a_private_key_for_its_owner_and_prints_the_public_key(tmp_path):
    done = cli("vapid", "generate", "--out", str(tmp_path / "vapid.pem"))
    assert done.returncode == 0, done.stderr
    path = tmp_path / "vapid.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret_lines = path.read_text().splitlines()[1:-1]
    assert secret_lines and not any(line in done.stdout for line in secret_lines)  # not printed
    printed = next(line for line in done.stdout.splitlines() if line.startswith("public key:"))
    public = printed.split(":", 1)[1].strip()
    raw = base64.urlsafe_b64decode(public + "=" * (-len(public) % 4))
    assert len(raw) == 65 and raw[0] == 4 and "=" not in public  # applicationServerKey form
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key.curve, ec.SECP256R1)
    assert (
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        == raw
    )  # the printed key is the file's public half
    # never overwritten
    again = cli("vapid", "generate", "--out", str(path))
    assert again.returncode == 1 and "exists" in again.stderr
    assert serialization.load_pem_private_key(path.read_bytes(), None).private_numbers() == (
        key.private_numbers()
    )


def test_settings_come_from_arguments_or_the_environment(tmp_path, monkeypatch):
    generate(tmp_path / "k.pem")
    pem = (tmp_path / "k.pem").read_text()
    from_file = vapid_keys(str(tmp_path / "k.pem"), "mailto:ops@example.com")
    from_text = vapid_keys(pem, "https://example.com/contact")
    assert from_file.public_key == from_text.public_key
    monkeypatch.setenv(PRIVATE_KEY_ENV, str(tmp_path / "k.pem"))
    monkeypatch.setenv(CONTACT_ENV, "mailto:ops@example.com")
    from_env = vapid_keys()
    assert from_env.public_key == from_file.public_key
    assert from_env.contact == "mailto:ops@example.com"


@pytest.mark.parametrize(
    ("key", "contact", "field", "words"),
    [
        (None, "mailto:a@example.com", "private_key", "dash-notify vapid generate"),
        ("not a key", "mailto:a@example.com", "private_key", "not a P-256 private key"),
        ("KEY", None, "contact", "DASH_NOTIFY_VAPID_CONTACT"),
        ("KEY", "ops@example.com", "contact", "mailto:<address>"),
        ("KEY", "http://example.com", "contact", "https://"),
    ],
)
def test_no_push_without_settings_and_the_error_says_how(
    tmp_path, monkeypatch, key, contact, field, words
):
    monkeypatch.delenv(PRIVATE_KEY_ENV, raising=False)
    monkeypatch.delenv(CONTACT_ENV, raising=False)
    if key == "KEY":
        generate(tmp_path / "k.pem")
        key = str(tmp_path / "k.pem")
    with pytest.raises(VapidConfigError) as raised:
        vapid_keys(key, contact)
    assert raised.value.field == field and words in str(raised.value)
    assert str(raised.value).startswith(f"{field}: ")


def test_a_key_file_others_can_read_is_used_with_a_warning(tmp_path, caplog):
    path = tmp_path / "k.pem"
    public = generate(path)
    with caplog.at_level("WARNING", logger="dash_notify.hub"):
        vapid_keys(str(path), "mailto:ops@example.com")
    assert caplog.records == []  # mode 600: nothing to say
    path.chmod(0o644)
    with caplog.at_level("WARNING", logger="dash_notify.hub"):
        assert vapid_keys(str(path), "mailto:ops@example.com").public_key == public
    assert "readable by others (mode 644)" in caplog.text

"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1, in a thread of the
test process (or ``python -m tests.hub.smtp_server PORT`` in a process of its own).
It keeps every mail it accepted (parsed), can refuse chosen recipients with a given
reply (4xx, 5xx), answer slowly, and require STARTTLS and a login."""

from __future__ import annotations

import asyncio
import datetime
import email
import ipaddress
import threading
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from .servers import free_port


@dataclass
class Mail:
    """One accepted mail: envelope, the parsed message, whether the client logged in."""

    sender: str
    recipients: list[str]
    message: EmailMessage
    authenticated: bool
    raw: bytes = b""

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, subtype: str) -> str:
        """The text of the ``text/<subtype>`` part."""
        found = self.message.get_body(preferencelist=(subtype,))
        return found.get_content() if found is not None else ""


class Inbox:
    """The server's handler: keeps mails, refuses what ``refuse`` says (address ->
    reply such as ``"550 5.1.1 no such user"``), waits ``delay`` s per mail."""

    def __init__(self, delay: float = 0.0):
        self.mails: list[Mail] = []
        self.refuse: dict[str, str] = {}
        self.delay = delay
        self._ready = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        mail = Mail(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            message,
            bool(session.authenticated),
            envelope.content,
        )
        with self._ready:
            self.mails.append(mail)
            self._ready.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Mail]:
        """The mails once there are at least ``count``."""
        deadline = time.monotonic() + timeout
        with self._ready:
            while len(self.mails) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} mails, got {len(self.mails)}")
                self._ready.wait(remaining)
            return list(self.mails)

    def to(self, address: str) -> list[Mail]:
        with self._ready:
            return [m for m in self.mails if address in m.recipients]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (PEM files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class SMTPServer:
    """aiosmtpd on 127.0.0.1. With ``tls`` (cert, key): STARTTLS required; with
    ``login`` (user, password): AUTH required (over TLS)."""

    def __init__(
        self,
        inbox: Inbox | None = None,
        *,
        tls: tuple[Path, Path] | None = None,
        login: tuple[str, str] | None = None,
        port: int | None = None,
    ):
        import ssl

        self.inbox = inbox or Inbox()
        self.port = port or free_port()
        kwargs: dict = {}
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            kwargs.update(tls_context=context, require_starttls=True)
        if login is not None:

            def authenticator(server, session, envelope, mechanism, data):
                ok = (data.login.decode(), data.password.decode()) == login
                return AuthResult(success=ok, handled=False)

            kwargs.update(authenticator=authenticator, auth_required=True)
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller._thread is not None:  # once
            self.controller.stop()

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Counter:
    """A handler that only counts mails (the benchmark's server: no parsing)."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    """``python -m tests.hub.smtp_server``: a counting server in a process of its own;
    prints its port, then answers each line read from stdin with the count so far."""
    import sys

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    print(port, flush=True)
    for _ in sys.stdin:
        print(counter.count, flush=True)
    controller.stop()


if __name__ == "__main__":
    main()

"""SMTP: the settings (from arguments, else ``DASH_NOTIFY_SMTP_*`` environment
variables), a connection reused for a batch of mails, and what the server's answers
mean for a delivery.

``security``: ``"starttls"`` (upgrade a plain connection, port 587), ``"tls"``
(implicit TLS, port 465) or ``"none"`` (a local relay). ``ca_file`` verifies the
server against that CA instead of the system's (a test's own server).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

SECURITY = ("starttls", "tls", "none")
ENV = "DASH_NOTIFY_SMTP_"

Sender = Callable[[EmailMessage], None]


class SMTPRefusedError(Exception):
    """The server refused one mail: ``code`` (4xx: try again later, 5xx: never)."""

    def __init__(self, code: int, message: str):
        self.code = code
        super().__init__(f"SMTP {code}: {message}")

    @property
    def permanent(self) -> bool:
        """Whether retrying cannot help (5xx)."""
        return self.code >= 500


@dataclass(frozen=True)
class SMTPSettings:
    """Where and how to send. Each field falls back to ``DASH_NOTIFY_SMTP_<FIELD>``
    (``HOST``, ``PORT``, ``SECURITY``, ``USER``, ``PASSWORD``, ``FROM``)."""

    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"
    user: str | None = None
    password: str | None = None
    sender: str = ""
    timeout: float = 30.0
    ca_file: str | None = None

    @classmethod
    def of(cls, **given: object) -> SMTPSettings:
        """Settings from ``given`` (None: not given), else the environment, else the
        defaults; ValueError naming the field for a bad value."""
        values: dict[str, object] = {}
        for name in ("host", "port", "security", "user", "password", "sender"):
            env = ENV + ("FROM" if name == "sender" else name.upper())
            value = given.get(name)
            if value is None:
                value = os.environ.get(env)
            if value is not None:
                values[name] = value
        for name in ("timeout", "ca_file"):
            if given.get(name) is not None:
                values[name] = given[name]
        security = str(values.get("security", "none")).lower()
        if security not in SECURITY:
            raise ValueError(f"security: {security!r}; allowed: {', '.join(SECURITY)}")
        values["security"] = security
        try:
            values["port"] = int(values.get("port", 465 if security == "tls" else 25))  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"port: {values.get('port')!r} is not a port number") from None
        if not values.get("sender"):
            raise ValueError(
                "sender: the From address of the mails is required (sender=... or "
                "DASH_NOTIFY_SMTP_FROM)"
            )
        return cls(**values)  # type: ignore[arg-type]

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def connect(self) -> smtplib.SMTP:
        """A connection, secured and logged in as the settings say."""
        if self.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


class Session:
    """One connection for a batch of mails (opened at the first, reopened once when
    the server dropped it); :meth:`send` raises SMTPRefusedError for a refused mail and
    OSError (or smtplib's errors) when the server cannot be reached."""

    def __init__(self, settings: SMTPSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Send one mail to its To: address."""
        for attempt in (1, 2):
            if self._smtp is None:
                self._smtp = self.settings.connect()
            try:
                refused = self._smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                self._smtp = None
                if attempt == 2:
                    raise
                continue
            except smtplib.SMTPRecipientsRefused as error:
                code, text = next(iter(error.recipients.values()))
                raise SMTPRefusedError(code, _text(text)) from None
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                raise SMTPRefusedError(error.smtp_code, _text(error.smtp_error)) from None
            if refused:
                code, text = next(iter(refused.values()))
                raise SMTPRefusedError(code, _text(text))
            return

    def close(self) -> None:
        """Say QUIT (or just close a broken connection)."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text[:300]

"""A real Web Push service for the tests, on 127.0.0.1 over HTTPS, that checks what a
push service checks and reads what a browser reads.

- RFC 8030: a push is a POST to the subscription's endpoint; accepted with 201 and a
  ``Location`` (the push message's URL); ``TTL`` is required; bodies over 4096 bytes
  are refused with 413.
- RFC 8292: ``Authorization: vapid t=<JWT>, k=<public key>``; the JWT is verified with
  PyJWT: ES256 signature against ``k``, ``k`` equal to the applicationServerKey the
  subscription was made with, ``aud`` the endpoint's origin, ``exp`` in the future and
  less than 24 hours away, a ``sub`` contact.
- RFC 8291: the body (``Content-Encoding: aes128gcm``) is decrypted by http_ece with the
  subscription's private key and auth secret, which the test made as a browser would.

A push that fails a check is answered 400/401/403 and kept in ``errors``; the tests
assert there are none. Each subscription's answers can be scripted (404, 410, 429 with
Retry-After, 5xx, a delay).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import os
import secrets
import ssl
import tempfile
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

MAX_BODY = 4096


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserKeys:
    """What a browser makes when it subscribes: a P-256 key pair and an auth secret."""

    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(
            body, private_key=self.private, auth_secret=self.auth, version="aes128gcm"
        )


def _certificates(directory: str) -> tuple[str, str, str]:
    """A CA and a certificate for 127.0.0.1 signed by it: (ca file, cert file, key file)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(
                NameOID.COMMON_NAME, f"dash_notify test push CA {secrets.token_hex(4)}"
            )
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = [os.path.join(directory, n) for n in ("ca.pem", "cert.pem", "key.pem")]
    with open(paths[0], "wb") as out:
        out.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return paths[0], paths[1], paths[2]


@dataclass
class Push:
    """One push the service accepted or refused."""

    token: str
    status: int
    headers: dict[str, str]
    claims: dict | None = None
    payload: dict | None = None
    size: int = 0
    at: float = 0.0
    answered: int = 0  # bytes of the answer's body written before the client went away


class PushService:
    """The push service. ``subscribe(application_server_key)`` plays the browser:
    returns a subscription (``PushSubscription.toJSON()`` form) and keeps its keys."""

    def __init__(self, *, delay: float = 0.0):
        self.directory = tempfile.mkdtemp(prefix="dash-notify-push-")
        self.ca_file, cert, key = _certificates(self.directory)
        self.delay = delay
        self.browsers: dict[str, tuple[BrowserKeys, str]] = {}
        self.script: dict[str, deque] = defaultdict(deque)  # token -> answers to give
        self.accepted: list[Push] = []
        self.refused: list[Push] = []
        self.finished: list[Push] = []  # pushes whose answer has been written (or cut)
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                service._handle(self)

            def do_GET(self):  # counts, for a benchmark in another process
                with service.lock:
                    counts = {"accepted": len(service.accepted), "refused": len(service.refused),
                              "errors": service.errors[:5]}  # fmt: skip
                body = json.dumps(counts).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.origin = f"https://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, application_server_key: str) -> dict:
        token = secrets.token_urlsafe(12)
        keys = BrowserKeys()
        with self.lock:
            self.browsers[token] = (keys, application_server_key)
        return {
            "endpoint": f"{self.origin}/push/{token}",
            "expirationTime": None,
            "keys": {"p256dh": keys.p256dh, "auth": b64url(keys.auth)},
        }

    def answer(self, subscription: dict, *answers: int | tuple) -> None:
        """The next answers for this subscription (status, or (status, headers), or
        (status, headers, bytes of body to send)); after them, 201 (with every check
        made)."""
        token = subscription["endpoint"].rsplit("/", 1)[1]
        with self.lock:
            self.script[token].extend(answers)

    def forget(self, subscription: dict) -> None:
        """The browser unsubscribed: its endpoint answers 410 from now on."""
        token = subscription["endpoint"].rsplit("/", 1)[1]
        with self.lock:
            self.browsers.pop(token, None)

    def wait_for(
        self, count: int, timeout: float = 15.0, refused: bool = False, finished: bool = False
    ) -> list[Push]:
        """Wait until ``count`` pushes were accepted (or refused, or answered to the
        end); returns them."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = self.finished if finished else self.refused if refused else self.accepted
                if len(found) >= count:
                    return list(found)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(found)} of {count} pushes after {timeout} s; errors: {self.errors}"
                    )
                self.arrived.wait(left)

    # -- the service ---------------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        token = request.path.rsplit("/", 1)[-1]
        headers = {k.lower(): v for k, v in request.headers.items()}
        length = int(headers.get("content-length", "0"))
        body = request.rfile.read(length) if length <= 1 << 20 else b""
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            browser = self.browsers.get(token)
            scripted = self.script[token].popleft() if self.script[token] else None
        push = Push(token, 201, headers, size=length, at=time.monotonic())
        extra: dict[str, str] = {}
        answer_size = 0
        if browser is None:
            push.status = 410  # an unsubscribed browser: gone
        elif scripted is not None:
            scripted = scripted if isinstance(scripted, tuple) else (scripted,)
            push.status, extra, answer_size = (*scripted, {}, 0)[:3]
        elif length > MAX_BODY:
            push.status = 413
        else:
            problem = self._check(push, body, *browser)
            if problem:
                push.status = 403 if problem.startswith("vapid") else 400
                with self.lock:
                    self.errors.append(problem)
        with self.arrived:
            (self.accepted if push.status == 201 else self.refused).append(push)
            self.arrived.notify_all()
        request.send_response(push.status)
        if push.status == 201:
            request.send_header("Location", f"{self.origin}/message/{secrets.token_hex(8)}")
        for name, value in extra.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(answer_size))
        request.end_headers()
        chunk = b"x" * 65536
        try:
            while push.answered < answer_size:
                request.wfile.write(chunk[: answer_size - push.answered])
                push.answered += min(len(chunk), answer_size - push.answered)
        except OSError:  # the client stopped reading and closed
            request.close_connection = True
        with self.arrived:
            self.finished.append(push)
            self.arrived.notify_all()

    def _check(self, push: Push, body: bytes, keys: BrowserKeys, server_key: str) -> str | None:
        """What a push service and a browser check; None when all is well."""
        headers = push.headers
        if "ttl" not in headers or not headers["ttl"].isdigit():
            return "TTL header missing (RFC 8030 5.2)"
        scheme, _, params = headers.get("authorization", "").partition(" ")
        parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        if scheme.lower() != "vapid" or "t" not in parts or "k" not in parts:
            return (
                f"vapid: Authorization is not 'vapid t=..., k=...': {headers.get('authorization')}"
            )
        if parts["k"] != server_key:
            return "vapid: k is not the key the subscription was made with"
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        try:
            claims = jwt.decode(
                parts["t"],
                public,
                algorithms=["ES256"],
                audience=self.origin,
                options={"require": ["aud", "exp", "sub"]},
            )
        except jwt.PyJWTError as error:
            return f"vapid: JWT refused: {error}"
        if claims["exp"] > time.time() + 86400:
            return "vapid: exp more than 24 hours away (RFC 8292 2)"
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            return f"vapid: sub {claims['sub']!r} is not mailto: or https:"
        push.claims = claims
        if headers.get("content-encoding") != "aes128gcm":
            return f"Content-Encoding {headers.get('content-encoding')!r}, not aes128gcm"
        try:
            push.payload = json.loads(keys.decrypt(body))
        except Exception as error:  # http_ece raises several kinds
            return f"cannot decrypt: {type(error).__name__}: {error}"
        return None


def main() -> None:
    """``python -m tests.hub.push_receiver KEY COUNT [DELAY]``: serve as a process of its own
    (for bench/bench_push.py). Prints one JSON line (the CA file, the origin and COUNT
    subscriptions made with the applicationServerKey KEY; each push answered after
    DELAY seconds, a push service's latency), answers ``GET /count``, and
    stops when its standard input closes."""
    import sys

    key, count = sys.argv[1], int(sys.argv[2])
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    with PushService(delay=delay) as service:
        subscriptions = [service.subscribe(key) for _ in range(count)]
        print(json.dumps({"ca": service.ca_file, "origin": service.origin,
                          "subscriptions": subscriptions}), flush=True)  # fmt: skip
        sys.stdin.read()


if __name__ == "__main__":
    main()

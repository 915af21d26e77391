"""The email channel: each user's notifications by mail, as their email mode says.

``often``: a digest at the end of each period of ``every`` seconds (10 minutes);
``daily``: one at ``daily_at`` (07:00) in the user's time zone; ``never``: Critical
only; ``silent``: nothing (the runner skips what the mode holds back, "preference:
..."). Critical notifications go at once, in a mail of their own. What the user saw in
a browser before their mail goes is left out of it ("already seen"); with
``mark_seen_when_sent`` what is mailed is marked seen. With an ``owner`` option, a
second notification about the same owner is not mailed while the first mailed one is
unseen.

Each delivery (one notification to one user) is one row of the delivery log; a
digest's deliveries share one due time (their slot, plus a small per-user offset), so
the runner hands a user's deliveries over together. At most once per recipient and
notification: before a mail goes to the SMTP server its Message-ID is recorded with
its deliveries (the store's ``mail`` part), and once the server accepted it, that it
did. A process killed before the server accepted a mail: the next process sends the
same mail, with the same Message-ID. Killed after: the next process records its
deliveries sent without sending again. The window that remains: between the server's
acceptance and that one write (a millisecond or so): that mail goes again, with the
same Message-ID, which mail systems use to drop repeats.

Who receives: the ``user:<id>`` targets of a notification, and for ``"*"`` and groups
the users the app's ``users`` function lists (when given) whom the hub's ``groups``
function puts in them. The app's ``address`` function gives each user's address (and
language and time zone): None means no mail; an answer that is not an address skips
the user with the reason logged.
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import logging
import smtplib
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..email.compose import Composer, Item
from ..email.links import Links
from ..email.recipients import Recipient, recipient
from ..email.schedule import daily_slot, often_slot, parse_time, spread
from ..email.smtp import Sender, Session, SMTPRefusedError, SMTPSettings
from ..model import Message
from ..targets import EVERYONE
from .base import Channel, Failed, Later, Outcome, Outgoing, Retry, RetryPolicy, Sent, Skipped

if TYPE_CHECKING:
    from ..core import Hub

log = logging.getLogger("dash_notify.hub")

DAY = 86400.0
ADDRESS_CACHE_SECONDS = 60.0


def _critical(message: Message) -> bool:
    return message.options.get("severity") == "Critical"


class EmailChannel(Channel):
    """Sends notifications by mail (see the module docstring).

    ``address``: user id -> address, :class:`~..email.Recipient` or dict (``address``,
    ``language``, ``timezone``), or None. ``base_url``: where users open the app
    (``https://app.example.com/``: the links in mails point there). ``secret``: signs
    the links (default ``$DASH_NOTIFY_EMAIL_SECRET``). SMTP: ``host``, ``port``,
    ``security`` (starttls, tls, none), ``user``, ``password``, ``sender`` (From),
    each defaulting to ``$DASH_NOTIFY_SMTP_<NAME>``; or ``send``, any callable that
    sends an ``email.message.EmailMessage`` (then only ``sender`` is needed).
    ``every``: seconds between ``often`` digests; ``daily_at``: local time of the daily
    digest; ``templates``: a folder with ``digest.txt`` / ``digest.html`` of the app's
    own; ``users``: lists the users who may receive mail for ``"*"`` and groups;
    ``concurrency``: mails sent at once (one SMTP connection each).
    ``clock``: the time (tests simulate days with it).
    """

    preference = "email"
    batch_size = 500
    retry = RetryPolicy(delays=(30.0, 120.0, 600.0, 1800.0, 3600.0))

    def __init__(
        self,
        address: Callable[[str], Any],
        *,
        base_url: str,
        secret: str | None = None,
        host: str | None = None,
        port: int | None = None,
        security: str | None = None,
        user: str | None = None,
        password: str | None = None,
        sender: str | None = None,
        send: Sender | None = None,
        ca_file: str | None = None,
        every: float = 600.0,
        daily_at: str = "07:00",
        templates: str | None = None,
        app_name: str = "dash_notify",
        mark_seen_when_sent: bool = False,
        users: Callable[[], Iterable[str]] | None = None,
        link_days: float = 30.0,
        concurrency: int = 4,
        name: str = "email",
        clock: Callable[[], float] = time.time,
    ):
        if not callable(address):
            raise TypeError("address: must be a function from a user id to an address")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url: must be the app's http(s) URL, got {base_url!r}")
        if not every >= 60:
            raise ValueError(f"every: must be at least 60 seconds, got {every!r}")
        self.name = name
        self.address = address
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.links = Links(secret)
        self.custom_send = send
        self.smtp = SMTPSettings.of(
            host=host, port=port, security=security, user=user, password=password,
            sender=sender, ca_file=ca_file,
        )  # fmt: skip
        self.every = float(every)
        self.daily_at = parse_time(daily_at)
        self.composer = Composer(templates, app_name)
        self.mark_seen_when_sent = mark_seen_when_sent
        self.users = users
        self.link_seconds = link_days * DAY
        self.clock = clock
        if not isinstance(concurrency, int) or not 1 <= concurrency <= 64:
            raise ValueError(f"concurrency: must be 1 to 64, got {concurrency!r}")
        self.concurrency = concurrency
        self.only_mode: str | None = None  # dash-notify digest --mode
        self.progress = 0  # deliveries settled by the last send (not postponed)
        self._addresses: dict[str, tuple[float, Recipient | str | None]] = {}
        self._lock = threading.Lock()
        self._expired_at = 0.0

    # -- who and when ------------------------------------------------------------------
    def recipients(self, message: Message, hub: Hub) -> Iterable[str]:
        if message.kind != "notify":
            return []
        targets = message.targets
        users = [t[len("user:") :] for t in targets if t.startswith("user:")]
        if self.users is not None and (
            EVERYONE in targets or any(t.startswith("group:") for t in targets)
        ):
            named = set(users)
            for user in self.users():
                user = str(user)
                if user not in named and hub.identity(user).receives(targets):
                    users.append(user)
                    named.add(user)
        return [f"user:{user}" for user in users]

    def first_due(self, message: Message, recipient: str, hub: Hub, now: float) -> float:
        user = recipient[len("user:") :]
        mode = hub.preference_service.effective(user)["email"]
        if _critical(message) or mode not in ("often", "daily"):
            return now
        return self._slot(user, message, mode, now)

    def _slot(self, user: str, message: Message, mode: str, now: float) -> float:
        if mode == "often":
            slot = often_slot(message.created, now, self.every)
        else:
            found = self._recipient(user)
            zone = found.zone() if isinstance(found, Recipient) else Recipient("").zone()
            slot = daily_slot(message.created, now, self.daily_at, zone)
        return slot + spread(user)

    def _recipient(self, user: str) -> Recipient | str | None:
        """The user's Recipient, None (no mail) or why their address is refused."""
        now = time.monotonic()
        with self._lock:
            cached = self._addresses.get(user)
        if cached is not None and now - cached[0] < ADDRESS_CACHE_SECONDS:
            return cached[1]
        try:
            found: Recipient | str | None = recipient(self.address(user))
        except ValueError as error:
            found = str(error)
        with self._lock:
            if len(self._addresses) > 100_000:
                self._addresses.clear()
            self._addresses[user] = (now, found)
        return found

    # -- sending -----------------------------------------------------------------------
    def send(self, batch: Sequence[Outgoing], hub: Hub) -> Sequence[Outcome]:
        now = self.clock()
        outcomes: list[Outcome | None] = [None] * len(batch)
        self._hold_trailing_group(batch, outcomes)
        by_user: dict[str, list[int]] = {}
        for index, item in enumerate(batch):
            if outcomes[index] is None:
                by_user.setdefault(item.recipient[len("user:") :], []).append(index)
        down: list[str] = []
        sessions: list[Session] = []
        local = threading.local()

        def one(user: str) -> None:
            session = getattr(local, "session", None)
            if session is None and self.custom_send is None:
                session = local.session = Session(self.smtp)
                with self._lock:
                    sessions.append(session)
            items = [(i, batch[i]) for i in by_user[user]]
            self._user(hub, user, items, outcomes, now, session, down)

        try:
            if self.concurrency == 1 or len(by_user) == 1:
                for user in by_user:
                    one(user)
            else:
                with concurrent.futures.ThreadPoolExecutor(
                    min(self.concurrency, len(by_user)), thread_name_prefix="dash_notify-email"
                ) as pool:
                    list(pool.map(one, by_user))
        finally:
            for session in sessions:
                session.close()
        self.progress = sum(1 for o in outcomes if o is not None and not isinstance(o, Later))
        if now - self._expired_at > 3600:
            self._expired_at = now
            hub.stores.mail.expire(now - 90 * DAY)
        return [o if o is not None else Retry("not sent") for o in outcomes]

    def _hold_trailing_group(self, batch: Sequence[Outgoing], outcomes: list) -> None:
        """A full batch may have cut the last due time's deliveries (one user's digest)
        in two: those wait for the next batch, which starts with them, unless the whole
        batch is that one group."""
        if len(batch) < self.batch_size:
            return
        last = batch[-1].delivery.due
        if all(item.delivery.due == last for item in batch):
            return
        for index, item in enumerate(batch):
            if item.delivery.due == last:
                outcomes[index] = Later(last)

    def _user(
        self,
        hub: Hub,
        user: str,
        items: list[tuple[int, Outgoing]],
        outcomes: list,
        now: float,
        session: Session | None,
        down: list[str],
    ) -> None:
        """One user's deliveries of the batch: checks, then at most a few mails (a
        mail interrupted before, Critical ones, the digest)."""
        mode = hub.preference_service.effective(user)["email"]
        found = self._recipient(user)
        if not isinstance(found, Recipient):
            reason = found or "no address for this user"
            if found:
                log.warning("dash_notify email: user %s skipped: %s", user, reason)
            for index, _ in items:
                outcomes[index] = Skipped(reason)
            return
        claims = hub.stores.mail.claims([item.key for _, item in items])
        seen = hub.stores.seen.seen_at(user, [item.message.id for _, item in items])
        again: dict[str, list[tuple[int, Outgoing]]] = {}
        critical: list[tuple[int, Outgoing]] = []
        digest: list[tuple[int, Outgoing]] = []
        for index, item in items:
            if item.key in claims:
                message_id, accepted = claims[item.key]
                if accepted:  # sent before a crash, not recorded: not sent again
                    outcomes[index] = Sent()
                else:
                    again.setdefault(message_id, []).append((index, item))
            elif self.only_mode is not None and mode != self.only_mode:
                outcomes[index] = Later(item.delivery.due)  # left for its own mode's run
            elif item.message.id in seen:
                outcomes[index] = Skipped("already seen")
            elif _critical(item.message):
                critical.append((index, item))
            elif mode in ("often", "daily") and now < (
                slot := self._slot(user, item.message, mode, item.message.created)
            ):  # the mode changed to one whose slot is still ahead
                outcomes[index] = Later(slot)
            else:
                digest.append((index, item))
        for message_id, group in again.items():
            self._mail(hub, user, found, group, outcomes, now, session, down, mode, message_id)
        for group in (critical, digest):
            group = self._owners(hub, user, group, outcomes)
            if group:
                self._mail(hub, user, found, group, outcomes, now, session, down, mode, None)

    def _owners(
        self, hub: Hub, user: str, group: list[tuple[int, Outgoing]], outcomes: list
    ) -> list[tuple[int, Outgoing]]:
        """Leaves out notifications about an owner already mailed and not seen yet."""
        owners = {
            index: owner
            for index, item in group
            if isinstance(owner := item.message.options.get("owner"), str) and owner
        }
        if not owners:
            return group
        mailed = hub.stores.mail.owners(user, sorted(set(owners.values())))
        unseen_seen = hub.stores.seen.seen_at(user, list(mailed.values()))
        taken: set[str] = {o for o, n in mailed.items() if n not in unseen_seen}
        kept = []
        for index, item in group:
            owner = owners.get(index)
            if owner is not None and owner in taken:
                outcomes[index] = Skipped(f"owner {owner!r}: mailed already, not seen yet")
                continue
            if owner is not None:
                taken.add(owner)
            kept.append((index, item))
        return kept

    def _mail(
        self,
        hub: Hub,
        user: str,
        to: Recipient,
        group: list[tuple[int, Outgoing]],
        outcomes: list,
        now: float,
        session: Session | None,
        down: list[str],
        mode: str,
        message_id: str | None,
    ) -> None:
        """Build, record and send one mail; its deliveries' outcomes."""
        if down:
            for index, _ in group:
                outcomes[index] = Retry(f"SMTP server unreachable: {down[0]}")
            return
        if message_id is None:
            domain = self.smtp.sender.rpartition("@")[2].strip(">") or "dash-notify.invalid"
            message_id = email.utils.make_msgid("dash-notify", domain=domain)
            hub.stores.mail.claim(message_id, [item.key for _, item in group], now)
        items = [
            Item(item.message, self._link(user, "open", item.message.id, now)) for _, item in group
        ]
        mail = self.composer.build(
            items=items,
            to=to,
            sender=self.smtp.sender,
            message_id=message_id,
            unsubscribe=self._link(user, "unsubscribe", None, now),
            mode=mode,
            now=now,
        )
        outcome = self._deliver(mail, session, down)
        for index, _ in group:
            outcomes[index] = outcome
        if isinstance(outcome, Sent):
            hub.stores.mail.accepted(message_id, now)
            owners = {
                owner: item.message.id
                for _, item in group
                if isinstance(owner := item.message.options.get("owner"), str) and owner
            }
            if owners:
                hub.stores.mail.note_owners(user, owners)
            if self.mark_seen_when_sent:
                hub.stores.seen.mark(user, [item.message.id for _, item in group])

    def _deliver(self, mail: Any, session: Session | None, down: list[str]) -> Outcome:
        try:
            if session is None:
                self.custom_send(mail)  # type: ignore[misc]
            else:
                session.send(mail)
        except SMTPRefusedError as error:
            return Failed(str(error)) if error.permanent else Retry(str(error))
        except (OSError, smtplib.SMTPException) as error:
            down.append(f"{type(error).__name__}: {str(error)[:200]}")
            return Retry(f"SMTP server unreachable: {down[0]}")
        except Exception as error:  # the app's own sender
            return Retry(f"{type(error).__name__}: {str(error)[:300]}")
        return Sent()

    def _link(self, user: str, purpose: str, notification: int | None, now: float) -> str:
        lifetime = self.link_seconds if purpose == "open" else 365 * DAY
        token = self.links.sign(user, purpose, notification, lifetime, now)
        return f"{self.base_url}_dash_notify/email/{purpose}?t={token}"


def email_channel(hub: Hub) -> EmailChannel | None:
    """The hub's email channel, if it has one."""
    return next((c for c in hub.channels if isinstance(c, EmailChannel)), None)

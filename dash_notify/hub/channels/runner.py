"""The runner: sends every channel's deliveries and applies the retention, in every
process that opts in, whether or not a browser is connected.

Each channel has its own thread (a slow or dead receiver never delays another
channel), which holds the channel's lease in the store while it works: across any
number of processes and hosts one process at a time queues and sends on a channel.
A process that dies (even by kill -9) stops renewing its lease; when the lease expires
another process takes it and continues from the channel's cursor, so nothing is lost.
What was sent but not yet recorded is sent again under the same idempotency key.
"""

from __future__ import annotations

import logging
import os
import random
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..model import Delivery, DeliveryState, Message, StoreUnavailableError
from .base import Channel, Failed, Later, Outcome, Outgoing, Retry, Sent, Skipped, check_channel

if TYPE_CHECKING:
    from ..core import Hub

log = logging.getLogger("dash_notify.hub")

# The retention's lease has a name no channel can take (channel names start with a
# letter or digit).
RETENTION = "_retention"


class Runner:
    """Runs a hub's channels (one thread each) and its hourly retention.

    ``lease_seconds``: how long a lease lasts without renewal (a killed process's work
    is taken over after at most this long); ``poll_seconds``: how often an idle channel
    looks for work written by other processes (this process's publishes wake it at
    once); ``retention_every``: seconds between retention runs (across processes).
    """

    def __init__(
        self,
        hub: Hub,
        channels: Sequence[Channel] = (),
        *,
        lease_seconds: float = 30.0,
        poll_seconds: float = 1.0,
        retention_every: float = 3600.0,
    ):
        self.hub = hub
        self.channels = tuple(check_channel(channel) for channel in channels)
        names = [channel.name for channel in self.channels]
        if len(set(names)) != len(names):
            raise ValueError(f"channels: two channels share a name ({', '.join(names)})")
        self.lease_seconds = lease_seconds
        # An idle channel renews its lease at least three times per lease period.
        self.poll_seconds = min(poll_seconds, lease_seconds / 3)
        self.retention_every = retention_every
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- threads -------------------------------------------------------------------
    def start(self) -> None:
        """Start one thread per channel and one for the retention (once)."""
        if self._threads:
            return
        for channel in self.channels:
            self._spawn(f"dash_notify-channel-{channel.name}", self._loop, channel)
        self._spawn("dash_notify-retention", self._retention_loop)

    def _spawn(self, name: str, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the threads (a channel waiting for work stops at once; one sending
        finishes its batch, waited for up to ``timeout`` seconds) and give the leases
        up."""
        self._stopping.set()
        self.hub.stores.messages.interrupt()
        for thread in self._threads:
            thread.join(timeout)
        for channel in self.channels:
            try:
                self.hub.stores.channels.release(channel.name, self.owner)
            except StoreUnavailableError:
                pass

    def _loop(self, channel: Channel) -> None:
        messages = self.hub.stores.messages
        delay = 0.1
        cursor = None
        while not self._stopping.is_set():
            try:
                if cursor is None:
                    cursor = messages.feed_cursor()
                busy = self.step(channel)
                delay = 0.1
                if not busy:
                    # Woken at once by a publish in this process, else polls the store.
                    cursor = messages.changes(cursor, timeout=self._idle_wait(channel)).cursor
            except StoreUnavailableError as error:
                log.warning(
                    "dash_notify channel %s: %s; retrying in %.1f s", channel.name, error, delay
                )
                self._stopping.wait(delay)
                delay = min(delay * 2, 5.0)
            except Exception:  # a bug in one channel must not stop it for good
                log.exception("dash_notify channel %s failed; retrying", channel.name)
                self._stopping.wait(1.0)

    def _idle_wait(self, channel: Channel) -> float:
        due = self.hub.stores.channels.next_due(channel.name)
        wait = self.poll_seconds if due is None else due - time.time()
        return max(0.01, min(self.poll_seconds, wait))

    def _retention_loop(self) -> None:
        while not self._stopping.wait(min(60.0, self.retention_every)):
            try:
                self.retention_step()
            except StoreUnavailableError as error:
                log.warning("dash_notify retention: %s", error)
            except Exception:
                log.exception("dash_notify retention failed")

    # -- one step ------------------------------------------------------------------
    def retention_step(self, now: float | None = None) -> int | None:
        """Run the retention if its time has come and this process holds its lease
        (the lease lasts ``retention_every``, so it runs once per period across every
        process); returns how many messages it removed, or None when it did not run."""
        now = time.time() if now is None else now
        stores = self.hub.stores.channels
        if not stores.acquire(RETENTION, self.owner, self.retention_every, now):
            return None
        last = stores.cursor(RETENTION)
        if last is not None and now - last < self.retention_every:
            return None
        removed = self.hub.purge()
        stores.enqueue(RETENTION, self.owner, (), int(now))
        return removed

    def step(self, channel: Channel, now: float | None = None) -> bool:
        """One pass for ``channel``: take or renew its lease, queue deliveries for new
        messages, send what is due. True when there may be more to do at once. ``now``
        (a simulated clock, in tests) also times what the sending records: its retries'
        due times are counted from it."""
        clock = time.time if now is None else (lambda: now)
        now = clock()
        stores = self.hub.stores
        if not stores.channels.acquire(channel.name, self.owner, self.lease_seconds, now):
            return False
        queued_more = self._queue_new(channel, now)
        due = stores.channels.due(channel.name, now, channel.batch_size)
        if due:
            self._send(channel, due, clock)
        return queued_more or len(due) == channel.batch_size

    def _queue_new(self, channel: Channel, now: float) -> bool:
        stores = self.hub.stores
        cursor = stores.channels.cursor(channel.name)
        if cursor is None:
            # A new channel starts at "now": it does not send the whole history.
            stores.channels.enqueue(channel.name, self.owner, (), stores.messages.position().last)
            return False
        batch = stores.messages.after(None, cursor, 200)
        if not batch:
            return False
        deliveries: list[Delivery] = []
        for message in batch:
            for recipient in dict.fromkeys(channel.recipients(message, self.hub)):
                due = channel.first_due(message, recipient, self.hub, now)
                deliveries.append(
                    Delivery(
                        channel=channel.name,
                        message_id=message.id,
                        recipient=recipient,
                        key=f"{channel.name}:{message.id}:{recipient}",
                        state="queued",
                        updated=now,
                        due=due,
                    )
                )
        if not stores.channels.enqueue(channel.name, self.owner, deliveries, batch[-1].id):
            return False  # the lease was lost meanwhile: the new holder queues them
        return len(batch) == 200

    def _send(self, channel: Channel, due: list[Delivery], clock: Callable[[], float]) -> None:
        stores = self.hub.stores
        found = stores.messages.get([d.message_id for d in due])
        batch = []
        for delivery in due:
            message = found.get(delivery.message_id)
            if message is None:  # removed by the retention before it could be sent
                stores.channels.record(
                    delivery, "skipped", error="message removed", due=0.0, now=clock()
                )
            elif (reason := self._held_back(channel, delivery, message)) is not None:
                stores.channels.record(delivery, "skipped", error=reason, due=0.0, now=clock())
            else:
                batch.append(Outgoing(delivery, message))
        if not batch:
            return
        try:
            outcomes: Sequence[Outcome] = channel.send(batch, self.hub)
            if len(outcomes) != len(batch):
                raise RuntimeError(
                    f"channel {channel.name}: send returned {len(outcomes)} outcomes "
                    f"for {len(batch)} deliveries"
                )
        except Exception as error:  # the whole batch is retried
            log.warning("dash_notify channel %s: send failed: %s", channel.name, error)
            outcomes = [Retry(f"{type(error).__name__}: {error}")] * len(batch)
        now = clock()  # after the sending: retries count from when it ended
        records = []
        for item, outcome in zip(batch, outcomes):
            if isinstance(outcome, Later):
                self.hub.stores.channels.postpone(item.delivery, outcome.at, now)
            else:
                records.append(self._outcome(channel, item.delivery, outcome, now))
        # one write for the batch (one fsync on SQLite, one round trip on Redis)
        self.hub.stores.channels.record_many(records, now)

    def _held_back(self, channel: Channel, delivery: Delivery, message: Message) -> str | None:
        """Why the recipient's preferences hold this delivery back (None: they do not,
        or the recipient is not a user)."""
        if not delivery.recipient.startswith("user:"):
            return None
        user = delivery.recipient[len("user:") :].partition("#")[0]  # ids have no "#"
        return self.hub.preference_service.held_back(
            user, channel.preference or channel.name, message
        )

    def _outcome(
        self, channel: Channel, delivery: Delivery, outcome: Outcome, now: float
    ) -> tuple[Delivery, DeliveryState, str | None, float]:
        """The state an outcome leaves a delivery in: (delivery, state, error, due)."""
        if isinstance(outcome, Sent):
            return delivery, "sent", None, 0.0
        if isinstance(outcome, Skipped):
            return delivery, "skipped", outcome.reason, 0.0
        if isinstance(outcome, Failed):
            return delivery, "failed", outcome.error, 0.0
        assert isinstance(outcome, Retry)
        attempts = delivery.attempts + 1
        delay = channel.retry.delay(attempts)
        if delay is None:
            return delivery, "failed", outcome.error, 0.0
        if outcome.after is not None:
            delay = max(delay, outcome.after)
        delay += random.uniform(0, channel.retry.jitter * delay)
        return delivery, "queued", outcome.error, now + delay

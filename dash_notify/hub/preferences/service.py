"""``hub.preferences(user)``: read and change a user's preferences in the hub's store,
and ask whether one delivery is held back (remembered for a moment per process, so
that the live fan-out and the channels do not read the store for every event)."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..model import Delivery, Message
from ..targets import Identity
from .rules import PreferenceConfig

if TYPE_CHECKING:
    from ..core import Hub

# A change made in another process is seen here within this many seconds.
CACHE_SECONDS = 2.0
# warm() reads again what is older than this, so that the streams it is warmed for,
# which look a moment later (a fan-out to thousands takes a while), find it still fresh.
WARM_AFTER_SECONDS = CACHE_SECONDS / 2
# Users remembered at most (the memory starts over past it).
CACHE_USERS = 100_000


def _fresh(found: tuple[float, Any] | None, now: float, seconds: float = CACHE_SECONDS) -> bool:
    """Whether a remembered entry (read at ``found[0]``) is still recent at ``now``."""
    return found is not None and now - found[0] < seconds


class PreferenceService:
    """The preferences of every user of a hub (``hub.preference_service``)."""

    def __init__(self, hub: Hub, config: PreferenceConfig):
        self.hub = hub
        self.config = config
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def cached(self, user: str) -> dict[str, Any] | None:
        """The user's effective preferences if this process read them recently (never
        blocks: the event stream asks this first)."""
        with self._lock:
            found = self._cache.get(user)
        if _fresh(found, time.monotonic()):
            return found[1]
        return None

    def effective(self, user: str) -> dict[str, Any]:
        """The user's effective preferences (read from the store unless cached)."""
        found = self.cached(user)
        if found is None:
            found = self._remember(
                user, self.config.effective(self.hub.stores.preferences.get(user))
            )
        return found

    def warm(self, users: Iterable[str]) -> None:
        """Read, in one store read, the preferences of those of ``users`` this process
        has none recent of. The live fan-out calls it before handing a notification to
        their streams: a thousand streams then find their user's preferences here
        instead of reading the store one by one. What is over half its life old is read
        again too: else an entry that expires while the streams get to it (a second or
        so for thousands) would send each of them to the store on its own."""
        started = time.monotonic()
        with self._lock:
            stale = [
                user
                for user in set(users)
                if not _fresh(self._cache.get(user), started, WARM_AFTER_SECONDS)
            ]
        if not stale:
            return
        documents = self.hub.stores.preferences.get_many(stale)
        # dated from before the read (never fresher than it is), and computed outside the
        # lock; the users who chose nothing (most, often) share one copy of the defaults
        defaults = self.config.effective(None)
        effective = self.config.effective
        read = {
            user: (started, effective(documents[user]) if documents.get(user) else defaults)
            for user in stale
        }
        with self._lock:
            if len(self._cache) + len(read) > CACHE_USERS:
                self._cache.clear()
            for user, entry in read.items():
                found = self._cache.get(user)
                if found is None or found[0] < started:  # else: remembered meanwhile (a save)
                    self._cache[user] = entry

    def _remember(self, user: str, effective: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if len(self._cache) > CACHE_USERS:
                self._cache.clear()
            self._cache[user] = (time.monotonic(), effective)
        return effective

    def held_back(self, user: str, channel: str, message: Message) -> str | None:
        """Why ``user``'s preferences hold ``message`` back on ``channel`` (their
        switches and mode, or ``notify_myself`` for what they published), or None."""
        effective = self.effective(user)
        return self.config.held_back(effective, channel, message.options) or self.config.myself(
            effective, channel, user, message.actor, message.targets
        )

    def note_held_back(self, user: str, channel: str, message: Message, reason: str) -> None:
        """Note in the delivery log that ``reason`` held ``message`` back from ``user``
        on ``channel`` (channels the runner does not run: in-app)."""
        now = time.time()
        self.hub.stores.channels.note(
            [
                Delivery(
                    channel=channel,
                    message_id=message.id,
                    recipient=f"user:{user}",
                    key=f"{channel}:{message.id}:user:{user}",
                    state="skipped",
                    error=reason,
                    updated=now,
                )
            ]
        )

    def save(self, user: str, changes: Mapping[str, Any], *, replace: bool) -> dict[str, Any]:
        """Check ``changes`` and store them (over the user's choices, or instead of
        them with ``replace``); the effective preferences now."""
        checked = self.config.check(changes)
        stored = {} if replace else (self.hub.stores.preferences.get(user) or {})
        document = self.config.merge(stored, checked)
        self.hub.stores.preferences.put(user, document)
        return self._remember(user, self.config.effective(document))


class UserPreferences:
    """One user's preferences: ``get()``, ``set({...})`` (replace), ``update({...})``
    (merge). Bad input raises PreferenceError naming the field and the allowed values."""

    def __init__(self, service: PreferenceService, user: str):
        self.service = service
        self.user = user

    def get(self) -> dict[str, Any]:
        """Every channel, every category of the app and the email mode, as they apply
        to this user now (the app's defaults where the user chose nothing). A copy of
        its own: changing it changes nothing."""
        return copy.deepcopy(self.service.effective(self.user))

    def set(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the user's choices with ``document``; returns :meth:`get`."""
        return copy.deepcopy(self.service.save(self.user, document, replace=True))

    def update(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change some choices (``{"email": "daily"}``, ``{"categories": {"deploy":
        {"push": false}}}``); the others stay. Returns :meth:`get`."""
        return copy.deepcopy(self.service.save(self.user, changes, replace=False))

    def held_back(self, channel: str, message: Message) -> str | None:
        """Why this user's preferences hold ``message`` back on ``channel``, or None."""
        return self.service.held_back(self.user, channel, message)


def user_of(who: str | Identity) -> str:
    """A user id from an id or an Identity."""
    return who.user if isinstance(who, Identity) else str(who)

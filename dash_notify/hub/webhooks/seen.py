"""``notification.seen`` events for the rules that want them, from ``hub.mark_seen``.

A mark by ids is one event per notification it newly marked seen. A "mark all seen"
(``{"all": true}``, the center's "Mark all read") is one mark in the store however
many notifications it covers; for webhooks it is one event per notification it newly
marked seen among the user's newest ``BULK_SCAN`` notifications (older unseen ones
are marked seen without an event), each with ``"all": true`` in its data, so that a
rule's filters apply to each notification alike and receivers handle one shape.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Seen, StoreUnavailableError
from ..targets import Identity

if TYPE_CHECKING:
    from ..core import Hub

SEEN = "notification.seen"
# How many of a user's newest notifications a "mark all seen" looks at for events.
BULK_SCAN = 1000
PAGE = 500

log = logging.getLogger(__name__)


def unseen(hub: Hub, identity: Identity, upto: int) -> list[int]:
    """The user's notifications up to id ``upto`` (among their newest ``BULK_SCAN``)
    that they have not seen yet; empty when no rule wants ``notification.seen``."""
    if not hub.webhooks.wants(SEEN):
        return []
    found: list[int] = []
    before = upto + 1
    scanned = 0
    while scanned < BULK_SCAN:
        page = hub.stores.messages.newest(identity.targets, min(PAGE, BULK_SCAN - scanned), before)
        if not page:
            break
        scanned += len(page)
        before = page[-1].id
        ids = [message.id for message in page if message.kind == "notify"]
        seen_at = hub.stores.seen.seen_at(identity.user, ids)
        found += [i for i in ids if i not in seen_at]
    return found


def emit_seen(hub: Hub, identity: Identity, marked: Seen | None, bulk: Sequence[int] = ()) -> None:
    """Record the seen events of a mark (``marked``, as the store answered it; ``bulk``:
    what :func:`unseen` found before a "mark all seen"). The mark is done whatever
    happens here: a store failure is logged, never raised."""
    if marked is None:
        return
    try:
        if marked.ids:
            hub.webhooks.emit_many(SEEN, marked.ids, identity)
        covered = [i for i in bulk if i <= marked.upto and i not in marked.ids]
        if covered:
            hub.webhooks.emit_many(SEEN, covered, identity, bulk=True)
    except StoreUnavailableError as error:
        log.warning("dash_notify: seen events of %s not recorded: %s", identity.user, error)

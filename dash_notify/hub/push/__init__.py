"""Web Push: notifications that reach a user's browsers while no tab of the app is open.

- :mod:`.subscription`: a subscription as stored, and the checks a browser's one must
  pass (no dependency beyond the standard library);
- :mod:`.service`: ``hub.push``, subscribe, unsubscribe, list and remove;
- :mod:`.vapid`: the VAPID key pair and contact (needs the ``push`` extra);
- :mod:`.payload`: what a push carries and its headers (TTL, Urgency, Topic);
- the sending itself is the channel :mod:`dash_notify.hub.channels.push` (``push``
  extra: pywebpush does the RFC 8291 encryption and the RFC 8292 signature).

This package imports nothing of the ``push`` extra, so the hub runs without it.
"""

from .subscription import PushSubscriptionError, Subscription

__all__ = ["PushSubscriptionError", "Subscription"]

"""Channels: delivery beyond open tabs (Web Push, email, webhooks, ...), each one file
behind the seam in :mod:`.base`, run by :mod:`.runner`."""

from .base import Channel, Failed, Later, Outcome, Outgoing, Retry, Sent, Skipped

__all__ = ["Channel", "Failed", "Later", "Outcome", "Outgoing", "Retry", "Sent", "Skipped"]

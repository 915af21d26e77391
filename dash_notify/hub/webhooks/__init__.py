"""Outbound webhooks: rules (which events, filtered how, go to which URL), managed
from Python (``hub.webhooks``), the command line (``dash-notify webhook``) and the web
layer, and delivered, signed as Standard Webhooks says, by :class:`WebhookChannel`."""

from .rule import EVENTS, FILTERS, METHODS, Attempt, Rule

__all__ = ["EVENTS", "FILTERS", "METHODS", "Attempt", "Rule"]

"""Outbound webhooks: rules (which events, filtered how, go to which URL), managed
from Python (``hub.webhooks``), the command line (``dash-notify webhook``) and the web
layer, and delivered, signed as Standard Webhooks says, by the channel
:class:`dash_notify.hub.channels.webhooks.WebhookChannel`.

    hub = Hub(app, store, channels=[WebhookChannel()])
    rule = hub.webhooks.create("CI", "https://ci.example/hooks", events=["notification.clicked"])
"""

from .addresses import AddressRefusedError
from .api import Webhooks
from .config import SCHEDULE, WebhookConfig
from .rule import EVENTS, FILTERS, METHODS, Attempt, Rule
from .validate import RuleError, RuleNotFoundError

__all__ = [
    "EVENTS",
    "FILTERS",
    "METHODS",
    "SCHEDULE",
    "AddressRefusedError",
    "Attempt",
    "Rule",
    "RuleError",
    "RuleNotFoundError",
    "WebhookConfig",
    "Webhooks",
]

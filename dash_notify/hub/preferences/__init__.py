"""Per-user delivery preferences: which channels (in-app, push, email) a user wants,
optionally per category, and their email mode (silent, never, often, daily).

:mod:`.rules` holds the app's defaults and the checks; :mod:`.service` reads and
writes a user's choices in the hub's store and answers whether a delivery is held
back (``hub.preferences(user)``).
"""

from .rules import CHANNELS, MODES, PreferenceConfig, PreferenceError
from .service import PreferenceService, UserPreferences

__all__ = [
    "CHANNELS",
    "MODES",
    "PreferenceConfig",
    "PreferenceError",
    "PreferenceService",
    "UserPreferences",
]

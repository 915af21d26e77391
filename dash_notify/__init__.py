"""dash_notify: real desktop notifications for Plotly Dash apps.

Put ``dash_notify.Notifications(id=...)`` in the layout, raise notifications from
callbacks (its ``raise`` prop, or ``dash_notify.notify``) and receive clicks on them in
callbacks (its ``clickData`` prop, or ``dash_notify.Interop`` handlers).
"""

from __future__ import annotations

import json
from importlib import resources

from ._imports_ import *  # noqa: F403 - the generated component classes
from ._imports_ import __all__ as _components
from .hub import EVERYONE, Hub, StoreUnavailableError, TargetError, group, user
from .interop import Interop
from .notify import close, notify
from .options import (
    NotificationOptionsError,
    NotificationOptionsTypeError,
    action,
    interop,
    notification,
    option_errors,
    options_schema,
    validate_options,
)

_package = json.loads(resources.files(__name__).joinpath("package.json").read_text("utf-8"))
__version__: str = _package["version"]

_js_dist = [
    {
        "relative_package_path": "dash_notify.min.js",
        "namespace": "dash_notify",
    },
    # Parts of the bundle fetched when first wanted: the center's panel, the options
    # validator (first notification), the hub client (hub=True), the push client (push=True).
    *(
        {"relative_package_path": f"async-{part}.js", "namespace": "dash_notify", "async": True}
        for part in ("center", "validate", "hub", "push")
    ),
    {
        # The service worker: registered by the bundle, never loaded as a script tag.
        "relative_package_path": "sw.js",
        "namespace": "dash_notify",
        "dynamic": True,
    },
]
_css_dist: list = []

for _component in _components:
    locals()[_component]._js_dist = _js_dist
    locals()[_component]._css_dist = _css_dist

__all__ = [
    *_components,
    "EVERYONE",
    "Hub",
    "Interop",
    "NotificationOptionsError",
    "NotificationOptionsTypeError",
    "action",
    "close",
    "interop",
    "notification",
    "notify",
    "StoreUnavailableError",
    "TargetError",
    "group",
    "option_errors",
    "options_schema",
    "user",
    "validate_options",
    "__version__",
]

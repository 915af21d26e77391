"""Interop methods: Python functions called by name when a notification is clicked.

As registering an Interop method does in io.Connect: a click whose ``clickInterop`` (or
the clicked action's ``interop``) names a registered method calls that method with the
interop's ``arguments`` and the whole ``clickData``.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import dash
from dash import Input

from .notify import ComponentId

Handler = Callable[[Any, dict], Any]

logger = logging.getLogger(__name__)


class Interop:
    """A registry of interop methods for one ``Notifications`` component.

    >>> interop = Interop("notifications", app)     # doctest: +SKIP
    >>> @interop.register("OpenPortfolio")          # doctest: +SKIP
    ... def open_portfolio(arguments, click):
    ...     dash.set_props("portfolio", {"children": arguments["id"]})

    A handler receives the interop's ``arguments`` (``None`` if there were none) and
    the ``clickData`` dict, and updates the page with ``dash.set_props``. Clicks whose
    interop names no registered method (or that have no interop) are left to ordinary
    callbacks on ``clickData``. One Dash callback serves all the methods of a component.
    """

    def __init__(self, component_id: ComponentId, app: dash.Dash | None = None):
        self.component_id = component_id
        self._handlers: dict[str, Handler] = {}
        register_callback = app.callback if app is not None else dash.callback
        register_callback(Input(component_id, "clickData"), prevent_initial_call=True)(
            self.dispatch
        )

    def register(self, method: str, handler: Handler | None = None):
        """Register ``handler`` for ``method``; usable as a decorator.

        Raises ``ValueError`` if ``method`` is empty or already registered.
        """
        if not isinstance(method, str) or not method:
            raise ValueError("method: must be a non-empty string")
        if method in self._handlers:
            raise ValueError(f"method: {method!r} is already registered")

        def add(function: Handler) -> Handler:
            self._handlers[method] = function
            return function

        return add(handler) if handler is not None else add

    def unregister(self, method: str) -> None:
        """Forget ``method``; later clicks naming it are left to ordinary callbacks."""
        self._handlers.pop(method, None)

    @property
    def methods(self) -> list[str]:
        """The registered method names."""
        return sorted(self._handlers)

    def dispatch(self, click: dict | None) -> None:
        """Call the handler that ``click``'s interop names, if one is registered."""
        interop = (click or {}).get("interop") or {}
        method = interop.get("method")
        handler = self._handlers.get(method) if isinstance(method, str) else None
        if handler is None:
            if method is not None:
                logger.info("dash_notify: no interop method %r registered", method)
            return
        handler(interop.get("arguments"), click)

"""The hub's web layer: the only code that knows Flask, FastAPI or Quart.

``handlers`` (framework-neutral views: WebRequest -> WebResponse), ``stream`` (the event
stream, run sync on WSGI and async on ASGI), ``identity`` (who is asking), ``slots``
(open-stream limits), ``settings`` (every limit in one place), ``openapi`` (the
document, generated), one adapter per backend (``flask``, ``fastapi``, ``quart``) and
``install`` (routes put on Dash apps through ``dash.hooks.setup``). Adapters are
imported only for the backend an app uses.
"""

from __future__ import annotations

from typing import Any

from .install import attach, install, register_hook


def _current_request() -> Any:
    """The request being handled, on any backend, or None."""
    import sys
    from importlib import import_module

    for name in ("flask", "quart", "fastapi"):
        if name in sys.modules:
            request = import_module(f".{name}", __name__).current_request()
            if request is not None:
                return request
    return None


def current_user(hub: Any) -> str:
    """The user id of the request being handled (in a Dash callback: its caller), on any
    backend; raises RuntimeError outside a request."""
    from .identity import user_id
    from .settings import WebSettings

    request = _current_request()
    if request is None:
        raise RuntimeError("dash_notify: no request is being handled (hub.me() needs one)")
    return user_id(hub, request, WebSettings.of(hub))


def current_actor(hub: Any) -> str | None:
    """Who publishes from the app's code now: the user of the request being handled
    (without giving a browser an id it does not have), or None outside a request."""
    from .identity import known_user_id
    from .settings import WebSettings

    request = _current_request()
    return None if request is None else known_user_id(hub, request, WebSettings.of(hub))


def configure(app: Any, **settings: Any) -> None:
    """Change web-layer settings of an app that has a hub (names of
    :class:`~dash_notify.hub.web.settings.WebSettings`: ``max_streams_per_user``,
    ``write_timeout``, ``trust_forwarded_proto``, ...)."""
    from dataclasses import replace

    from .context import context_of

    context = context_of(app)
    if context is None:
        raise ValueError("configure: this Dash app has no dash_notify hub")
    context.settings = replace(context.settings, **settings)
    slots = context.slots
    slots.per_worker = context.settings.max_streams or slots.per_worker
    slots.per_ip = context.settings.max_streams_per_ip
    slots.per_user = context.settings.max_streams_per_user


register_hook()

__all__ = ["attach", "configure", "current_actor", "current_user", "install", "register_hook"]

# AUTO GENERATED FILE - DO NOT EDIT

import typing  # noqa: F401
from typing_extensions import TypedDict, NotRequired, Literal # noqa: F401
from dash.development.base_component import Component, _explicitize_args
try:
    from dash.types import NumberType  # noqa: F401
except ImportError:
    # Backwards compatibility for dash<=4.1.0
    if typing.TYPE_CHECKING:
        raise
    NumberType = typing.Union[  # noqa: F401
        typing.SupportsFloat, typing.SupportsInt, typing.SupportsComplex
    ]

ComponentSingleType = typing.Union[str, int, float, Component, None]
ComponentType = typing.Union[
    ComponentSingleType,
    typing.Sequence[ComponentSingleType],
]


class Notifications(Component):
    """A Notifications component.
Shows real desktop notifications raised from Dash callbacks, through a service worker,
and sends clicks on them (body and action buttons) back to Dash callbacks as
`clickData`. Put one in the layout and set its `raise` prop from a callback, or call
`dash_notify.notify(id, options)` from any callback.

Keyword arguments:

- id (string | dict; optional):
    The ID used to identify this component in Dash callbacks.

- className (string; default undefined):
    CSS class of the component's (hidden) element.

- clickData (dict; optional):
    Read-only: set on every click of a notification's body or of one
    of its actions. Two identical clicks are two events (eventId
    differs).

    `clickData` is a dict with keys:

    - id (string; optional):
        The notification's id (the same as in shownData).

    - action (string; optional):
        The clicked action's id; None for a click on the body.

    - interop (dict; optional):
        The clicked part's interop setting ({method, arguments,
        target}), or None.

    - tag (string; optional):
        The notification's tag, or None.

    - data (boolean | number | string | dict | list; optional):
        The notification's data, or None.

    - severity (a value equal to: 'Low', 'Medium', 'High', 'Critical', 'None'; optional):
        The notification's severity (\"None\" if it had none).

    - type (a value equal to: 'Notification', 'Alert'; optional):
        The notification's type (\"Notification\" if it had none).

    - source (string; optional):
        The notification's source, or None.

    - delivery (a value equal to: 'desktop'; optional):
        Where it was clicked: \"desktop\".

    - timestamp (number; optional):
        When it was clicked, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this click.

- closedData (list of dicts; optional):
    Read-only: notifications that closed, one entry each. Set for each
    close the browser reports, and with a raise for the notifications
    its tags replaced.

    `closedData` is a list of dicts with keys:

    - id (string; optional):
        The notification's id.

    - tag (string; optional):
        Its tag, or None.

    - reason (a value equal to: 'clicked', 'dismissed', 'replaced'; optional):
        \"clicked\" (body or action), \"dismissed\" (closed by the
        user) or \"replaced\" (a notification with the same tag took
        its place).

    - delivery (a value equal to: 'desktop'; optional):
        How it had been delivered: \"desktop\".

    - timestamp (number; optional):
        When, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this event.

- errorData (list of dicts; optional):
    Read-only: notifications of a raise that were invalid or that the
    browser refused, one entry each. The same message goes to the
    browser console and, in debug mode, to Dash's dev tools; the other
    notifications of the raise are still shown.

    `errorData` is a list of dicts with keys:

    - id (string; optional):
        The notification's id (as in shownData).

    - index (number; optional):
        Its position in a raised list, or None for a single dict.

    - field (string; optional):
        The first bad field, such as \"actions[0].title\", or None.

    - message (string; optional):
        The whole message.

    - errors (list of dicts; optional):
        Every problem found: dicts with field, code, message and
        allowed.

    - timestamp (number; optional):
        When, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this event.

- maxActions (number; optional):
    Read-only: how many action buttons the browser shows (2 in
    Chromium, 0 if unsupported).

- permission (a value equal to: 'default', 'granted', 'denied', 'unsupported'; default 'default'):
    Read-only: the permission for desktop notifications, kept current.
    \"unsupported\" where the browser has no Notification API or
    service workers, or the page is not a secure context (https or
    localhost).

- raise (dict | list of dicts; optional):
    Writable: the notification to show (a dict of options), or a list
    of them. Each value set is shown once, then the prop is cleared to
    None. Options:  - title (string, required): the title, 1 to 500
    characters. - body (string): the main text, up to 5000 characters.
    - severity (\"Low\" | \"Medium\" | \"High\" | \"Critical\" |
    \"None\"): urgency. \"Critical\"   stays until the user acts and
    is never silent; \"High\" stays until the user acts   unless
    requireInteraction is False; \"Low\" is silent unless silent is
    False. - type (\"Notification\" | \"Alert\"): a general
    notification or an alert. - source (string): the name of the
    notification's source. - clickInterop (dict): the interop method
    called when the body is clicked:   {method (string, required),
    arguments (any JSON), target (string, dict or list)}. - actions
    (list of at most 2 dicts): action buttons, each {action (string
    id,   required), title (string label, required), icon (URL),
    interop (as clickInterop)}. - icon, badge, image (string URLs):
    relative, http(s), blob: or data:image/ (not   javascript: or
    data:image/svg). - tag (string): a notification with the same tag
    as a shown one replaces it. - data (any JSON): returned in
    clickData. - requireInteraction (bool): keep the notification
    until the user acts. - silent (bool): no sound or vibration (not
    together with vibrate). - renotify (bool): alert again when
    replacing a notification with the same tag   (needs a tag). -
    timestamp (number): the time the notification refers to, in ms
    since the epoch. - dir (\"auto\" | \"ltr\" | \"rtl\"): text
    direction. - lang (string): language tag of the text, such as
    \"en-GB\". - vibrate (int or list of ints): vibration pattern in
    milliseconds.  Options are checked against
    dash_notify/options.schema.json, as dash_notify.notification()
    checks them in Python. Invalid options are shown nowhere: they are
    reported in errorData, the browser console and Dash's dev tools,
    and valid ones in the same list are still shown.

- shownData (list of dicts; optional):
    Read-only: how each notification raised was delivered, or why it
    was not shown. Set once for each value given to `raise`, with one
    entry per notification in it (a single dict gives a list of one).

    `shownData` is a list of dicts with keys:

    - id (string; optional):
        The notification's id (the same as in clickData and
        closedData).

    - index (number; optional):
        Its position in a raised list, or None for a single dict.

    - tag (string; optional):
        Its tag, or None.

    - delivery (a value equal to: 'desktop'; optional):
        \"desktop\", or None when it was not shown.

    - reason (a value equal to: 'invalid', 'permission-default', 'permission-denied', 'unsupported', 'error'; optional):
        Why it was not shown, or None: \"invalid\" (see errorData),
        \"permission-default\" (the person has not decided yet),
        \"permission-denied\", \"unsupported\" or \"error\" (the
        browser refused it; see errorData).

    - timestamp (number; optional):
        When, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this event."""
    _children_props: typing.List[str] = []
    _base_nodes = ['children']
    _namespace = 'dash_notify'
    _type = 'Notifications'
    ClickData = TypedDict(
        "ClickData",
            {
            "id": NotRequired[str],
            "action": NotRequired[str],
            "interop": NotRequired[dict],
            "tag": NotRequired[str],
            "data": NotRequired[typing.Any],
            "severity": NotRequired[Literal["Low", "Medium", "High", "Critical", "None"]],
            "type": NotRequired[Literal["Notification", "Alert"]],
            "source": NotRequired[str],
            "delivery": NotRequired[Literal["desktop"]],
            "timestamp": NotRequired[NumberType],
            "eventId": NotRequired[str]
        }
    )

    ShownData = TypedDict(
        "ShownData",
            {
            "id": NotRequired[str],
            "index": NotRequired[NumberType],
            "tag": NotRequired[str],
            "delivery": NotRequired[Literal["desktop"]],
            "reason": NotRequired[Literal["invalid", "permission-default", "permission-denied", "unsupported", "error"]],
            "timestamp": NotRequired[NumberType],
            "eventId": NotRequired[str]
        }
    )

    ClosedData = TypedDict(
        "ClosedData",
            {
            "id": NotRequired[str],
            "tag": NotRequired[str],
            "reason": NotRequired[Literal["clicked", "dismissed", "replaced"]],
            "delivery": NotRequired[Literal["desktop"]],
            "timestamp": NotRequired[NumberType],
            "eventId": NotRequired[str]
        }
    )

    ErrorData = TypedDict(
        "ErrorData",
            {
            "id": NotRequired[str],
            "index": NotRequired[NumberType],
            "field": NotRequired[str],
            "message": NotRequired[str],
            "errors": NotRequired[typing.Sequence[dict]],
            "timestamp": NotRequired[NumberType],
            "eventId": NotRequired[str]
        }
    )


    def __init__(
        self,
        id: typing.Optional[typing.Union[str, dict]] = None,
        permission: typing.Optional[Literal["default", "granted", "denied", "unsupported"]] = None,
        maxActions: typing.Optional[NumberType] = None,
        clickData: typing.Optional["ClickData"] = None,
        shownData: typing.Optional[typing.Sequence["ShownData"]] = None,
        closedData: typing.Optional[typing.Sequence["ClosedData"]] = None,
        errorData: typing.Optional[typing.Sequence["ErrorData"]] = None,
        className: typing.Optional[str] = None,
        style: typing.Optional[typing.Any] = None,
        **kwargs
    ):
        self._prop_names = ['id', 'className', 'clickData', 'closedData', 'errorData', 'maxActions', 'permission', 'raise', 'shownData', 'style']
        self._valid_wildcard_attributes =            []
        self.available_properties = ['id', 'className', 'clickData', 'closedData', 'errorData', 'maxActions', 'permission', 'raise', 'shownData', 'style']
        self.available_wildcard_properties =            []
        _explicit_args = kwargs.pop('_explicit_args')
        _locals = locals()
        _locals.update(kwargs)  # For wildcard attrs and excess named props
        args = {k: _locals[k] for k in _explicit_args}

        super(Notifications, self).__init__(**args)

setattr(Notifications, "__init__", _explicitize_args(Notifications.__init__))

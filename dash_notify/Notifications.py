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
Shows notifications raised from Dash callbacks: real desktop notifications through a
service worker, in-page toasts when those are denied or unsupported (see `delivery`),
and a notification center that keeps every notification of the session. Clicks on the
body or an action button of any of them come back to Dash callbacks as `clickData`.
Set `raise` from a callback, or call `dash_notify.notify(id, options)`.

Keyword arguments:

- id (string | dict; optional):
    The ID used to identify this component in Dash callbacks.

- center (boolean; default False):
    Show the notification center here: a bell with the unread count
    (9+ past nine) that opens a panel listing every notification of
    the session, newest first.

- className (string; default undefined):
    CSS class of the component's element (which holds the center's
    bell, if shown).

- clearAll (boolean; default False):
    Writable: set to True to clear the history.

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

    - category (string; optional):
        The notification's category, or None.

    - url (string; optional):
        The notification's url option, or None (it is opened for a
        click on the body).

    - publisher (string; optional):
        Who published it, for hub notifications: \"python\"
        (Hub.publish) or \"token:<name>\" (over HTTP with that token);
        None for notifications raised in this app's callbacks.

    - delivery (a value equal to: 'desktop', 'toast', 'center', 'email'; optional):
        Where it was clicked: \"desktop\", \"toast\", \"center\", or
        \"email\" (a hub notification's link in a mail, which opened
        the app: see the hub's email channel).

    - timestamp (number; optional):
        When it was clicked, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this click.

- close (dict; optional):
    Writable: closes notifications on screen: {\"tag\": str} closes
    the toasts and desktop notifications with that tag, {\"id\": str}
    the one with that id (the id in shownData; \"hub:<n>\" for hub
    notifications); a list closes several. Each value set is acted on
    once, then the prop is cleared to None. What closes is reported in
    closedData with reason \"closed\"; it stays in the notification
    center. Or call `dash_notify.close(id, tag=...)` from any
    callback; the hub's `hub.close(tag, to=...)` does the same in
    every browser of its recipients.

    `close` is a dict with keys:

    - tag (string; optional):
        Close the notifications with this tag.

    - id (string; optional):
        Close the notification with this id. | list of dicts with keys:

    - tag (string; optional):
        Close the notifications with this tag.

    - id (string; optional):
        Close the notification with this id.

- closedData (list of dicts; optional):
    Read-only: notifications that closed, one entry for each delivery
    that closed. Set for each close the browser reports, with a raise
    for the notifications its tags replaced, and for each close asked
    for (`close`).

    `closedData` is a list of dicts with keys:

    - id (string; optional):
        The notification's id.

    - tag (string; optional):
        Its tag, or None.

    - reason (a value equal to: 'clicked', 'dismissed', 'replaced', 'expired', 'closed'; optional):
        \"clicked\" (body or action), \"dismissed\" (closed by the
        user), \"replaced\" (a desktop notification with the same tag
        took its place), \"expired\" (a toast that closed by itself)
        or \"closed\" (by `close`, `dash_notify.close` or the hub's
        `hub.close`).

    - delivery (a value equal to: 'desktop', 'toast'; optional):
        Which of its deliveries closed: \"desktop\" or \"toast\".

    - timestamp (number; optional):
        When, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this event.

- count (number; optional):
    Read-only: how many notifications the history holds.

- delivery (a value equal to: 'auto', 'desktop', 'toast', 'both'; default 'auto'):
    How notifications are delivered: \"auto\" (a desktop notification
    when permission is granted and the browser supports it, an in-page
    toast otherwise), \"desktop\" (desktop only), \"toast\" (in-page
    toast only) or \"both\". Every notification also goes to the
    notification center's history.

- durations (dict; default {Low: 4000, Medium: 6000, None: 6000}):
    How long toasts stay, in milliseconds, by severity: Low, Medium
    and None close by themselves (defaults 4000, 6000 and 6000; 0
    keeps them); High, Critical and in-progress toasts stay until
    dismissed. Auto-close pauses while the pointer or the keyboard
    focus is on the toasts, the window is in the background or the tab
    is hidden.

    `durations` is a dict with keys:

    - Low (number; optional):
        Milliseconds for Low.

    - Medium (number; optional):
        Milliseconds for Medium.

    - None (number; optional):
        Milliseconds for None.

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

- hotkey (string; default 'Alt+T'):
    The keyboard shortcut that moves focus to the toasts (Escape
    returns it).

- hub (boolean; default False):
    Subscribe to the app's notification hub (dash_notify.Hub):
    notifications published to this user (or their groups, or
    everyone) arrive live over Server-Sent Events and are shown
    exactly as if a callback had raised them; the notification center
    also shows the user's stored history, and marking one read marks
    it read in all of the user's browsers. Each click on a hub
    notification (desktop, toast or center) is reported to the hub
    once, as this user, for its webhook rules (notification.clicked).
    Needs a Hub attached to the app.

- hubStatus (a value equal to: 'off', 'connecting', 'connected', 'reconnecting'; optional):
    Read-only: the hub connection: \"off\" (hub is False),
    \"connecting\", \"connected\" or \"reconnecting\" (after a drop;
    it retries with backoff and then receives exactly what it missed).

- markAllRead (boolean; default False):
    Writable: set to True to mark every notification in the history
    read.

- maxActions (number; optional):
    Read-only: how many action buttons the browser shows (2 in
    Chromium, 0 if unsupported).

- maxHistory (number; default 500):
    How many notifications the history keeps (newest first). It is
    stored in the browser (localStorage), survives a reload and is
    shared by the app's tabs.

- maxVisible (number; default 3):
    How many toasts are on screen at once; the others wait in a queue
    (at most 100, Critical ones first) and all are kept in the
    notification center.

- permission (a value equal to: 'default', 'granted', 'denied', 'unsupported'; default 'default'):
    Read-only: the permission for desktop notifications, kept current.
    \"unsupported\" where the browser has no Notification API or
    service workers, or the page is not a secure context (https or
    localhost).

- position (a value equal to: 'top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'; default 'bottom-right'):
    Where the toasts appear. At the bottom, they keep clear of Dash's
    dev tools bar in debug mode.

- preferences (boolean; default False):
    Show a settings button in the notification center (with `center`
    and `hub`): it opens the user's delivery preferences from the hub
    (Hub(..., preferences=...)), a switch per channel (in-app, push,
    email) for all notifications and for each category, and the email
    mode. Changes are saved to the hub at once, for all of the user's
    browsers. Critical notifications and required categories are shown
    locked.

- push (boolean; default False):
    Web Push (needs a Hub with a PushChannel): once notification
    permission is granted (from a user gesture, e.g.
    PermissionButton), subscribe this browser with the app's public
    key and store the subscription on the hub for this user (an
    anonymous browser: its cookie identity), so that hub notifications
    reach it while no tab of the app is open. Clicks on pushed
    notifications arrive in clickData here (the app is opened when no
    tab is). Set back to False: the browser unsubscribes, here and on
    the hub.

- pushState (a value equal to: 'off', 'unsupported', 'waiting', 'denied', 'subscribing', 'subscribed', 'error'; optional):
    Read-only: the push subscription: \"off\" (push is False),
    \"unsupported\" (no Push API here), \"waiting\" (for notification
    permission), \"denied\" (permission denied), \"subscribing\",
    \"subscribed\" (stored on the hub) or \"error\" (the key route,
    the browser's push service or the hub failed; see the browser
    console).

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
    notification's source. - category (string): what it is about, such
    as \"comment\", \"deploy\" or \"billing\":   1 to 64 of a-z, 0-9,
    \".\", \"_\" and \"-\", starting with a letter or a digit.   Shown
    in toasts and the center (whose Category filter lists the
    categories   present) and filterable by webhook rules. - owner
    (string): what it is about, such as \"invoice:42\": 1 to 128 of
    A-Z, a-z,   0-9, \".\", \"_\", \"-\", \":\", \"/\" and \"#\",
    starting with a letter or a digit. Used   by the hub's email
    channel (a user is not mailed twice about the same owner   while
    the first mail's notification is unseen); nothing changes on
    screen. - clickInterop (dict): the interop method called when the
    body is clicked:   {method (string, required), arguments (any
    JSON), target (string, dict or list)}. - url (string): opened by a
    click on the body (the click still arrives in   clickData): a path
    of the app (starting with one \"/\", as a dcc.Link href; use
    dash.get_relative_path under a path prefix) navigates inside the
    app without a   reload (Dash Pages, dcc.Location); an http(s) URL
    opens in a new tab (noopener).   Other schemes, \"//host\" and
    backslashes are refused. - actions (list of at most 2 dicts):
    action buttons, each {action (string id,   required), title
    (string label, required), icon (URL), interop (as clickInterop)}.
    - icon, badge, image (string URLs): relative, http(s), blob: or
    data:image/ (not   javascript: or data:image/svg). - tag (string):
    a notification with the same tag as a shown one replaces it. -
    data (any JSON): returned in clickData. - requireInteraction
    (bool): keep the notification until the user acts. - silent
    (bool): no sound or vibration (not together with vibrate). -
    renotify (bool): alert again when replacing a notification with
    the same tag   (needs a tag). - timestamp (number): the time the
    notification refers to, in ms since the epoch. - dir (\"auto\" |
    \"ltr\" | \"rtl\"): text direction. - lang (string): language tag
    of the text, such as \"en-GB\". - vibrate (int or list of ints):
    vibration pattern in milliseconds. - showToast (bool): False sends
    it to the notification center only, with no toast   and no desktop
    popup. - inProgress (bool): a task under way; its toast stays,
    with a progress bar, until   a notification with the same tag ends
    it. - progress (number from 0 to 1): how far the task is (with
    inProgress).  Options are checked against
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

    - delivery (a value equal to: 'desktop', 'toast', 'both', 'center'; optional):
        \"desktop\", \"toast\", \"both\", \"center\" (showToast False:
        the center only), or None when it was not shown.

    - reason (a value equal to: 'invalid', 'permission-default', 'permission-denied', 'unsupported', 'error'; optional):
        Why it was not shown, or None: \"invalid\" (see errorData),
        \"permission-default\" (the person has not decided yet),
        \"permission-denied\", \"unsupported\" or \"error\" (the
        browser refused it; see errorData).

    - timestamp (number; optional):
        When, in milliseconds since the epoch.

    - eventId (string; optional):
        A unique id of this event.

- stacked (boolean; default False):
    Stack the toasts: the newest in front and the others tucked behind
    it, spreading out while the pointer or the keyboard focus is on
    them (the hotkey too).

- theme (a value equal to: 'light', 'dark', 'system'; default 'light'):
    Colours of the toasts and the center: \"light\", \"dark\" or
    \"system\" (the OS setting).

- unreadCount (number; optional):
    Read-only: how many of them are unread."""
    _children_props: typing.List[str] = []
    _base_nodes = ['children']
    _namespace = 'dash_notify'
    _type = 'Notifications'
    Close = TypedDict(
        "Close",
            {
            "tag": NotRequired[str],
            "id": NotRequired[str]
        }
    )

    Durations = TypedDict(
        "Durations",
            {
            "Low": NotRequired[NumberType],
            "Medium": NotRequired[NumberType],
            "None": NotRequired[NumberType]
        }
    )

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
            "category": NotRequired[str],
            "url": NotRequired[str],
            "publisher": NotRequired[str],
            "delivery": NotRequired[Literal["desktop", "toast", "center", "email"]],
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
            "delivery": NotRequired[Literal["desktop", "toast", "both", "center"]],
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
            "reason": NotRequired[Literal["clicked", "dismissed", "replaced", "expired", "closed"]],
            "delivery": NotRequired[Literal["desktop", "toast"]],
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
        close: typing.Optional[typing.Union["Close", typing.Sequence["Close"]]] = None,
        delivery: typing.Optional[Literal["auto", "desktop", "toast", "both"]] = None,
        position: typing.Optional[Literal["top-left", "top-center", "top-right", "bottom-left", "bottom-center", "bottom-right"]] = None,
        stacked: typing.Optional[bool] = None,
        maxVisible: typing.Optional[NumberType] = None,
        durations: typing.Optional["Durations"] = None,
        hub: typing.Optional[bool] = None,
        hubStatus: typing.Optional[Literal["off", "connecting", "connected", "reconnecting"]] = None,
        push: typing.Optional[bool] = None,
        preferences: typing.Optional[bool] = None,
        pushState: typing.Optional[Literal["off", "unsupported", "waiting", "denied", "subscribing", "subscribed", "error"]] = None,
        theme: typing.Optional[Literal["light", "dark", "system"]] = None,
        center: typing.Optional[bool] = None,
        maxHistory: typing.Optional[NumberType] = None,
        hotkey: typing.Optional[str] = None,
        markAllRead: typing.Optional[bool] = None,
        clearAll: typing.Optional[bool] = None,
        count: typing.Optional[NumberType] = None,
        unreadCount: typing.Optional[NumberType] = None,
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
        self._prop_names = ['id', 'center', 'className', 'clearAll', 'clickData', 'close', 'closedData', 'count', 'delivery', 'durations', 'errorData', 'hotkey', 'hub', 'hubStatus', 'markAllRead', 'maxActions', 'maxHistory', 'maxVisible', 'permission', 'position', 'preferences', 'push', 'pushState', 'raise', 'shownData', 'stacked', 'style', 'theme', 'unreadCount']
        self._valid_wildcard_attributes =            []
        self.available_properties = ['id', 'center', 'className', 'clearAll', 'clickData', 'close', 'closedData', 'count', 'delivery', 'durations', 'errorData', 'hotkey', 'hub', 'hubStatus', 'markAllRead', 'maxActions', 'maxHistory', 'maxVisible', 'permission', 'position', 'preferences', 'push', 'pushState', 'raise', 'shownData', 'stacked', 'style', 'theme', 'unreadCount']
        self.available_wildcard_properties =            []
        _explicit_args = kwargs.pop('_explicit_args')
        _locals = locals()
        _locals.update(kwargs)  # For wildcard attrs and excess named props
        args = {k: _locals[k] for k in _explicit_args}

        super(Notifications, self).__init__(**args)

setattr(Notifications, "__init__", _explicitize_args(Notifications.__init__))

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


class PermissionButton(Component):
    """A PermissionButton component.
A button that asks the person for permission to show desktop notifications. Browsers
only prompt from a real user gesture, such as this button's click. It is enabled while
the permission is undecided ("default") and otherwise shows the decision.

Keyword arguments:

- children (a list of or a singular dash component, string or number; default 'Enable desktop notifications'):
    The label while the permission is undecided (\"default\").

- id (string; optional):
    The ID used to identify this component in Dash callbacks.

- className (string; default undefined):
    CSS class of the button.

- deniedLabel (a list of or a singular dash component, string or number; default 'Desktop notifications are blocked in the browser settings'):
    The label once notifications are blocked.

- grantedLabel (a list of or a singular dash component, string or number; default 'Desktop notifications are on'):
    The label once notifications are allowed.

- n_clicks (number; default 0):
    How many times the button was clicked.

- permission (a value equal to: 'default', 'granted', 'denied', 'unsupported'; optional):
    Read-only: the current permission.

- unsupportedLabel (a list of or a singular dash component, string or number; default 'Desktop notifications are not supported in this browser'):
    The label where desktop notifications are not supported."""
    _children_props: typing.List[str] = ['grantedLabel', 'deniedLabel', 'unsupportedLabel']
    _base_nodes = ['grantedLabel', 'deniedLabel', 'unsupportedLabel', 'children']
    _namespace = 'dash_notify'
    _type = 'PermissionButton'


    def __init__(
        self,
        children: typing.Optional[ComponentType] = None,
        id: typing.Optional[typing.Union[str, dict]] = None,
        grantedLabel: typing.Optional[ComponentType] = None,
        deniedLabel: typing.Optional[ComponentType] = None,
        unsupportedLabel: typing.Optional[ComponentType] = None,
        permission: typing.Optional[Literal["default", "granted", "denied", "unsupported"]] = None,
        n_clicks: typing.Optional[NumberType] = None,
        className: typing.Optional[str] = None,
        style: typing.Optional[typing.Any] = None,
        **kwargs
    ):
        self._prop_names = ['children', 'id', 'className', 'deniedLabel', 'grantedLabel', 'n_clicks', 'permission', 'style', 'unsupportedLabel']
        self._valid_wildcard_attributes =            []
        self.available_properties = ['children', 'id', 'className', 'deniedLabel', 'grantedLabel', 'n_clicks', 'permission', 'style', 'unsupportedLabel']
        self.available_wildcard_properties =            []
        _explicit_args = kwargs.pop('_explicit_args')
        _locals = locals()
        _locals.update(kwargs)  # For wildcard attrs and excess named props
        args = {k: _locals[k] for k in _explicit_args if k != 'children'}

        super(PermissionButton, self).__init__(children=children, **args)

setattr(PermissionButton, "__init__", _explicitize_args(PermissionButton.__init__))

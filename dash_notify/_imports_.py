from .Notifications import Notifications
from .PermissionButton import PermissionButton

__all__ = [
    "Notifications",
    "PermissionButton"
]
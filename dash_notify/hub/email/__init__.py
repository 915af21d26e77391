"""What the email channel (:mod:`..channels.email`) is made of: SMTP settings and the
sender (:mod:`.smtp`), signed links (:mod:`.links`), when digests go out
(:mod:`.schedule`), who receives at which address (:mod:`.recipients`) and the mail
itself from Jinja2 templates (:mod:`.compose`)."""

from .links import LinkError, Links
from .recipients import Recipient
from .smtp import SMTPSettings

__all__ = ["LinkError", "Links", "Recipient", "SMTPSettings"]

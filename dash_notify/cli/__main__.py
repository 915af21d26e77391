"""``python -m dash_notify.cli``: the ``dash-notify`` command."""

import sys

from . import main

sys.exit(main())

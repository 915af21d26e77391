"""Loaded by schemathesis (``SCHEMATHESIS_HOOKS``) in the hub's fuzz test.

schemathesis 4.32.5 reads an event stream with urllib3 2's ``HTTPResponse.read1``; the
suite has urllib3 1.26 (selenium 4.2.0, which dash[testing] pins, requires it), which
has no ``read1``. ``read`` with the same size is its 1.26 equivalent here: the fuzzed
app's streams end after 0.2 s, so a read never waits longer than that.
"""

from __future__ import annotations

import urllib3.response

if not hasattr(urllib3.response.HTTPResponse, "read1"):

    def read1(self, amt=None, decode_content=None):
        return self.read(amt, decode_content=decode_content)

    urllib3.response.HTTPResponse.read1 = read1

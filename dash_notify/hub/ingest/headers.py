"""Header text as ntfy reads it: the header's bytes as UTF-8, and RFC 2047 encoded
words (``=?UTF-8?B?...?=``, ``=?utf-8?q?...?=``) decoded.

WSGI hands header values over as ``str`` with each byte decoded as latin-1, so a
UTF-8 ``Title: Größe`` arrives as ``GrÃ¶Ãe``. :func:`header_text` undoes that: the
bytes are read as UTF-8 when they are valid UTF-8, and as latin-1 (HTTP's historical
header charset, what Python's http.client and requests send for a ``str`` header)
otherwise. ntfy's server (Go's ``mime.WordDecoder.DecodeHeader``, applied to every
header it reads) then decodes encoded words; so does :func:`decode_words`, with the
same rules: B and Q encodings in either case; the charsets utf-8, iso-8859-1 and
us-ascii; white space between two encoded words dropped; a word that does not decode
left as it is; an unknown charset leaves the whole header as it is.
"""

from __future__ import annotations

import base64
import binascii

_HEX = "0123456789ABCDEFabcdef"


class _UnknownCharsetError(Exception):
    pass


def header_text(value: str) -> str:
    """The text of a header value as WSGI gives it (latin-1 decoded bytes)."""
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return decode_words(value)  # already text (not from a WSGI server)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = value
    return decode_words(text)


def decode_words(header: str) -> str:
    """``header`` with its RFC 2047 encoded words decoded, as ntfy's server does."""
    if "=?" not in header:
        return header
    try:
        return _decode(header)
    except _UnknownCharsetError:
        return header


def _decode(header: str) -> str:
    first = header.index("=?")
    out = [header[:first]]
    rest = header[first:]
    between_words = False
    while True:
        start = rest.find("=?")
        if start == -1:
            break
        cursor = start + 2
        mark = rest.find("?", cursor)
        if mark == -1:
            break
        charset = rest[cursor:mark]
        cursor = mark + 1
        if len(rest) < cursor + len("Q??="):
            break
        encoding = rest[cursor]
        cursor += 1
        if rest[cursor] != "?":
            break
        cursor += 1
        close = rest.find("?=", cursor)
        if close == -1:
            break
        content = _content(encoding, rest[cursor:close])
        if content is None:  # not a valid word: kept as text
            between_words = False
            out.append(rest[: start + 2])
            rest = rest[start + 2 :]
            continue
        gap = rest[:start]
        if gap and (not between_words or gap.strip(" \t\r\n")):
            out.append(gap)
        out.append(_convert(charset, content))
        rest = rest[close + 2 :]
        between_words = True
    out.append(rest)
    return "".join(out)


def _content(encoding: str, text: str) -> bytes | None:
    if encoding in "Bb":
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None
    if encoding in "Qq":
        return _q_decode(text)
    return None


def _q_decode(text: str) -> bytes | None:
    out = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == "_":
            out.append(0x20)
        elif char == "=":
            pair = text[index + 1 : index + 3]
            if len(pair) < 2 or pair[0] not in _HEX or pair[1] not in _HEX:
                return None
            out.append(int(pair, 16))
            index += 2
        elif " " <= char <= "~" or char in "\t\r\n":
            out.append(ord(char))
        else:
            return None
        index += 1
    return bytes(out)


def _convert(charset: str, content: bytes) -> str:
    name = charset.lower()
    if name == "utf-8":
        return content.decode("utf-8", "replace")
    if name == "iso-8859-1":
        return content.decode("latin-1")
    if name == "us-ascii":
        return content.decode("ascii", "replace")
    raise _UnknownCharsetError(charset)

"""Serial numbers: a folded matching key (``serial_normalised``); the original stays in ``serial``."""

from __future__ import annotations

import re

from anyascii import anyascii as ascii_text

from armsgraph.ingest.normalise.base import ValueType

_DROP_RE = re.compile(r"[^0-9A-Z]+")
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: Cyrillic and Greek capitals that look like Latin ones (stamped serials are read by eye).
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХУΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "ABEKMHOPCTXYABEHIKMNOPTXYZ")

#: Placeholders that mean "no serial": they never link two firearms.
# fmt: off
PLACEHOLDERS = frozenset({"UNKNOWN", "UNK", "NONE", "NA", "N/A", "NIL", "NULL", "NOSERIAL", "NOSN", "NSN",
                          "OBLITERATED", "ILLEGIBLE", "REMOVED", "-", "?", "X", "XX", "XXX", "0", "00", "000"})
# fmt: on
_PLACEHOLDER_KEYS = frozenset(_DROP_RE.sub("", p).translate(_FOLD) for p in PLACEHOLDERS)


class SerialType(ValueType):
    """Upper case, look-alike letters made Latin, everything but A-Z/0-9 dropped, O→0 and I/L→1 folded."""

    name = "serial"
    description = "matching key of a serial number"

    def _clean(self, text: str) -> str:
        latin = ascii_text(text.upper().translate(_LOOKALIKES)) or ""
        key = _DROP_RE.sub("", latin.upper()).translate(_FOLD)
        if not key:
            raise self.fail(text, "no letters or digits")
        return key


def usable_serial(key: str | None) -> bool:
    """True when a normalised serial is specific enough to identify a firearm."""
    return bool(key) and len(key or "") >= 3 and key not in _PLACEHOLDER_KEYS and len(set(key or "")) > 1

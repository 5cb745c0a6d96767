"""The normaliser contract: a named type whose ``clean()`` returns a canonical string or raises.

Every registered type obeys two laws (checked by property tests):
``clean`` raises nothing but :class:`~armsgraph.errors.InvalidValueError`, and it is
idempotent: ``clean(clean(x)) == clean(x)``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any, ClassVar

from armsgraph.errors import InvalidValueError

_SPACE_RE = re.compile(r"\s+")


def text_of(value: Any) -> str:
    """The value as stripped text with runs of whitespace collapsed (dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE_RE.sub(" ", str(value)).strip()


@lru_cache(maxsize=65_536)
def fold(value: str) -> str:
    """Accent-free, case-folded text with punctuation turned into single spaces (a lookup key)."""
    decomposed = unicodedata.normalize("NFKD", value.replace("’", "'").replace("&", " and "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace("'", "")
    return _SPACE_RE.sub(" ", re.sub(r"[^0-9a-z]+", " ", plain)).strip()


class ValueType:
    """A normaliser: ``clean()`` gives the canonical form or raises InvalidValueError."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def clean(self, value: Any) -> str:
        """The canonical form of ``value``."""
        text = text_of(value)
        if not text:
            raise InvalidValueError(f"empty {self.name}")
        return self._clean(text)

    def _clean(self, text: str) -> str:
        raise NotImplementedError

    def fail(self, text: str, why: str = "") -> InvalidValueError:
        """The error for an unrecognised value."""
        shown = text if len(text) <= 60 else text[:57] + "..."
        return InvalidValueError(f"{shown!r} is not a known {self.name}" + (f" ({why})" if why else ""))

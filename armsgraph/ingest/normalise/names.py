"""Names of people and organisations, and identifier values, as matching keys."""

from __future__ import annotations

import re

from anyascii import anyascii as ascii_text

from armsgraph.ingest.normalise.base import ValueType, fold
from armsgraph.ingest.normalise.makes import LEGAL_SUFFIXES, _join_initials

_VOWELS = frozenset("aeiouy")
#: Particles and titles ignored when comparing person names.
# fmt: off
NAME_STOPWORDS = frozenset({"mr", "mrs", "ms", "dr", "al", "el", "bin", "ibn", "van", "von", "der", "de", "la",
                            "del", "da", "di", "le"})
# fmt: on


def latin(text: str) -> str:
    """Transliterated to ASCII (Cyrillic, Arabic, Greek ... via anyascii), then folded."""
    return fold(ascii_text(text) or text)


class PersonNameType(ValueType):
    """A person's name as a matching key: transliterated, folded, tokens sorted ('Ivanov, Ivan' = 'Ivan Ivanov')."""

    name = "person name"
    description = "sorted transliterated name tokens"

    def _clean(self, text: str) -> str:
        tokens = sorted(t for t in latin(text).split() if t not in NAME_STOPWORDS) or sorted(latin(text).split())
        if not tokens:
            raise self.fail(text, "no letters")
        return " ".join(tokens)


def skeleton(token: str) -> str:
    """A crude phonetic key: first letter + following consonants, repeats dropped, 3 letters ('muhammad' -> 'mhm')."""
    if not token:
        return ""
    out = [token[0]]
    for char in token[1:]:
        if char in _VOWELS or (char == "h" and out[-1] in "kcsp") or char == out[-1]:
            continue
        out.append(char)
    return "".join(out)[:3]


class OrganisationNameType(ValueType):
    """An organisation's name as a matching key: transliterated, folded, legal forms dropped."""

    name = "organisation name"
    description = "folded name without legal form"

    def _clean(self, text: str) -> str:
        words = _join_initials(latin(text).split())
        while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
            words = words[:-1]
        if not words:
            raise self.fail(text, "no letters or digits")
        return " ".join(words)


class IdentifierValueType(ValueType):
    """A selector's matching key: phones keep digits (and a leading +), e-mails lower case, others folded."""

    name = "identifier"
    description = "normalised selector"

    def __init__(self, kind: str = "") -> None:
        self.kind = kind

    def _clean(self, text: str) -> str:
        if self.kind == "phone":
            digits = re.sub(r"\D", "", text)
            plus = text.lstrip().startswith("+") or digits.startswith("00")  # 00 is the international prefix
            if not text.lstrip().startswith("+"):
                digits = digits.removeprefix("00")
            if len(digits) < 3:
                raise self.fail(text, "a phone number needs digits")
            return ("+" if plus else "") + digits
        if self.kind == "email":
            if "@" not in text:
                raise self.fail(text, "an e-mail address needs @")
            return text.strip().casefold()
        if self.kind in ("vehicle", "parcel", "account"):
            key = re.sub(r"[^0-9A-Z]", "", ascii_text(text).upper())
        else:
            key = fold(text)
        if not key:
            raise self.fail(text, "no letters or digits")
        return key

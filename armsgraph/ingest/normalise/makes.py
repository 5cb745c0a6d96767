"""Manufacturers: an alias table folds trading names, legal suffixes and historic names into one make."""

from __future__ import annotations

import re

from armsgraph.ingest.normalise.base import ValueType, fold

#: canonical -> other names (compared after :func:`make_key`).
# fmt: off
MAKES: dict[str, tuple[str, ...]] = {
    "Glock": ("glock gmbh", "glock ges m b h", "glock inc", "glock austria"),
    "Kalashnikov": ("kalashnikov concern", "izhmash", "izhevsk mechanical plant", "izhevsk", "concern kalashnikov",
                    "ak", "kalashnikov group"),
    "Smith & Wesson": ("s&w", "s and w", "smith and wesson", "smith wesson"),
    "Beretta": ("pietro beretta", "fabbrica d armi pietro beretta", "beretta usa"),
    "Colt": ("colts manufacturing", "colt s manufacturing company", "colts patent firearms", "colt defense"),
    "SIG Sauer": ("sig", "sig arms", "sig-sauer", "sigsauer", "sig sauer inc", "j p sauer and sohn"),
    "Heckler & Koch": ("h&k", "hk", "heckler koch", "heckler and koch"),
    "FN Herstal": ("fn", "fabrique nationale", "fabrique nationale d armes de guerre", "fnh"),
    "CZ": ("ceska zbrojovka", "cz uherský brod", "ceska zbrojovka uhersky brod", "cz ub"),
    "Zastava": ("zastava arms", "zastava oruzje", "crvena zastava"),
    "Norinco": ("china north industries", "china north industries corporation"),
    "Ruger": ("sturm ruger", "sturm ruger and co", "sturm ruger and company"),
    "Taurus": ("forjas taurus", "taurus armas", "taurus international"),
    "Walther": ("carl walther", "walther arms"),
    "Tula Arms": ("tula arms plant", "tula", "tulsky oruzheiny zavod", "tozv"),
    "Mossberg": ("o f mossberg and sons", "mossberg and sons"),
    "Remington": ("remington arms",),
    "Browning": ("browning arms",),
    "Bersa": (),
    "Hi-Point": ("hi point", "hipoint", "hi point firearms"),
    "Kel-Tec": ("keltec", "kel tec", "kel tec cnc"),
    "Springfield Armory": ("springfield",),
    "Steyr": ("steyr mannlicher", "steyr arms"),
    "Makarov": (),
    "Polymer80": ("polymer 80", "p80"),
}
# fmt: on

#: Legal forms dropped before lookup (folded).
# fmt: off
LEGAL_SUFFIXES = frozenset({"gmbh", "ag", "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation",
                            "co", "company", "sa", "spa", "srl", "bv", "nv", "plc", "jsc", "oao", "ooo", "pjsc", "kg",
                            "as", "ab", "oy", "and"})
# fmt: on


def _join_initials(words: list[str]) -> list[str]:
    """Runs of one-letter words become one word ('s p a' -> 'spa', 'h k' -> 'hk')."""
    out: list[str] = []
    run = ""
    for word in [*words, ""]:
        if len(word) == 1:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        if word:
            out.append(word)
    return out


def make_key(text: str) -> str:
    """Folded name, initials joined, trailing legal forms dropped ('Glock GmbH' -> 'glock')."""
    words = _join_initials(fold(text).split())
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in MAKES.items():
        for name in (canonical, *aliases):
            index.setdefault(make_key(name), canonical)
    return index


_INDEX = _index()
_TIDY_RE = re.compile(r"\s+")


class MakeType(ValueType):
    """A manufacturer's canonical name; unknown makes are kept tidied."""

    name = "make"
    description = "manufacturer"

    def _clean(self, text: str) -> str:
        key = make_key(text)
        if not key:
            raise self.fail(text, "no letters or digits")
        return _INDEX.get(key, _TIDY_RE.sub(" ", text))

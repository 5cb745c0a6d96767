"""Name pools and the name variants real records show for one person.

Variants follow what police and customs records typically contain: names
transliterated differently (Đorđević / Djordjevic / Dordevic; Mohammed /
Muhammad), surname first (often upper-case), a dropped middle name, diacritics
lost on foreign keyboards. The pools are ``data/people.yaml``.
"""

from __future__ import annotations

import random
import unicodedata

from armsgraph.scenario.tables import table

_TABLES = table("people")
#: First names and surnames per naming tradition.
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    key: (tuple(pool["first"]), tuple(pool["last"])) for key, pool in _TABLES["name_pools"].items()
}

#: Nicknames used as aliases by network members.
NICKNAMES: tuple[str, ...] = tuple(_TABLES["nicknames"])

#: Known alternative romanisations of whole name parts.
TRANSLITERATIONS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _TABLES["transliterations"].items()}

_SLAVIC_DIGRAPHS = str.maketrans({"ć": "ch", "č": "ch", "š": "sh", "ž": "zh", "đ": "dj", "Đ": "Dj", "Š": "Sh"})


def strip_diacritics(text: str) -> str:
    """The name as typed on a keyboard without diacritics (Đ→D, ı→i, ß→ss)."""
    text = text.replace("ı", "i").replace("ß", "ss").replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def full_name(first: str, middle: str, last: str) -> str:
    """The canonical written name."""
    return " ".join(part for part in (first, middle, last) if part)


def name_variant(rng: random.Random, first: str, middle: str, last: str) -> str:
    """One plausible recorded variant of a person's name."""
    roll = rng.randrange(5)
    if roll == 0 and (first in TRANSLITERATIONS or last in TRANSLITERATIONS):
        first = rng.choice(TRANSLITERATIONS.get(first, (first,)))
        last = rng.choice(TRANSLITERATIONS.get(last, (last,)))
        return full_name(first, middle, last)
    if roll == 1:
        return f"{last.upper()} {first}" if rng.random() < 0.5 else f"{last}, {full_name(first, middle, '')}"
    if roll == 2 and middle:
        return full_name(first, "", last)
    if roll == 3 and last.translate(_SLAVIC_DIGRAPHS) != last:
        return full_name(first, middle, last.translate(_SLAVIC_DIGRAPHS))
    return strip_diacritics(full_name(first, middle, last))

"""Record noise for generated scenarios: how a true value gets written down.

Every function takes the generator's random stream and a rate already scaled
by ``--noise``; at rate 0 it returns the true value unchanged.
"""

from __future__ import annotations

import random

from armsgraph.scenario.firearms import CALIBRE_VARIANTS
from armsgraph.scenario.places import COUNTRIES

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_TYPO_SWAPS = {"O": "0", "0": "O", "I": "1", "1": "I"}


def serial_capacity(template: str) -> int:
    """How many distinct serials a template can express."""
    capacity = 1
    for ch in template:
        capacity *= 26 if ch == "L" else 10 if ch == "D" else 1
    return capacity


def serial_from_number(template: str, number: int) -> str:
    """The serial for ``number`` (0 <= number < capacity): mixed radix over the template's slots."""
    out = []
    for ch in reversed(template):
        if ch == "L":
            number, digit = divmod(number, 26)
            out.append(_LETTERS[digit])
        elif ch == "D":
            number, digit = divmod(number, 10)
            out.append(_DIGITS[digit])
        else:
            out.append(ch)
    return "".join(reversed(out))


def unique_serial(template: str, index: int, salt: int) -> str:
    """A serial unique per (template, index): an affine permutation of the index over the template's space."""
    capacity = serial_capacity(template)
    multiplier = 2_654_435_761 % capacity or 1
    while _gcd(multiplier, capacity) != 1:
        multiplier += 1
    return serial_from_number(template, (multiplier * index + salt) % capacity)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def serial_typo(rng: random.Random, serial: str) -> str:
    """A serial as mistyped: O/0 or I/1 swapped, the dash dropped, or the case changed."""
    swappable = [i for i, ch in enumerate(serial) if ch in _TYPO_SWAPS]
    roll = rng.randrange(3)
    if roll == 0 and swappable:
        i = rng.choice(swappable)
        return serial[:i] + _TYPO_SWAPS[serial[i]] + serial[i + 1 :]
    if roll == 1 and "-" in serial:
        return serial.replace("-", "", 1)
    if any(ch.isalpha() for ch in serial):
        return serial.lower()
    return serial.replace("-", " ") if "-" in serial else serial + " "


def country_text(rng: random.Random, alpha3: str, rate: float) -> str:
    """A country as a record writes it: mostly alpha-3, sometimes alpha-2 or a name in another language."""
    if not alpha3 or rng.random() >= rate:
        return alpha3
    country = COUNTRIES.get(alpha3)
    if country is None:
        return alpha3
    return rng.choice((country.alpha2, country.name, *country.other_names))


def calibre_text(rng: random.Random, calibre: str, rate: float) -> str:
    """A calibre as a record writes it (``9mm`` for ``9x19mm``)."""
    variants = CALIBRE_VARIANTS.get(calibre)
    if not variants or rng.random() >= rate:
        return calibre
    return rng.choice(variants)


def blank(rng: random.Random, value: str, rate: float) -> str:
    """The value, or empty when the record left an optional field out."""
    return "" if value and rng.random() < rate else value


#: Reasons a deliberately invalid row is invalid, with the bad value written.
BAD_DATES = ("2021-13-45", "31/02/2020", "not known", "2019-02-30", "20X1-05-01")

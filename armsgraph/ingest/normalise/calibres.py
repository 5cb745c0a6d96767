"""Calibres: many spellings of one cartridge become one canonical name (``.45 ACP``, ``9x19mm``)."""

from __future__ import annotations

import re

from armsgraph.ingest.normalise.base import ValueType

#: canonical -> spellings (compared after :func:`calibre_key`).
# fmt: off
CALIBRES: dict[str, tuple[str, ...]] = {
    "9x19mm": ("9mm", "9 mm", "9x19", "9mm parabellum", "9mm luger", "9mm para", "9 para", "9mm nato",
               "9x19 parabellum", "9mm p", "9 luger", "9x19mm luger", "9x19mm parabellum"),
    ".45 ACP": ("45acp", ".45", "45", ".45 auto", "45 auto", "11.43x23mm", "11.43x23", "11.43mm", ".45 acp"),
    "7.62x39mm": ("7.62x39", "7.62 x 39", "762x39", "7.62x39 m43", "7.62 soviet", ".30 russian short"),
    "5.56x45mm": ("5.56x45", "5.56 nato", "5.56", ".223", ".223 remington", "223 rem", ".223 rem", "5.56x45 nato"),
    "7.62x51mm": ("7.62x51", "7.62 nato", ".308", ".308 winchester", "308 win"),
    "7.62x54mmR": ("7.62x54r", "7.62x54", "7.62x54 r", "7.62x54mm r"),
    "5.45x39mm": ("5.45x39", "5.45"),
    "12 gauge": ("12ga", "12 ga", "12g", "12 bore", "12 gauge", "12/70", "12/76", "calibre 12", "cal 12", "12ga."),
    "16 gauge": ("16ga", "16 ga", "16 bore", "16g"),
    "20 gauge": ("20ga", "20 ga", "20 bore", "20g"),
    ".410 bore": (".410", "410 gauge", "410ga", "36 gauge"),
    ".22 LR": (".22", "22lr", ".22 long rifle", "22 long rifle", "5.6mm lr", ".22lr"),
    ".38 Special": (".38", ".38 spl", "38 special", ".38 spc", "38spl"),
    ".357 Magnum": (".357", ".357 mag", "357 magnum", "357mag"),
    ".40 S&W": (".40", "40 s&w", ".40 sw", "40sw", "10x22mm"),
    ".380 ACP": (".380", "380 auto", "9mm kurz", "9x17mm", "9x17", "9mm short", "9mm browning short"),
    "9x18mm Makarov": ("9x18", "9mm makarov", "9x18 pm", "9 mak"),
    ".32 ACP": (".32", "7.65mm", "7.65 browning", "7.65x17mm", ".32 auto", "32acp"),
    ".25 ACP": (".25", "6.35mm", "6.35x15mm", ".25 auto", "6.35 browning"),
    "7.62x25mm Tokarev": ("7.62x25", "7.62 tokarev", "7.62x25 tt"),
    ".50 BMG": (".50", "12.7x99mm", "12.7x99", "50 bmg", ".50 cal"),
    "12.7x108mm": ("12.7x108",),
    "10mm Auto": ("10mm", "10 mm auto"),
    ".44 Magnum": (".44", ".44 mag", "44 magnum"),
    "5.7x28mm": ("5.7x28", "5.7mm"),
}
# fmt: on


def calibre_key(text: str) -> str:
    """A spelling-insensitive key: lower case, 'mm'/'cal'/'caliber' and punctuation dropped, '×'→'x'."""
    key = text.lower().replace("×", "x").replace(",", ".")
    key = re.sub(r"\b(calibre|caliber|cal)\b\.?", "", key)
    key = key.replace("mm", "").replace("&", "")
    return re.sub(r"[^0-9a-z/]", "", key.replace(".", "d"))  # "d" keeps 4.5 apart from 45


def _loose(key: str) -> str:
    return key.lstrip("d")


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, spellings in CALIBRES.items():
        for spelling in (canonical, *spellings):
            index.setdefault(_loose(calibre_key(spelling)), canonical)
    return index


_INDEX = _index()


class CalibreType(ValueType):
    """A cartridge's canonical name; unknown calibres are kept tidied (whitespace collapsed)."""

    name = "calibre"
    description = "canonical cartridge name"

    def _clean(self, text: str) -> str:
        key = _loose(calibre_key(text))
        if not key:
            raise self.fail(text, "no digits or letters")
        return _INDEX.get(key, text)

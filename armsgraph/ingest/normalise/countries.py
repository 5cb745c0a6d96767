"""Countries (ISO 3166-1 alpha-3) and subdivisions (ISO 3166-2) from codes and EN/FR/ES names."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise.base import ValueType, fold, text_of

#: Common names and variants pycountry does not carry (keys are folded).
# fmt: off
COUNTRY_ALIASES: dict[str, str] = {
    "usa": "USA", "us": "USA", "u s": "USA", "u s a": "USA", "america": "USA", "united states of america": "USA",
    "etats unis d amerique": "USA", "eeuu": "USA", "ee uu": "USA", "estados unidos de america": "USA",
    "uk": "GBR", "u k": "GBR", "great britain": "GBR", "britain": "GBR", "england": "GBR", "scotland": "GBR",
    "wales": "GBR", "northern ireland": "GBR", "grande bretagne": "GBR", "gran bretana": "GBR",
    "ivory coast": "CIV", "cote divoire": "CIV", "costa de marfil": "CIV", "cote d ivoire": "CIV",
    "russia": "RUS", "russie": "RUS", "rusia": "RUS", "iran": "IRN", "syria": "SYR", "syrie": "SYR", "siria": "SYR",
    "south korea": "KOR", "korea": "KOR", "north korea": "PRK", "vietnam": "VNM", "viet nam": "VNM",
    "laos": "LAO", "bolivia": "BOL", "venezuela": "VEN", "tanzania": "TZA", "moldova": "MDA", "taiwan": "TWN",
    "czech republic": "CZE", "czechia": "CZE", "republique tcheque": "CZE", "republica checa": "CZE",
    "holland": "NLD", "the netherlands": "NLD", "pays bas": "NLD", "paises bajos": "NLD",
    "drc": "COD", "dr congo": "COD", "democratic republic of congo": "COD", "congo kinshasa": "COD",
    "rdc": "COD", "congo brazzaville": "COG", "republic of the congo": "COG",
    "turkey": "TUR", "turquie": "TUR", "turquia": "TUR", "kosovo": "XKX", "palestine": "PSE",
    "macedonia": "MKD", "north macedonia": "MKD", "swaziland": "SWZ", "burma": "MMR", "cape verde": "CPV",
    "east timor": "TLS", "vatican": "VAT", "micronesia": "FSM", "brunei": "BRN", "uae": "ARE",
    "emirates": "ARE", "bosnia": "BIH", "st lucia": "LCA", "saint lucia": "LCA", "st kitts and nevis": "KNA",
    "mexique": "MEX", "mejico": "MEX", "bresil": "BRA", "brasil": "BRA", "espagne": "ESP", "espana": "ESP",
    "allemagne": "DEU", "alemania": "DEU", "deutschland": "DEU", "italie": "ITA", "italia": "ITA",
    "suisse": "CHE", "suiza": "CHE", "belgique": "BEL", "belgica": "BEL", "autriche": "AUT",
    # Long forms used by UN M49 and incident databases (GTD, ACLED) that pycountry spells otherwise.
    "democratic republic of the congo": "COD", "congo democratic republic": "COD", "zaire": "COD",
    "republic of congo": "COG", "west bank and gaza strip": "PSE", "west bank": "PSE", "gaza strip": "PSE",
    "gaza": "PSE", "state of palestine": "PSE", "palestinian territories": "PSE", "turkiye": "TUR",
    "republic of korea": "KOR", "democratic peoples republic of korea": "PRK", "slovak republic": "SVK",
    "bosnia herzegovina": "BIH", "united republic of tanzania": "TZA", "republic of moldova": "MDA",
    "russian federation": "RUS", "syrian arab republic": "SYR", "kyrgyz republic": "KGZ", "the gambia": "GMB",
    "eswatini": "SWZ", "cabo verde": "CPV", "timor leste": "TLS", "holy see": "VAT", "rhodesia": "ZWE",
    "united kingdom of great britain and northern ireland": "GBR", "hong kong": "HKG", "macau": "MAC",
    "china hong kong special administrative region": "HKG", "china macao special administrative region": "MAC",
    "republic of north macedonia": "MKD", "the former yugoslav republic of macedonia": "MKD",
    "netherlands kingdom of the": "NLD", "kingdom of the netherlands": "NLD",
}
# fmt: on

#: Kosovo has a user-assigned code that pycountry does not list.
_EXTRA = {"XKX": "Kosovo"}


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("fr", "es")
    ]
    for country in pycountry.countries:
        code = country.alpha_3
        names = {country.alpha_2, country.alpha_3, country.name}
        for attr in ("official_name", "common_name"):
            if hasattr(country, attr):
                names.add(getattr(country, attr))
        for tr in translations:
            names.update(tr.gettext(n) for n in list(names))
        for name in names:
            index.setdefault(fold(name), code)
    for code, name in _EXTRA.items():
        index[fold(code)] = code
        index[fold(name)] = code
    index.update(COUNTRY_ALIASES)
    return index


def country_name(code: str) -> str:
    """The English short name of an alpha-3 code (the code itself when unknown)."""
    if code in _EXTRA:
        return _EXTRA[code]
    found = pycountry.countries.get(alpha_3=code)
    return str(getattr(found, "common_name", None) or found.name) if found else code


class CountryType(ValueType):
    """A country as ISO 3166-1 alpha-3 from alpha-2/alpha-3 codes or EN/FR/ES names and variants."""

    name = "country"
    description = "ISO 3166-1 alpha-3"

    def _clean(self, text: str) -> str:
        code = _country_index().get(fold(text))
        if code is None:
            raise self.fail(text)
        return code


@cache
def _subdivision_index() -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    codes: dict[str, str] = {}
    by_name: dict[tuple[str, str], list[str]] = {}
    for sub in pycountry.subdivisions:
        codes[sub.code.upper()] = sub.code
        country = pycountry.countries.get(alpha_2=sub.country_code)
        alpha3 = country.alpha_3 if country else sub.country_code
        key = fold(sub.name)
        by_name.setdefault((alpha3, key), []).append(sub.code)
        by_name.setdefault(("", key), []).append(sub.code)
        # "IL" within the United States
        by_name.setdefault((alpha3, fold(sub.code.split("-", 1)[1])), []).append(sub.code)
    return codes, by_name


def subdivision_country(code: str) -> str:
    """The alpha-3 country of an ISO 3166-2 subdivision code."""
    country = pycountry.countries.get(alpha_2=code.split("-", 1)[0])
    if country is None:
        raise InvalidValueError(f"{code!r} is not an ISO 3166-2 subdivision code")
    return str(country.alpha_3)


def is_subdivision_code(text: str) -> bool:
    """Whether ``text`` is an ISO 3166-2 code (a subdivision kept as recorded is not)."""
    return text.upper() in _subdivision_index()[0]


def subdivision_name(code: str) -> str:
    """The name of an ISO 3166-2 subdivision (the code when unknown)."""
    found = pycountry.subdivisions.get(code=code)
    return str(found.name) if found else code


class SubdivisionType(ValueType):
    """A subdivision as an ISO 3166-2 code, from a code or a name (unique, or within ``country``)."""

    name = "subdivision"
    description = "ISO 3166-2"

    def __init__(self, country: str | None = None) -> None:
        self.country = country

    def in_country(self, value: object, country: str | None) -> str:
        """Clean ``value`` knowing the alpha-3 country it lies in."""
        return SubdivisionType(country).clean(value)

    def _clean(self, text: str) -> str:
        codes, by_name = _subdivision_index()
        exact = codes.get(text.upper())
        if exact is not None:
            return exact
        found = sorted(set(by_name.get((self.country or "", fold(text)), [])))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise self.fail(text, f"ambiguous: {', '.join(found[:4])}")
        raise self.fail(text, f"not in {self.country}" if self.country else "give an ISO 3166-2 code or the country")


def country_text(value: object) -> str:
    """Shortcut: clean ``value`` as a country."""
    return CountryType().clean(text_of(value))

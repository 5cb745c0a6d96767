"""Reference places for generated scenarios: countries, cities, agencies, corridors.

The tables are ``data/places.yaml``. Corridors follow the trafficking flows described
in the UNODC Global Study on Firearms Trafficking 2020 and Small Arms Survey
publications; see ``docs/scenario.md`` for the basis of each. Coordinates are city
centres (approximate, WGS84).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from armsgraph.scenario.tables import table


@dataclass(frozen=True)
class City:
    """A city where incidents happen: name, ISO 3166-2 subdivision, coordinates."""

    name: str
    subdivision: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Country:
    """A country used by the generator, with the forms its name may take in records."""

    alpha3: str
    alpha2: str
    name: str
    other_names: tuple[str, ...]
    phone_code: str
    names: str  # key into people.NAME_POOLS
    agencies: tuple[str, ...]
    cities: tuple[City, ...]
    weight: float  # share of background (one-off) incidents


COUNTRIES: dict[str, Country] = {
    c["alpha3"]: Country(
        c["alpha3"],
        c["alpha2"],
        c["name"],
        tuple(c["other_names"]),
        c["phone_code"],
        c["names"],
        tuple(c["agencies"]),
        tuple(City(*city) for city in c["cities"]),
        c["weight"],
    )
    for c in table("places")["countries"]
}

#: Country strings no normaliser can resolve: used only for deliberately invalid rows.
UNKNOWN_COUNTRIES: tuple[str, ...] = tuple(table("places")["unknown_countries"])


@dataclass(frozen=True)
class Corridor:
    """A trafficking corridor: route, modes, firearm profile, where firearms leave legal control."""

    key: str
    route: tuple[str, ...]  # departure, transits..., destination (alpha-3)
    modes: tuple[str, ...]  # route modes, the first most common
    profile: str  # key into firearms.PROFILES
    diversion_kind: str | None  # "licensed dealer", "state stockpile" or None (not traceable to a point)
    weight: float
    concealments: tuple[str, ...] = field(default=("vehicle compartment",))


CORRIDORS: tuple[Corridor, ...] = tuple(
    Corridor(
        c["key"],
        tuple(c["route"]),
        tuple(c["modes"]),
        c["profile"],
        c["diversion_kind"],
        c["weight"],
        tuple(c["concealments"]),
    )
    for c in table("places")["corridors"]
)

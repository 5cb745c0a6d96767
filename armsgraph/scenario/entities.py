"""The true entities of a scenario (people, firearms, organisations, networks) and their factories."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import accumulate

from armsgraph.scenario.bundle import BundleWriter
from armsgraph.scenario.firearms import PROFILES, FirearmModel
from armsgraph.scenario.noise import unique_serial
from armsgraph.scenario.people import NAME_POOLS, NICKNAMES
from armsgraph.scenario.places import COUNTRIES, City, Corridor

#: Day 0 of the scenario; events fall on days 0 .. SPAN_DAYS - 1.
START_YEAR = 2018
SPAN_DAYS = 7 * 365


@dataclass(slots=True, eq=False)
class Org:
    """A true organisation; it has exactly one record in organisations.csv."""

    org_id: str
    name: str
    kind: str
    country: str


@dataclass(slots=True, eq=False)
class Person:
    """A true person; each appearance in an incident gets its own person record."""

    idx: int
    first: str
    middle: str
    last: str
    dob: str
    nationality: str
    alias: str = ""
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    network: Network | None = None
    shared: bool = False


@dataclass(slots=True, eq=False)
class Firearm:
    """A true firearm; each time an incident records it, it gets a firearm record."""

    idx: int
    model: FirearmModel
    serial: str
    year: int
    marking: str
    import_country: str
    point: Org | None = None
    network: Network | None = None
    shared: bool = False
    history: list[list[str]] | None = None  # transfer rows without the firearm_record_id, once traced


@dataclass(slots=True, eq=False)
class Event:
    """One true event (seizure, shooting, ...); written as one incident record, or two when reported twice."""

    day: int
    country: str
    city: City
    kind: str
    context: str
    persons: list[tuple[Person, str]] = field(default_factory=list)
    firearms: list[tuple[Firearm, str]] = field(default_factory=list)
    identifiers: list[tuple[str, str, bool]] = field(default_factory=list)  # kind, value, shared
    ballistics: list[tuple[str, str]] = field(default_factory=list)  # kind, calibre
    hit_group: str = ""
    route: tuple[str, ...] = ()
    route_mode: str = ""
    concealment: str = ""
    ammunition: int = 0
    parts: int = 0
    network: Network | None = None


@dataclass(slots=True, eq=False)
class Network:
    """A planted network: members, corridor, firearm pool, planned incidents and dates."""

    network_id: str
    kind: str  # trafficking / terrorist / organised crime
    corridor: Corridor
    members: list[Person]
    brokers: list[Person]
    group: Org
    dates: list[int]  # sorted event days, consumed in emission order
    pool: list[Firearm] = field(default_factory=list)
    used: int = 0  # pool[:used] have appeared in the files
    supplier: Network | None = None
    vehicles: list[str] = field(default_factory=list)
    records: list[int] = field(default_factory=list)  # incident record indexes
    people: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # incident -> (true person, record)
    places: dict[int, tuple[str, int]] = field(default_factory=dict)  # incident -> (country, day)
    supplier_seen: bool = False
    case: bool = False


class Factory:
    """Creates true people, firearms and organisations with unique ids and serials."""

    def __init__(self, rng: random.Random, writer: BundleWriter) -> None:
        self.rng = rng
        self.writer = writer
        self.people = 0
        self.firearms = 0
        self.orgs: dict[tuple[str, ...], Org] = {}
        self._serial_counts: dict[FirearmModel, int] = {}
        self._identifiers = 0
        self.profile_weights = {
            name: ([m for m, _ in mix], list(accumulate(w for _, w in mix))) for name, mix in PROFILES.items()
        }

    def org(self, key: tuple[str, ...], name: str, kind: str, country: str) -> Org:
        """The organisation for ``key``, written to organisations.csv the first time."""
        found = self.orgs.get(key)
        if found is None:
            found = Org(f"ORG-{len(self.orgs) + 1:05d}", name, kind, country)
            self.orgs[key] = found
            self.writer.write("organisations", [found.org_id, name, kind, country])
        return found

    def person(self, nationality: str, shared: bool = False) -> Person:
        rng = self.rng
        firsts, lasts = NAME_POOLS[COUNTRIES[nationality].names]
        middle = rng.choice(firsts[:-1]) if rng.random() < 0.25 else ""
        year = START_YEAR - 18 - int(rng.expovariate(1 / 12))
        dob = f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.people += 1
        return Person(self.people, rng.choice(firsts), middle, rng.choice(lasts), dob, nationality, shared=shared)

    def nickname(self) -> str:
        return self.rng.choice(NICKNAMES)

    def firearm(self, profile: str, import_country: str, year_cap: int = 2024) -> Firearm:
        rng = self.rng
        models, weights = self.profile_weights[profile]
        model = rng.choices(models, cum_weights=weights)[0]
        for _ in range(4):  # no FGC-9 before it existed
            if model.years[0] <= year_cap:
                break
            model = rng.choices(models, cum_weights=weights)[0]
        count = self._serial_counts.get(model, 0)
        self._serial_counts[model] = count + 1
        serial = unique_serial(model.serial, count, salt=len(model.model) * 7919) if model.serial else ""
        low, high = model.years
        year = rng.randint(low, max(low, min(high, year_cap)))
        marking = "unmarked" if not serial else "intact"
        if serial:
            roll = rng.random()
            marking = "obliterated" if roll < 0.05 else "altered" if roll < 0.07 else "intact"
        self.firearms += 1
        return Firearm(self.firearms, model, serial, year, marking, import_country)

    def identifier(self, kind: str, country: str) -> str:
        """A new, unique selector value of ``kind`` in the style of ``country``."""
        rng = self.rng
        self._identifiers += 1
        n = self._identifiers
        code = COUNTRIES[country]
        if kind == "phone":
            return f"+{code.phone_code} {rng.randint(20, 99)} {n * 7_654_321 % 10_000_000:07d}"
        if kind == "vehicle":
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXZ") for _ in range(2))
            return f"{code.alpha2}-{letters}-{n:05d}"
        if kind == "parcel":
            return f"{rng.choice(('RR', 'CP', 'EE', 'LX'))}{n:08d}{rng.randint(0, 9)}{code.alpha2}"
        if kind == "email":
            return f"user{n}{rng.choice(('@proton.me', '@tutanota.com', '@gmail.com'))}"
        if kind == "account":
            return f"bc1q{n:08x}{rng.getrandbits(64):016x}"
        return f"{rng.randint(1, 200)} {rng.choice(('Main St', 'Ulica Mira', 'Hauptstraße', 'Rua Central'))}, #{n}"

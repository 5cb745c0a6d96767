"""Writing true events as (noisy) records: incidents, firearms, persons, traces, transfers, ballistics, cases."""

from __future__ import annotations

import random
from collections.abc import Hashable
from datetime import date
from itertools import accumulate

from armsgraph.scenario.bundle import BundleWriter
from armsgraph.scenario.entities import START_YEAR, Event, Factory, Firearm, Network, Person
from armsgraph.scenario.noise import BAD_DATES, blank, calibre_text, country_text, serial_typo
from armsgraph.scenario.people import full_name, name_variant
from armsgraph.scenario.places import COUNTRIES, UNKNOWN_COUNTRIES
from armsgraph.scenario.truth import Truth, firearm_record_id, incident_id, person_record_id

_BASE = date(START_YEAR, 1, 1).toordinal()
_TRACE_OUTCOMES = (
    ("answered", "traced"),
    ("answered", "untraceable"),
    ("acknowledged", "pending"),
    ("sent", "pending"),
    ("unanswered", "pending"),
    ("closed", "refused"),
)
_TRACE_WEIGHTS = list(accumulate((45, 10, 15, 10, 15, 5)))
_CODENAMES = (
    "Trigger",
    "Armour",
    "Blue Iron",
    "Balkan Route",
    "Parcel",
    "Sahel",
    "Frontera",
    "Nordlicht",
    "Talon",
    "Orca",
)
_BOOL = ("false", "true")

Keys = list[tuple[str, Hashable]]


def iso_day(day: int) -> str:
    """The ISO date of scenario day ``day`` (day 0 is 1 January of START_YEAR)."""
    return date.fromordinal(_BASE + day).isoformat()


def _year_start(year: int) -> int:
    return date(year, 1, 1).toordinal() - _BASE


class RecordWriter:
    """Writes events as records with noise scaled by ``noise`` and records the truth behind them."""

    def __init__(self, rng: random.Random, writer: BundleWriter, truth: Truth, factory: Factory, noise: float) -> None:
        self.rng, self.writer, self.truth, self.factory = rng, writer, truth, factory
        self.r_serial = min(1.0, 0.10 * noise)
        self.r_name = min(1.0, 0.25 * noise)
        self.r_missing = min(1.0, 0.06 * noise)
        self.r_country = min(1.0, 0.08 * noise)
        self.r_partial = min(1.0, 0.02 * noise)
        self.incidents = self.firearm_records = self.person_records = self.traces = self.evidence = 0
        self.last_firearm: tuple[str, str] | None = None  # (firearm record id, requesting country)

    # events ---------------------------------------------------------------------------------
    def event(self, ev: Event, duplicate: bool) -> int:
        """Write ``ev`` (twice, by two agencies, when ``duplicate``); return the first record's index."""
        rng = self.rng
        people = [(p, role, [i for i in p.identifiers if rng.random() < 0.7]) for p, role in ev.persons]
        keys = self._keys(ev, people, duplicate)
        agencies = COUNTRIES[ev.country].agencies
        agency = rng.choice(agencies)
        first = self._record(ev, people, agency, primary=True)
        self.truth.link(first, keys)
        if duplicate:
            others = [a for a in agencies if a != agency] or ["INTERPOL NCB"]
            second = self._record(ev, people, rng.choice(others), primary=False)
            self.truth.link(second, keys)
            self.truth.duplicates.append((first, second))
        if ev.route:
            self.truth.route(ev.route, len(ev.firearms))
        for firearm, _ in ev.firearms:
            if firearm.point is not None:
                self.truth.diverted[firearm.point.org_id].add(firearm.idx)
            if ev.context == "terrorism" and firearm.network is not None and firearm.network.kind == "trafficking":
                self.truth.nexus.add(firearm.network.network_id)
        return first

    def _keys(self, ev: Event, people: list[tuple[Person, str, list[tuple[str, str]]]], duplicate: bool) -> Keys:
        """The true-entity keys of an event that can link it to other incident records."""
        keys: Keys = []
        for firearm, _ in ev.firearms:
            if firearm.shared or duplicate:
                keys.append(("firearm", firearm.idx))
            if firearm.point is not None:
                keys.append(("trace", firearm.point.org_id))
        for person, _, identifiers in people:
            if person.shared or duplicate:
                keys.append(("person", person.idx))
                keys.extend(("identifier", value) for _, value in identifiers)
        keys.extend(("identifier", value) for _, value, shared in ev.identifiers if shared or duplicate)
        if ev.hit_group:
            keys.append(("ballistic", ev.hit_group))
        return keys

    def _record(
        self, ev: Event, people: list[tuple[Person, str, list[tuple[str, str]]]], agency: str, primary: bool
    ) -> int:
        rng, r = self.rng, self.r_missing
        self.incidents += 1
        idx = self.incidents
        inc = incident_id(idx)
        when = iso_day(ev.day)
        if rng.random() < self.r_partial:
            when = when[:7]
        city = ev.city
        lat, lon = (f"{city.lat + rng.uniform(-0.05, 0.05):.4f}", f"{city.lon + rng.uniform(-0.05, 0.05):.4f}")
        if rng.random() < r * 3:
            lat = lon = ""
        route = ["", "", "", ""]
        if ev.route and (primary or rng.random() < 0.5):
            route = [
                country_text(rng, ev.route[0], self.r_country),
                ";".join(country_text(rng, c, self.r_country) for c in ev.route[1:-1]),
                country_text(rng, ev.route[-1], self.r_country),
                ev.route_mode,
            ]
        count = len(ev.firearms)
        description = f"{ev.kind} of {count} firearm(s) in {city.name}" if count else f"{ev.kind} in {city.name}"
        self.writer.write(
            "incidents",
            [
                inc,
                when,
                ev.kind,
                blank(rng, ev.context, r),
                agency,
                country_text(rng, ev.country, self.r_country),
                blank(rng, city.subdivision, r * 2),
                blank(rng, city.name, r),
                lat,
                lon,
                ev.route_mode,
                blank(rng, ev.concealment, r),
                *route[:3],
                route[3],
                ev.ammunition or "",
                ev.parts or "",
                description if primary else f"{description}; reported by {agency}",
            ],
        )
        for firearm, status in ev.firearms:
            record = self._firearm(inc, firearm, status)
            if primary:
                self._trace(record, firearm, ev)
        involved = []
        for person, role, identifiers in people:
            record = self.person(person, identifiers)
            self.writer.write("involvements", [inc, person_record_id(record), role])
            involved.append((person.idx, record))
        for kind, value, _ in ev.identifiers:
            self.writer.write("identifiers", [inc, kind, value])
        if primary:
            for kind, calibre in ev.ballistics:
                self.evidence += 1
                evidence_row = [f"BE-{self.evidence:07d}", inc, kind, calibre_text(rng, calibre, self.r_country)]
                self.writer.write("ballistics", [*evidence_row, ev.hit_group])
        if ev.network is not None:
            ev.network.records.append(idx)
            ev.network.people[idx] = involved
            ev.network.places[idx] = (ev.country, ev.day)
        return idx

    # entities -------------------------------------------------------------------------------
    def _firearm(self, inc: str, firearm: Firearm, status: str) -> int:
        rng, r = self.rng, self.r_missing
        self.firearm_records += 1
        record = self.firearm_records
        model = firearm.model
        serial = firearm.serial
        if firearm.marking == "obliterated":
            serial = ""
        elif firearm.marking == "altered":
            serial = serial[:-2] + "**"
        elif serial and rng.random() < self.r_serial:
            serial = serial_typo(rng, serial)
        kind = model.type.capitalize() if rng.random() < self.r_country else model.type
        self.writer.write(
            "firearms",
            [
                firearm_record_id(record),
                inc,
                serial,
                blank(rng, model.make, r),
                blank(rng, model.model, r),
                kind,
                calibre_text(rng, blank(rng, model.calibre, r), self.r_country * 2),
                country_text(rng, blank(rng, model.country, r), self.r_country),
                blank(rng, str(firearm.year), r * 2),
                blank(rng, firearm.marking, r),
                blank(rng, model.mode, r),
                status,
            ],
        )
        self.truth.firearm(record, firearm.idx)
        return record

    def person(self, person: Person, identifiers: list[tuple[str, str]]) -> int:
        """Write one person record (and its identifiers); return its index."""
        rng, r = self.rng, self.r_missing
        self.person_records += 1
        record = self.person_records
        name = full_name(person.first, person.middle, person.last)
        if rng.random() < (self.r_name * 1.5 if person.shared else self.r_name):
            name = name_variant(rng, person.first, person.middle, person.last)
        group = person.network.group.org_id if person.network is not None and rng.random() < 0.6 else ""
        self.writer.write(
            "persons",
            [
                person_record_id(record),
                name,
                blank(rng, person.alias, r * 3),
                blank(rng, person.dob, r * 2),
                country_text(rng, blank(rng, person.nationality, r), self.r_country),
                group,
            ],
        )
        for kind, value in identifiers:
            self.writer.write("identifiers", [person_record_id(record), kind, self._selector(kind, value)])
        self.truth.person(record, person.idx)
        return record

    def _selector(self, kind: str, value: str) -> str:
        if kind == "phone" and self.rng.random() < self.r_country:
            return "00" + value[1:].replace(" ", "")
        return value

    # tracing --------------------------------------------------------------------------------
    def _trace(self, record: int, firearm: Firearm, ev: Event) -> None:
        rng = self.rng
        frid = firearm_record_id(record)
        self.last_firearm = (frid, ev.country)
        if firearm.point is None and rng.random() >= 0.2:
            return
        made_in = firearm.model.country
        requested = firearm.import_country if firearm.import_country != ev.country else made_in or ev.country
        if firearm.point is not None:
            status, outcome = rng.choice(("answered", "closed")), "traced"
        elif not made_in or firearm.marking in ("obliterated", "unmarked"):
            status, outcome = rng.choice((("answered", "untraceable"), ("unanswered", "pending")))
        else:
            status, outcome = rng.choices(_TRACE_OUTCOMES, cum_weights=_TRACE_WEIGHTS)[0]
        sent = ev.day + rng.randint(3, 60)
        acknowledged_day = sent + rng.randint(1, 20)
        answered_day = acknowledged_day + 1 + int(rng.lognormvariate(3.2, 0.8))
        acknowledged = iso_day(acknowledged_day) if status in ("acknowledged", "answered", "closed") else ""
        answered = iso_day(answered_day) if status in ("answered", "closed") else ""
        self.traces += 1
        self.writer.write(
            "traces",
            [
                f"TR-{self.traces:07d}",
                frid,
                country_text(rng, ev.country, self.r_country),
                requested,
                iso_day(sent),
                acknowledged,
                answered,
                status,
                outcome,
            ],
        )
        if outcome == "traced":
            for row in self._history(firearm, ev.day):
                self.writer.write("transfers", [frid, *row])

    def _history(self, firearm: Firearm, incident_day: int) -> list[list[str]]:
        """The firearm's legal history up to its diversion (built once, shared by all its records)."""
        if firearm.history is not None:
            return firearm.history
        rng, factory, made_in = self.rng, self.factory, firearm.model.country
        cap = incident_day - 7
        maker = factory.org(
            ("manufacturer", firearm.model.make), firearm.model.make or "unknown workshop", "manufacturer", made_in
        )
        day = min(_year_start(firearm.year) + rng.randrange(365), cap - 60)
        steps: list[tuple[str, int, str, str, str, bool, bool]] = [
            ("manufacture", day, made_in, "", maker.org_id, False, False)
        ]
        holder, where = maker.org_id, firearm.import_country or made_in
        if where != made_in:
            country = COUNTRIES.get(where)
            importer = factory.org(
                ("importer", where), f"{country.name if country else where} Arms Import", "importer", where
            )
            day += rng.randint(20, 300)
            steps.append(("export", day, made_in, holder, importer.org_id, False, False))
            day += rng.randint(5, 60)
            steps.append(("import", day, where, holder, importer.org_id, False, False))
            holder = importer.org_id
        point = firearm.point
        if point is None:
            city = rng.choice(COUNTRIES[where].cities).name if where in COUNTRIES else where
            slot = str(rng.randrange(20))
            dealer = factory.org(("dealer", where, slot), f"{city} Gun Store {slot}", "licensed dealer", where)
            day += rng.randint(30, 400)
            steps.append(("sale", day, where, holder, dealer.org_id, False, False))
            owner = factory.person(where if where in COUNTRIES else "USA")
            owner_id = person_record_id(self.person(owner, []))
            day += rng.randint(10, 700)
            steps.append(("sale", day, where, dealer.org_id, owner_id, True, False))
            if rng.random() < 0.7:
                steps.append(
                    (rng.choice(("theft", "loss")), rng.randint(day, max(day, cap)), where, owner_id, "", False, True)
                )
        else:
            day += rng.randint(10, 400)
            steps.append(("sale", day, point.country, holder, point.org_id, True, False))
            gone = "diversion" if point.kind == "licensed dealer" else "theft"
            steps.append((gone, rng.randint(day, max(day, cap)), point.country, point.org_id, "", False, True))
        firearm.history = [
            [str(order), kind, iso_day(min(d, cap)), country, src, dst, _BOOL[last], _BOOL[diverted]]
            for order, (kind, d, country, src, dst, last, diverted) in enumerate(steps)
        ]
        return firearm.history

    # invalid rows and cases -----------------------------------------------------------------
    def invalid_incident(self) -> None:
        """An incident row ingest must reject: a date that is not one, or a country that does not exist."""
        rng = self.rng
        self.incidents += 1
        inc = incident_id(self.incidents)
        country, when = rng.choice(list(COUNTRIES)), iso_day(rng.randrange(2500))
        if rng.random() < 0.5:
            when, column, reason = rng.choice(BAD_DATES), "date", "invalid date"
        else:
            country, column, reason = rng.choice(UNKNOWN_COUNTRIES), "country", "unknown country"
        row = [inc, when, "seizure", "illicit possession", "Police", country] + [""] * 13
        self.truth.invalid("incidents", self.writer.write("incidents", row), inc, column, reason)

    def invalid_firearm(self) -> None:
        """A firearm row without its required type, attached to the last valid incident."""
        self.firearm_records += 1
        frid = firearm_record_id(self.firearm_records)
        row = [frid, incident_id(self.incidents), "", "Glock", "17", "", "9mm", "AUT", "", "", "", "seized"]
        self.truth.invalid("firearms", self.writer.write("firearms", row), frid, "type", "missing required value")

    def invalid_trace(self) -> None:
        """A trace row whose sent date is not a date, for the last traced-or-traceable firearm record."""
        if self.last_firearm is None:
            return
        frid, country = self.last_firearm
        self.traces += 1
        trace = f"TR-{self.traces:07d}"
        row = [trace, frid, country, "", self.rng.choice(BAD_DATES), "", "", "sent", "pending"]
        self.truth.invalid("traces", self.writer.write("traces", row), trace, "sent", "invalid date")

    def case(self, number: int, net: Network) -> None:
        """A prosecution concerning some of a network's incidents, charging members seen in them."""
        rng = self.rng
        if not net.records:
            return
        chosen = sorted(rng.sample(net.records, max(1, round(len(net.records) * rng.uniform(0.4, 1.0)))))
        defendants: dict[int, int] = {}
        member_ids = {p.idx for p in net.members}
        brokers = {p.idx for p in net.brokers}
        for inc in chosen:
            for person, record in net.people[inc]:
                if person in member_ids and person not in defendants and (person in brokers or rng.random() < 0.7):
                    defendants[person] = record
        charged = [person_record_id(r) for r in defendants.values()]
        if rng.random() < 0.3:
            charged.append(net.group.org_id)
        countries = [net.places[i][0] for i in chosen]
        jurisdiction = max(sorted(set(countries)), key=countries.count)
        offences = ["terrorism"] if net.kind == "terrorist" else ["illicit trafficking"]
        if net.kind != "terrorist" and rng.random() < 0.4:
            offences.append("participation in an organised criminal group")
        case_id = f"CASE-{number:05d}"
        jit = len(set(countries)) > 1
        mla = [f"MLA-{number:05d}-{k}" for k in range(1, rng.randint(2, 4))] if jit else []
        incident_ids = [incident_id(i) for i in chosen]
        self.writer.write(
            "cases",
            [
                case_id,
                f"Operation {rng.choice(_CODENAMES)} {number}",
                jurisdiction,
                ";".join(offences),
                rng.choice(("open", "charged", "trial", "closed")),
                iso_day(max(net.places[i][1] for i in chosen) + rng.randint(30, 200)),
                _BOOL[jit],
                ";".join(mla),
                ";".join(incident_ids),
                ";".join(charged),
            ],
        )
        self.truth.cases[case_id] = {
            "incident_ids": incident_ids,
            "defendant_ids": charged,
            "network_id": net.network_id,
        }

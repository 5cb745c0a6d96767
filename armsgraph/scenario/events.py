"""What happens in a scenario: planted networks, ballistic series, diversion points and one-off events."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import accumulate

from armsgraph.scenario.entities import SPAN_DAYS, START_YEAR, Event, Factory, Firearm, Network, Org
from armsgraph.scenario.firearms import COUNTRY_PROFILE, STATUS_WEIGHTS
from armsgraph.scenario.places import CORRIDORS, COUNTRIES, Corridor

_BG_COUNTRIES = list(COUNTRIES)
_BG_WEIGHTS = list(accumulate(c.weight for c in COUNTRIES.values()))
_CORRIDOR_WEIGHTS = list(accumulate(c.weight for c in CORRIDORS))
_KINDS = ("seizure", "recovery", "shooting", "crime", "surrender", "found")
_KIND_WEIGHTS = list(accumulate((58, 10, 10, 8, 7, 7)))
_SEIZURE_CONTEXTS = (
    "illicit possession",
    "drug trafficking",
    "illicit trafficking",
    "organised crime",
    "violent crime",
)
_SEIZURE_CONTEXT_WEIGHTS = list(accumulate((45, 22, 10, 8, 15)))
_STATUSES = [s for s, _ in STATUS_WEIGHTS]
_STATUS_W = list(accumulate(w for _, w in STATUS_WEIGHTS))
_PEOPLE_W = list(accumulate((25, 55, 15, 5)))
_DEALER_SUFFIX = {"USA": "Guns & Pawn", "PRY": "Armería", "SVK": "Zbrane s.r.o.", "BRA": "Armas Ltda"}
_DEPOTS = ("Army depot", "MoD storage site", "Police armoury", "Territorial defence store")


@dataclass(slots=True, eq=False)
class BallisticSeries:
    """One firearm fired at several shootings (one examiner's hit group), maybe recovered at the end."""

    group: str
    firearm: Firearm
    country: str
    dates: list[int]
    seized: bool
    network: Network | None = None
    context: str = "violent crime"


@dataclass
class Plan:
    """The planted structure; ``schedule`` lists the special events to interleave with one-off events."""

    networks: list[Network] = field(default_factory=list)
    series: list[BallisticSeries] = field(default_factory=list)
    schedule: list[Network | BallisticSeries] = field(default_factory=list)
    points: dict[str, list[Org]] = field(default_factory=dict)  # corridor key -> diversion points
    point_networks: dict[str, int] = field(default_factory=dict)  # point org id -> networks it supplies


def _dates(rng: random.Random, count: int, span: int = 900) -> list[int]:
    """``count`` sorted event days inside one active window, in reverse (pop() gives the earliest)."""
    start = rng.randint(0, SPAN_DAYS - 200)
    end = min(SPAN_DAYS - 1, start + rng.randint(150, span))
    return sorted((rng.randint(start, end) for _ in range(count)), reverse=True)


def _point(rng: random.Random, factory: Factory, plan: Plan, corridor: Corridor) -> Org | None:
    """The diversion point (dealer or stockpile) a network's firearms leave legal control at, if any."""
    if corridor.diversion_kind is None or rng.random() > 0.7:
        return None
    existing = plan.points.setdefault(corridor.key, [])
    reusable = [org for org in existing if plan.point_networks[org.org_id] < 2]
    if reusable and rng.random() < 0.4:
        chosen = rng.choice(reusable)
        plan.point_networks[chosen.org_id] += 1
        return chosen
    country = COUNTRIES[corridor.route[0]]
    city = rng.choice(country.cities)
    n = len(factory.orgs) + 1
    if corridor.diversion_kind == "licensed dealer":
        name = f"{city.name} {_DEALER_SUFFIX.get(country.alpha3, 'Firearms Trading')} #{n}"
    else:
        name = f"{country.name} {rng.choice(_DEPOTS)} {city.name} #{n}"
    org = factory.org(("point", str(n)), name, corridor.diversion_kind, country.alpha3)
    existing.append(org)
    plan.point_networks[org.org_id] = 1
    return org


def pool_firearm(rng: random.Random, factory: Factory, corridor: Corridor, point: Org | None, year: int) -> Firearm:
    """A firearm moving along ``corridor``, diverted at ``point`` six times in ten when there is one."""
    firearm = factory.firearm(corridor.profile, corridor.route[0], year_cap=year)
    if point is not None and firearm.model.mode in ("factory", "reactivated") and rng.random() < 0.6:
        firearm.point = point
        firearm.import_country = point.country
    return firearm


def plan_scenario(rng: random.Random, factory: Factory, events: int) -> Plan:
    """Plant trafficking, terrorist and organised-crime networks and ballistic series for ``events`` events."""
    plan = Plan()
    budget = int(events * 0.15)
    trafficking: list[Network] = []
    while budget >= 3:
        corridor = rng.choices(CORRIDORS, cum_weights=_CORRIDOR_WEIGHTS)[0]
        size = min(40, 5 + int(rng.expovariate(1 / 8)))
        count = max(3, min(60, round(size * rng.uniform(0.8, 2.0)), budget))
        count = min(count, budget)
        budget -= count
        net = _network(rng, factory, f"net-{len(plan.networks) + 1}", "trafficking", corridor, size, count)
        point = _point(rng, factory, plan, corridor)
        year = START_YEAR + net.dates[-1] // 365
        net.pool = [pool_firearm(rng, factory, corridor, point, year) for _ in range(round(count * 2.5))]
        for firearm in net.pool:
            firearm.network, firearm.shared = net, True
        net.case = rng.random() < 0.5
        trafficking.append(net)
        plan.networks.append(net)
        plan.schedule.extend([net] * count)
    for kind, share, sizes, counts in (("terrorist", 6, (4, 12), (2, 6)), ("organised crime", 4, (5, 15), (3, 8))):
        for _ in range(len(trafficking) // share + (1 if trafficking else 0)):
            supplier = rng.choice(trafficking)
            count = rng.randint(*counts)
            net = _network(
                rng, factory, f"net-{len(plan.networks) + 1}", kind, supplier.corridor, rng.randint(*sizes), count
            )
            net.supplier = supplier
            net.case = rng.random() < (0.7 if kind == "terrorist" else 0.4)
            plan.networks.append(net)
            plan.schedule.extend([net] * count)
    oc = [n for n in plan.networks if n.kind == "organised crime"]
    shootings = int(events * 0.04)
    while shootings >= 2:
        count = min(shootings, rng.randint(2, 5))
        shootings -= count
        series = _series(
            rng,
            factory,
            f"HG-{len(plan.series) + 1:05d}",
            count,
            rng.choice(oc) if oc and rng.random() < 0.35 else None,
        )
        plan.series.append(series)
        plan.schedule.extend([series] * (count + series.seized))
    return plan


def _network(
    rng: random.Random, factory: Factory, network_id: str, kind: str, corridor: Corridor, size: int, count: int
) -> Network:
    home = corridor.route[-1] if kind != "trafficking" else rng.choice((corridor.route[0], corridor.route[-1]))
    members = [
        factory.person(home if rng.random() < 0.7 else rng.choice(corridor.route), shared=True) for _ in range(size)
    ]
    brokers = members[: 1 + (size > 10) + (size > 25)]
    leader = brokers[0]
    for person in brokers:
        person.alias = factory.nickname()
    suffix = {"trafficking": "network", "terrorist": "cell", "organised crime": "clan"}[kind]
    group_kind = "terrorist group" if kind == "terrorist" else "criminal group"
    group = factory.org(("group", network_id), f"{leader.last} {suffix}", group_kind, home)
    phones = [factory.identifier("phone", p.nationality) for p in members[: max(2, size * 3 // 4)]]
    for i, person in enumerate(members):
        person.identifiers.append(("phone", phones[i % len(phones)]))
        if "darknet-ordered" in corridor.modes and rng.random() < 0.5:
            person.identifiers.append(("email", factory.identifier("email", home)))
    net = Network(network_id, kind, corridor, members, brokers, group, _dates(rng, count))
    for person in members:
        person.network = net
    net.vehicles = [factory.identifier("vehicle", home) for _ in range(rng.randint(1, 4))]
    return net


def _series(rng: random.Random, factory: Factory, group: str, count: int, network: Network | None) -> BallisticSeries:
    dates = _dates(rng, count + 1, span=500)
    if network is not None and network.supplier is not None:
        supplier = network.supplier
        firearm = pool_firearm(rng, factory, supplier.corridor, None, START_YEAR + dates[-1] // 365)
        firearm.network, firearm.shared = supplier, True
        supplier.pool.append(firearm)
        country = network.corridor.route[-1]
        return BallisticSeries(group, firearm, country, dates, rng.random() < 0.6, network, "organised crime")
    country = rng.choices(_BG_COUNTRIES, cum_weights=_BG_WEIGHTS)[0]
    firearm = factory.firearm(COUNTRY_PROFILE.get(country, "eu"), country, year_cap=START_YEAR + dates[-1] // 365)
    firearm.shared = True
    return BallisticSeries(group, firearm, country, dates, rng.random() < 0.5)


def _take(rng: random.Random, net: Network, k: int, reuse: float) -> list[Firearm]:
    """``k`` firearms from the pool: mostly ones not yet seen, sometimes ones seen before."""
    picked: list[Firearm] = []
    for _ in range(k):
        if net.used and (net.used >= len(net.pool) or rng.random() < reuse):
            picked.append(net.pool[rng.randrange(net.used)])
        elif net.used < len(net.pool):
            picked.append(net.pool[net.used])
            net.used += 1
    return list(dict.fromkeys(picked))


def network_event(rng: random.Random, factory: Factory, net: Network) -> Event:
    """One event of a planted network."""
    day = net.dates.pop()
    corridor = net.corridor
    if net.kind == "trafficking":
        country = rng.choices(
            corridor.route, [2] + [3 / max(1, len(corridor.route) - 2)] * (len(corridor.route) - 2) + [5]
        )[0]
        context = "illicit trafficking" if rng.random() < 0.85 else "drug trafficking"
        kind = "seizure"
        firearms = _take(rng, net, 1 + min(11, int(rng.expovariate(1 / 1.8))), reuse=0.12)
    else:
        country = corridor.route[-1]
        context = "terrorism" if net.kind == "terrorist" else "organised crime"
        kind = "crime" if rng.random() < 0.3 else "seizure"
        supplier = net.supplier
        assert supplier is not None
        firearms = _take(rng, supplier, rng.randint(1, 3), reuse=0.3)
        if rng.random() < 0.4:
            firearms.append(factory.firearm(COUNTRY_PROFILE.get(country, "eu"), country, START_YEAR + day // 365))
    event = Event(day, country, rng.choice(COUNTRIES[country].cities), kind, context, network=net)
    status = "trafficked" if kind == "seizure" and net.kind == "trafficking" and rng.random() < 0.1 else "seized"
    event.firearms = [(f, status) for f in firearms]
    members = rng.sample(net.members, min(len(net.members), rng.randint(1, 3)))
    if net.kind == "trafficking":
        if rng.random() < 0.35 and net.brokers[0] not in members:
            members[0] = rng.choice(net.brokers)
        event.route, event.route_mode = corridor.route, rng.choice(corridor.modes)
        event.concealment = rng.choice(corridor.concealments)
        if event.route_mode in ("postal/courier", "darknet-ordered"):
            event.identifiers.append(("parcel", factory.identifier("parcel", corridor.route[0]), False))
        elif rng.random() < 0.5:
            event.identifiers.append(("vehicle", rng.choice(net.vehicles), True))
    roles = {"trafficking": ("courier", "buyer", "courier"), "terrorist": ("suspect",), "organised crime": ("suspect",)}
    event.persons = [(p, "broker" if p in net.brokers else rng.choice(roles[net.kind])) for p in members]
    if net.supplier is not None and not net.supplier_seen and (rng.random() < 0.4 or len(net.dates) == 0):
        net.supplier_seen = True
        event.persons.append((rng.choice(net.supplier.members), "seller"))
    event.ammunition = rng.randint(20, 600) if rng.random() < 0.6 else 0
    event.parts = rng.randint(1, 12) if rng.random() < 0.2 else 0
    return event


def series_event(rng: random.Random, factory: Factory, series: BallisticSeries) -> Event:
    """The next shooting of a ballistic series, or the recovery of its firearm after the last one."""
    day = series.dates.pop()
    last = series.seized and not series.dates
    country = series.country
    kind = "seizure" if last else "shooting"
    event = Event(day, country, rng.choice(COUNTRIES[country].cities), kind, series.context, hit_group=series.group)
    calibre = series.firearm.model.calibre
    if last:
        event.firearms = [(series.firearm, "seized")]
        event.ballistics = [("cartridge case", calibre)]  # test-fired by the examiner
    else:
        event.ballistics = [("cartridge case", calibre)] * rng.randint(1, 4) + [("bullet", calibre)] * rng.randint(0, 2)
        if rng.random() < 0.6:
            event.persons.append((factory.person(country), "victim"))
    if series.network is not None and rng.random() < 0.5:
        event.persons.append((rng.choice(series.network.members), "shooter" if not last else "suspect"))
    elif last:
        event.persons.append((factory.person(country), "suspect"))
    return event


def background_event(rng: random.Random, factory: Factory, plan: Plan) -> Event:
    """A one-off event: most seizures and recoveries link to nothing else."""
    kind = rng.choices(_KINDS, cum_weights=_KIND_WEIGHTS)[0]
    corridor: Corridor | None = None
    if kind == "seizure" and rng.random() < 0.12:
        corridor = rng.choices(CORRIDORS, cum_weights=_CORRIDOR_WEIGHTS)[0]
        country = rng.choice(corridor.route[1:])
    else:
        country = rng.choices(_BG_COUNTRIES, cum_weights=_BG_WEIGHTS)[0]
    day = rng.randrange(SPAN_DAYS)
    context = _context(rng, kind)
    event = Event(day, country, rng.choice(COUNTRIES[country].cities), kind, context)
    roll = rng.random()
    count = (
        0
        if roll < 0.05
        else 1
        if roll < 0.75
        else 2
        if roll < 0.88
        else rng.randint(3, 6)
        if roll < 0.97
        else rng.randint(7, 40)
    )
    if kind == "shooting":
        count = 1 if roll < 0.3 else 0
        event.ballistics = [("cartridge case", "")] * rng.randint(1, 3)
    year = START_YEAR + day // 365
    status = {"surrender": "surrendered", "found": "found"}.get(kind, "")
    if corridor is not None:
        event.route, event.route_mode = corridor.route, rng.choice(corridor.modes)
        event.concealment = rng.choice(corridor.concealments)
        points: list[Org | None] = [*plan.points.get(corridor.key, [])] or [None]
        event.firearms = [
            (pool_firearm(rng, factory, corridor, rng.choice(points), year), "seized") for _ in range(count)
        ]
    else:
        profile = COUNTRY_PROFILE.get(country, "eu")
        for _ in range(count):
            event.firearms.append(
                (
                    factory.firearm(profile, country, year_cap=year),
                    status or rng.choices(_STATUSES, cum_weights=_STATUS_W)[0],
                )
            )
    if event.ballistics and event.firearms:
        event.ballistics = [(k, event.firearms[0][0].model.calibre) for k, _ in event.ballistics]
    people = 0 if kind in ("found",) else rng.choices((0, 1, 2, 3), cum_weights=_PEOPLE_W)[0]
    roles = {"shooting": ("victim", "shooter", "witness"), "surrender": ("owner",), "crime": ("suspect", "victim")}
    for _ in range(people):
        person = factory.person(country if rng.random() < 0.8 else rng.choice(_BG_COUNTRIES))
        if rng.random() < 0.3:
            person.identifiers.append(("phone", factory.identifier("phone", person.nationality)))
        event.persons.append((person, rng.choice(roles.get(kind, ("suspect", "owner", "courier")))))
    event.ammunition = rng.randint(1, 200) if rng.random() < 0.3 else 0
    return event


def _context(rng: random.Random, kind: str) -> str:
    if kind in ("surrender", "found"):
        return "administrative"
    if kind in ("shooting", "crime"):
        return "violent crime" if rng.random() < 0.8 else "organised crime"
    return rng.choices(_SEIZURE_CONTEXTS, cum_weights=_SEIZURE_CONTEXT_WEIGHTS)[0]

"""Generate a synthetic scenario bundle with planted truth (``armsgraph generate``).

The bundle holds the CSV files of ``docs/formats.md`` plus ``truth.json``: which
records describe the same person or firearm, the planted networks, every truly
linked pair of incidents, diversion points, corridors, cases and the nexus.
What is planted and on what basis is described in ``docs/scenario.md``.

The same seed gives byte-identical files. Records are written as they are
generated; memory grows with the planted (linked) part, not the one-off events.
"""

from __future__ import annotations

import random
from pathlib import Path

from armsgraph.errors import ArmsgraphError
from armsgraph.progress import Progress, reporter
from armsgraph.scenario.bundle import BundleWriter
from armsgraph.scenario.entities import Factory, Network
from armsgraph.scenario.events import background_event, network_event, plan_scenario, series_event
from armsgraph.scenario.records import RecordWriter
from armsgraph.scenario.truth import Truth, incident_id, true_person_id

__all__ = ["GenerateError", "generate_scenario"]

#: Shares of incident rows, at noise 1.0, that are a second report of an event / deliberately invalid.
DUPLICATE_SHARE = 0.02
INVALID_SHARE = 0.004


class GenerateError(ArmsgraphError):
    """The generator was asked for something it cannot make."""


def generate_scenario(
    out_dir: Path | str, incidents: int, seed: int, noise: float = 1.0, progress: Progress | None = None
) -> Path:
    """Write a scenario bundle of ``incidents`` incident rows into ``out_dir``; return the folder.

    Examples
    --------
    >>> import tempfile, json
    >>> out = generate_scenario(tempfile.mkdtemp(), incidents=200, seed=7, progress=False)
    >>> truth = json.loads((out / "truth.json").read_text())
    >>> truth["incidents"], sum(1 for _ in open(out / "incidents.csv")) - 1
    (200, 200)
    """
    if incidents < 1:
        raise GenerateError(f"incidents must be at least 1, got {incidents}")
    if noise < 0:
        raise GenerateError(f"noise must be zero or more, got {noise}")
    out = Path(out_dir)
    rng = random.Random(seed)  # noqa: S311 - a seeded simulation stream, not cryptography
    truth = Truth()
    with BundleWriter(out) as writer:
        factory = Factory(rng, writer)
        records = RecordWriter(rng, writer, truth, factory, noise)
        invalid = min(round(incidents * INVALID_SHARE * noise), incidents // 4)
        duplicates = min(round(incidents * DUPLICATE_SHARE * noise), incidents // 4)
        events = incidents - invalid - duplicates
        plan = plan_scenario(rng, factory, events)
        _record_networks(truth, plan.networks)
        special = sorted(rng.sample(range(events), len(plan.schedule)))
        rng.shuffle(plan.schedule)
        scheduled = dict(zip(special, plan.schedule, strict=True))
        doubled = set(rng.sample(range(events), duplicates))
        bad_incidents = _positions(rng, events, invalid)
        bad_firearms = set(rng.sample(range(events), min(events, round(incidents * INVALID_SHARE * noise / 2))))
        bad_traces = set(rng.sample(range(events), min(events, round(incidents * INVALID_SHARE * noise / 2))))
        report = reporter(progress)
        report("generating incidents", 0, events)
        for position in range(events):
            item = scheduled.get(position)
            if item is None:
                event = background_event(rng, factory, plan)
            elif isinstance(item, Network):
                event = network_event(rng, factory, item)
            else:
                event = series_event(rng, factory, item)
            records.event(event, duplicate=position in doubled)
            if position in bad_firearms:
                records.invalid_firearm()
            if position in bad_traces:
                records.invalid_trace()
            for _ in range(bad_incidents.get(position, 0)):
                records.invalid_incident()
            if position % 1000 == 999 or position == events - 1:
                report("generating incidents", position % 1000 + 1)
        cases = [net for net in plan.networks if net.case]
        for number, net in enumerate(cases, start=1):
            records.case(number, net)
    for entry, net in zip(truth.networks, plan.networks, strict=True):
        entry["incident_ids"] = [incident_id(i) for i in net.records]
    truth.save(out / "truth.json", seed=seed, incidents=incidents, noise=noise)
    return out


def _positions(rng: random.Random, events: int, count: int) -> dict[int, int]:
    """How many invalid incident rows follow each event position."""
    where: dict[int, int] = {}
    for _ in range(count):
        position = rng.randrange(events)
        where[position] = where.get(position, 0) + 1
    return where


def _record_networks(truth: Truth, networks: list[Network]) -> None:
    for net in networks:
        members = [true_person_id(p.idx) for p in net.members]
        for person in net.members:
            truth.person_network[person.idx] = net.network_id
        entry = {
            "network_id": net.network_id,
            "kind": net.kind,
            "members": members,
            "brokers": [true_person_id(p.idx) for p in net.brokers],
            "corridor": list(net.corridor.route),
            "group_id": net.group.org_id,
            "supplier": net.supplier.network_id if net.supplier is not None else None,
            "incident_ids": [],
        }
        truth.networks.append(entry)

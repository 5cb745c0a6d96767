"""The ground truth of a generated scenario, collected while records are written, saved as ``truth.json``.

Links are collected per incident record as keys of TRUE entities (a true
person, firearm, identifier, ballistic hit group or diversion point); every
pair of incident records sharing a key is a linked pair. Only keys that can be
shared are registered, so memory grows with the linked part of the scenario.
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

import numpy as np

LINK_REASONS = ("firearm", "ballistic", "person", "identifier", "trace", "duplicate")


def incident_id(index: int) -> str:
    return f"INC-{index:07d}"


def person_record_id(index: int) -> str:
    return f"PR-{index:08d}"


def true_person_id(index: int) -> str:
    return f"TP-{index:07d}"


def firearm_record_id(index: int) -> str:
    return f"FR-{index:08d}"


def true_firearm_id(index: int) -> str:
    return f"TF-{index:07d}"


class Truth:
    """Accumulates what is true about the scenario; ``save`` writes truth.json."""

    def __init__(self) -> None:
        self.person_records = array("q")  # record index, true index, record index, ...
        self.firearm_records = array("q")
        self.person_network: dict[int, str] = {}
        self.networks: list[dict[str, Any]] = []
        self.groups: dict[tuple[str, Hashable], list[int]] = defaultdict(list)
        self.duplicates: list[tuple[int, int]] = []
        self.diverted: dict[str, set[int]] = defaultdict(set)
        self.corridors: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.cases: dict[str, dict[str, Any]] = {}
        self.nexus: set[str] = set()
        self.invalid_rows: list[dict[str, Any]] = []

    def person(self, record: int, true: int) -> None:
        self.person_records.extend((record, true))

    def firearm(self, record: int, true: int) -> None:
        self.firearm_records.extend((record, true))

    def link(self, incident: int, keys: Iterable[tuple[str, Hashable]]) -> None:
        """Incident record ``incident`` carries these true-entity keys."""
        for key in set(keys):
            self.groups[key].append(incident)

    def route(self, route: tuple[str, ...], firearms: int) -> None:
        """A true event moved ``firearms`` along ``route`` (departure, transits..., destination)."""
        for leg in pairwise(route):
            if leg[0] != leg[1]:
                counts = self.corridors[leg]
                counts[0] += firearms
                counts[1] += 1

    def invalid(self, file: str, row: int, record_id: str, column: str, reason: str) -> None:
        self.invalid_rows.append(
            {"file": f"{file}.csv", "row": row, "id": record_id, "column": column, "reason": reason}
        )

    def pair_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Linked pairs as arrays (first incident, second incident, reason index), sorted, once per reason."""
        codes, reasons = [], []
        for (reason, _), members in self.groups.items():
            ids = np.unique(np.asarray(members, dtype=np.int64))
            if ids.size < 2:
                continue
            a, b = np.triu_indices(ids.size, k=1)
            codes.append(ids[a] * (1 << 32) + ids[b])
            reasons.append(np.full(a.size, LINK_REASONS.index(reason), dtype=np.int8))
        for a_id, b_id in self.duplicates:
            codes.append(np.asarray([min(a_id, b_id) * (1 << 32) + max(a_id, b_id)], dtype=np.int64))
            reasons.append(np.asarray([LINK_REASONS.index("duplicate")], dtype=np.int8))
        if not codes:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        combined = np.concatenate(codes) * len(LINK_REASONS) + np.concatenate(reasons).astype(np.int64)
        pair, why = np.divmod(np.unique(combined), len(LINK_REASONS))  # sorted by (first, second, reason)
        return pair >> 32, pair & 0xFFFFFFFF, why

    def linked_pairs(self) -> list[tuple[int, int, str]]:
        """Every unordered pair of incident records with a shared true key, once per reason, sorted."""
        first, second, reason = self.pair_arrays()
        return [
            (a, b, LINK_REASONS[r]) for a, b, r in zip(first.tolist(), second.tolist(), reason.tolist(), strict=True)
        ]

    def save(self, path: Path, seed: int, incidents: int, noise: float) -> None:
        """Write truth.json, streaming the large maps."""
        with path.open("w", encoding="utf-8") as f:
            f.write("{\n")
            f.write(f'"seed": {seed}, "incidents": {incidents}, "noise": {json.dumps(noise)},\n')
            _write_map(f, "persons", self.person_records, person_record_id, true_person_id)
            _write_map(f, "firearms", self.firearm_records, firearm_record_id, true_firearm_id)
            network_of = {true_person_id(k): v for k, v in sorted(self.person_network.items())}
            f.write(f'"person_network": {json.dumps(network_of)},\n')
            f.write('"networks": [\n' + ",\n".join(json.dumps(n, ensure_ascii=False) for n in self.networks) + "\n],\n")
            _write_pairs(f, *self.pair_arrays())
            dups = sorted((min(a, b), max(a, b)) for a, b in self.duplicates)
            f.write(f'"duplicate_incidents": {json.dumps([[incident_id(a), incident_id(b)] for a, b in dups])},\n')
            points = sorted(self.diverted.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            f.write(f'"diversion_points": {json.dumps([{"party_id": p, "firearms": len(s)} for p, s in points])},\n')
            flows = sorted(self.corridors.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
            rows = [{"from": a, "to": b, "firearms": c[0], "incidents": c[1]} for (a, b), c in flows]
            f.write(f'"corridors": {json.dumps(rows)},\n')
            f.write(f'"cases": {json.dumps(self.cases, ensure_ascii=False)},\n')
            f.write(f'"nexus_networks": {json.dumps(sorted(self.nexus, key=_natural))},\n')
            f.write(f'"invalid_rows": {json.dumps(self.invalid_rows)}\n')
            f.write("}\n")


def _natural(network_id: str) -> tuple[str, int]:
    prefix, _, number = network_id.rpartition("-")
    return prefix, int(number) if number.isdigit() else 0


def _write_map(f: IO[str], name: str, pairs: array, record_id: Any, true_id: Any) -> None:
    f.write(f'"{name}": {{')
    sep = "\n"
    for i in range(0, len(pairs), 2):
        f.write(f'{sep}"{record_id(pairs[i])}": "{true_id(pairs[i + 1])}"')
        sep = ",\n"
    f.write("\n},\n")


def _write_pairs(f: IO[str], first: np.ndarray, second: np.ndarray, reason: np.ndarray, chunk: int = 100_000) -> None:
    f.write('"linked_pairs": [')
    sep = "\n"
    for start in range(0, first.size, chunk):
        rows = zip(
            first[start : start + chunk].tolist(),
            second[start : start + chunk].tolist(),
            reason[start : start + chunk].tolist(),
            strict=True,
        )
        f.write(sep + ",\n".join(f'["{incident_id(a)}", "{incident_id(b)}", "{LINK_REASONS[r]}"]' for a, b, r in rows))
        sep = ",\n"
    f.write("\n],\n")

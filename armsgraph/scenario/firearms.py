"""Firearm makes, models, calibres and types for generated scenarios, grouped in market profiles.

Each profile is the mix seen along one kind of corridor (UNODC Global Study on
Firearms Trafficking 2020; Small Arms Survey; Europol/EMPACT firearms reports),
see ``docs/scenario.md``; the tables are ``data/firearms.yaml``. Serials come from a per-model template: ``L`` a letter,
``D`` a digit, anything else literal; empty means the firearm carries no serial.
"""

from __future__ import annotations

from dataclasses import dataclass

from armsgraph.scenario.tables import table


@dataclass(frozen=True)
class FirearmModel:
    """One make/model as it leaves the factory (or the workshop)."""

    make: str
    model: str
    type: str
    calibre: str
    country: str  # of manufacture, alpha-3; "" when unknown (craft, 3D-printed)
    mode: str  # factory / craft / 3D-printed / converted / reactivated / modular / polymer
    serial: str  # template
    years: tuple[int, int]


_TABLES = table("firearms")
#: Every model by its id in ``data/firearms.yaml``.
MODELS: dict[str, FirearmModel] = {
    key: FirearmModel(make, model, kind, calibre, country, mode, serial, (first, last))
    for key, (make, model, kind, calibre, country, mode, serial, (first, last)) in _TABLES["models"].items()
}

#: Weighted model mix per market profile.
PROFILES: dict[str, tuple[tuple[FirearmModel, float], ...]] = {
    name: tuple((MODELS[key], weight) for key, weight in mix) for name, mix in _TABLES["profiles"].items()
}

#: Which profile one-off (background) incidents in a country draw from.
COUNTRY_PROFILE: dict[str, str] = _TABLES["country_profile"]

#: Written forms of a calibre seen in real records (all mean the same cartridge).
CALIBRE_VARIANTS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _TABLES["calibre_variants"].items()}

#: Firearm statuses for one-off records and their weights.
STATUS_WEIGHTS: tuple[tuple[str, int], ...] = tuple((s, w) for s, w in _TABLES["status_weights"])

"""The scenario generator: determinism, scale, referential integrity, and a truth that matches the files."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from armsgraph.scenario.bundle import COLUMNS
from armsgraph.scenario.generate import GenerateError, generate_scenario
from armsgraph.scenario.places import UNKNOWN_COUNTRIES

Bundle = dict[str, Any]


def load(folder: Path) -> Bundle:
    """Every CSV as a list of dicts, plus the truth."""
    out: Bundle = {}
    for name in COLUMNS:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            out[name] = list(csv.DictReader(f))
    out["truth"] = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return out


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    folder = generate_scenario(tmp_path_factory.mktemp("scenario"), incidents=2500, seed=11, progress=False)
    return load(folder)


def invalid_ids(b: Bundle, file: str) -> set[str]:
    return {r["id"] for r in b["truth"]["invalid_rows"] if r["file"] == file}


def pairs_sharing(groups: dict[Any, set[str]]) -> set[tuple[str, str]]:
    out = set()
    for incidents in groups.values():
        out.update(itertools.combinations(sorted(incidents), 2))
    return out


def truth_pairs(b: Bundle, reason: str) -> set[tuple[str, str]]:
    return {(a, c) for a, c, r in b["truth"]["linked_pairs"] if r == reason}


def involved_people(b: Bundle) -> dict[str, list[str]]:
    """incident_id -> true person ids of the person records involved."""
    persons = b["truth"]["persons"]
    out: dict[str, list[str]] = defaultdict(list)
    for row in b["involvements"]:
        out[row["incident_id"]].append(persons[row["party_id"]])
    return out


# --- determinism and scale ----------------------------------------------------------------


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    a = generate_scenario(tmp_path / "a", incidents=1000, seed=5, progress=False)
    b = generate_scenario(tmp_path / "b", incidents=1000, seed=5, progress=False)
    c = generate_scenario(tmp_path / "c", incidents=1000, seed=6, progress=False)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted([f"{n}.csv" for n in COLUMNS] + ["truth.json"])
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "incidents.csv").read_bytes() != (c / "incidents.csv").read_bytes()


def test_row_counts_scale_with_incidents(tmp_path: Path) -> None:
    small = load(generate_scenario(tmp_path / "s", incidents=500, seed=2, progress=False))
    large = load(generate_scenario(tmp_path / "l", incidents=2000, seed=2, progress=False))
    assert len(small["incidents"]) == 500
    assert len(large["incidents"]) == 2000
    for name in ("firearms", "persons", "involvements", "traces", "ballistics"):
        ratio = len(large[name]) / len(small[name])
        assert 2.5 < ratio < 6, (name, ratio)
    assert len(large["truth"]["networks"]) > len(small["truth"]["networks"]) >= 2


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GenerateError):
        generate_scenario(tmp_path, incidents=0, seed=1, progress=False)
    with pytest.raises(GenerateError):
        generate_scenario(tmp_path, incidents=10, seed=1, noise=-1, progress=False)


# --- referential integrity ----------------------------------------------------------------


def test_every_reference_points_at_a_valid_record(bundle: Bundle) -> None:
    bad_incidents = invalid_ids(bundle, "incidents.csv")
    incidents = {r["incident_id"] for r in bundle["incidents"]} - bad_incidents
    persons = {r["person_record_id"] for r in bundle["persons"]}
    orgs = {r["org_id"] for r in bundle["organisations"]}
    firearms = {r["firearm_record_id"] for r in bundle["firearms"]} - invalid_ids(bundle, "firearms.csv")
    assert len(incidents) + len(bad_incidents) == len(bundle["incidents"]) == 2500
    assert {r["incident_id"] for r in bundle["firearms"]} <= incidents
    assert {r["incident_id"] for r in bundle["involvements"]} <= incidents
    assert {r["party_id"] for r in bundle["involvements"]} <= persons | orgs
    assert {r["owner_id"] for r in bundle["identifiers"]} <= persons | orgs | incidents
    assert {r["incident_id"] for r in bundle["ballistics"]} <= incidents
    assert {r["firearm_record_id"] for r in bundle["traces"]} <= firearms
    assert {r["firearm_record_id"] for r in bundle["transfers"]} <= firearms
    parties = {r[k] for r in bundle["transfers"] for k in ("from_party", "to_party")} - {""}
    assert parties <= persons | orgs
    memberships = {o for r in bundle["persons"] for o in r["organisation_ids"].split(";") if o}
    assert memberships <= orgs
    for case in bundle["cases"]:
        assert set(case["incident_ids"].split(";")) <= incidents
        assert set(case["defendant_ids"].split(";")) - {""} <= persons | orgs
    for name, key in (("incidents", "incident_id"), ("firearms", "firearm_record_id"), ("persons", "person_record_id")):
        ids = [r[key] for r in bundle[name]]
        assert len(ids) == len(set(ids)), f"{name} ids are not unique"


def test_invalid_rows_are_listed_with_their_defect(bundle: Bundle) -> None:
    listed = bundle["truth"]["invalid_rows"]
    assert {r["file"] for r in listed} == {"incidents.csv", "firearms.csv", "traces.csv"}
    key = {"incidents.csv": "incident_id", "firearms.csv": "firearm_record_id", "traces.csv": "trace_id"}
    for entry in listed:
        row = bundle[entry["file"][:-4]][entry["row"] - 1]  # 1-based data rows, as ingest reports them
        assert row[key[entry["file"]]] == entry["id"]
        value = row[entry["column"]]
        if entry["reason"] == "invalid date":
            with pytest.raises(ValueError):
                date.fromisoformat(value)
        elif entry["reason"] == "unknown country":
            assert value in UNKNOWN_COUNTRIES
        else:
            assert value == ""
    bad = invalid_ids(bundle, "incidents.csv")
    assert not bad & {r["incident_id"] for r in bundle["involvements"]}
    assert not bad & set(bundle["truth"]["persons"]) and not set(bundle["truth"]["firearms"]) & invalid_ids(
        bundle, "firearms.csv"
    )


def test_valid_rows_have_their_required_values(bundle: Bundle) -> None:
    bad = invalid_ids(bundle, "incidents.csv")
    for row in bundle["incidents"]:
        if row["incident_id"] not in bad:
            assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row["date"]) and row["country"]
    bad_firearms = invalid_ids(bundle, "firearms.csv")
    assert all(r["type"] for r in bundle["firearms"] if r["firearm_record_id"] not in bad_firearms)


# --- the truth matches the files -----------------------------------------------------------


def test_truth_maps_cover_every_valid_record(bundle: Bundle) -> None:
    truth = bundle["truth"]
    assert set(truth["persons"]) == {r["person_record_id"] for r in bundle["persons"]}
    valid_firearms = {r["firearm_record_id"] for r in bundle["firearms"]} - invalid_ids(bundle, "firearms.csv")
    assert set(truth["firearms"]) == valid_firearms
    assert truth["incidents"] == 2500 and truth["seed"] == 11 and truth["noise"] == 1.0


def test_firearm_person_and_duplicate_pairs_are_exactly_those_in_the_files(bundle: Bundle) -> None:
    truth = bundle["truth"]
    by_firearm: dict[str, set[str]] = defaultdict(set)
    for row in bundle["firearms"]:
        if row["firearm_record_id"] in truth["firearms"]:
            by_firearm[truth["firearms"][row["firearm_record_id"]]].add(row["incident_id"])
    assert truth_pairs(bundle, "firearm") == pairs_sharing(by_firearm)
    by_person: dict[str, set[str]] = defaultdict(set)
    for incident, people in involved_people(bundle).items():
        for person in people:
            by_person[person].add(incident)
    assert truth_pairs(bundle, "person") == pairs_sharing(by_person)
    duplicates = {tuple(p) for p in truth["duplicate_incidents"]}
    assert truth_pairs(bundle, "duplicate") == duplicates and len(duplicates) == 50
    assert all(a < b for a, b, _ in truth["linked_pairs"])


def test_identifier_pairs_are_exactly_the_shared_selectors(bundle: Bundle) -> None:
    incidents_of: dict[str, set[str]] = defaultdict(set)
    for row in bundle["involvements"]:
        incidents_of[row["party_id"]].add(row["incident_id"])
    for row in bundle["incidents"]:
        incidents_of[row["incident_id"]].add(row["incident_id"])
    by_value: dict[str, set[str]] = defaultdict(set)
    for row in bundle["identifiers"]:
        value = re.sub(r"^00", "", re.sub(r"[\s+]", "", row["value"]))
        by_value[value] |= incidents_of.get(row["owner_id"], set())
    assert truth_pairs(bundle, "identifier") == pairs_sharing(by_value)
    assert truth_pairs(bundle, "identifier")


def test_ballistic_pairs_share_a_hit_group(bundle: Bundle) -> None:
    twin = {a: b for a, b in bundle["truth"]["duplicate_incidents"]}
    twin.update({b: a for a, b in bundle["truth"]["duplicate_incidents"]})
    groups: dict[str, set[str]] = defaultdict(set)
    for row in bundle["ballistics"]:
        if row["hit_group"]:
            groups[row["incident_id"]].add(row["hit_group"])
    pairs = truth_pairs(bundle, "ballistic")
    assert pairs
    for a, b in pairs:
        assert (groups[a] | groups[twin.get(a, "")]) & (groups[b] | groups[twin.get(b, "")]), (a, b)
    series = defaultdict(set)
    for row in bundle["ballistics"]:
        if row["hit_group"]:
            series[row["hit_group"]].add(row["incident_id"])
    assert pairs_sharing(series) <= pairs


def test_diversion_points_and_trace_pairs_follow_the_transfer_histories(bundle: Bundle) -> None:
    truth = bundle["truth"]
    point_of: dict[str, str] = {}
    for row in bundle["transfers"]:
        if row["diversion"] == "true":
            point_of[truth["firearms"][row["firearm_record_id"]]] = row["from_party"]
    planted = {p["party_id"]: p["firearms"] for p in truth["diversion_points"]}
    counted: dict[str, set[str]] = defaultdict(set)
    for true_id, party in point_of.items():
        if party in planted:
            counted[party].add(true_id)
    assert {p: len(s) for p, s in counted.items()} == planted
    firearms = [p["firearms"] for p in truth["diversion_points"]]
    assert firearms == sorted(firearms, reverse=True) and firearms[0] >= 10
    kinds = {r["org_id"]: r["kind"] for r in bundle["organisations"]}
    assert {kinds[p] for p in planted} == {"licensed dealer", "state stockpile"}
    by_point: dict[str, set[str]] = defaultdict(set)
    for row in bundle["firearms"]:
        party = point_of.get(truth["firearms"].get(row["firearm_record_id"], ""), "")
        if party in planted:
            by_point[party].add(row["incident_id"])
    assert truth_pairs(bundle, "trace") == pairs_sharing(by_point)


def test_trace_histories_end_in_one_last_legal_transfer_then_a_diversion(bundle: Bundle) -> None:
    histories: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in bundle["transfers"]:
        histories[row["firearm_record_id"]].append(row)
    assert histories
    for rows in histories.values():
        assert [int(r["order"]) for r in rows] == list(range(len(rows)))
        assert rows[0]["kind"] == "manufacture"
        assert sum(r["last_legal"] == "true" for r in rows) == 1
        dates = [r["date"] for r in rows]
        assert dates == sorted(dates)
        last = next(i for i, r in enumerate(rows) if r["last_legal"] == "true")
        assert all(r["diversion"] == "false" for r in rows[: last + 1])
    statuses = {r["status"] for r in bundle["traces"]}
    assert {"answered", "unanswered", "acknowledged"} <= statuses
    answered = [r for r in bundle["traces"] if r["answered"] and r["sent"][:2] == "20"]
    assert all(r["sent"] <= r["acknowledged"] <= r["answered"] for r in answered)


def test_planted_networks_share_people_across_their_incidents(bundle: Bundle) -> None:
    truth = bundle["truth"]
    people = involved_people(bundle)
    trafficking = [n for n in truth["networks"] if n["kind"] == "trafficking"]
    assert trafficking and {n["kind"] for n in truth["networks"]} == {"trafficking", "terrorist", "organised crime"}
    for net in trafficking:
        members = set(net["members"])
        assert 5 <= len(members) <= 40 and set(net["brokers"]) <= members
        assert all(truth["person_network"][m] == net["network_id"] for m in members)
        seen: dict[str, int] = defaultdict(int)
        for incident in net["incident_ids"]:
            involved = members & set(people[incident])
            assert involved, f"{incident} of {net['network_id']} involves no member"
            for person in involved:
                seen[person] += 1
        if len(net["incident_ids"]) >= 3:
            assert max(seen.values()) >= 2, net["network_id"]
        assert len(net["corridor"]) >= 2 and all(re.fullmatch(r"[A-Z]{3}", c) for c in net["corridor"])


def test_nexus_networks_supply_firearms_to_terrorism_incidents(bundle: Bundle) -> None:
    truth = bundle["truth"]
    true_firearms: dict[str, set[str]] = defaultdict(set)
    for row in bundle["firearms"]:
        if row["firearm_record_id"] in truth["firearms"]:
            true_firearms[row["incident_id"]].add(truth["firearms"][row["firearm_record_id"]])
    networks = {n["network_id"]: n for n in truth["networks"]}
    terror_firearms = set().union(
        *(true_firearms[i] for n in networks.values() if n["kind"] == "terrorist" for i in n["incident_ids"])
    )
    assert truth["nexus_networks"]
    for network_id in truth["nexus_networks"]:
        net = networks[network_id]
        assert net["kind"] == "trafficking"
        supplied = set().union(*(true_firearms[i] for i in net["incident_ids"]))
        assert supplied & terror_firearms, network_id


def test_cases_charge_members_of_the_network_they_concern(bundle: Bundle) -> None:
    truth = bundle["truth"]
    rows = {r["case_id"]: r for r in bundle["cases"]}
    assert truth["cases"] and set(rows) == set(truth["cases"])
    networks = {n["network_id"]: n for n in truth["networks"]}
    for case_id, case in truth["cases"].items():
        net = networks[case["network_id"]]
        assert set(case["incident_ids"]) <= set(net["incident_ids"])
        assert rows[case_id]["incident_ids"].split(";") == case["incident_ids"]
        people = [d for d in case["defendant_ids"] if d.startswith("PR-")]
        assert {truth["persons"][d] for d in people} <= set(net["members"])


def test_corridors_are_ranked_country_flows(bundle: Bundle) -> None:
    corridors = bundle["truth"]["corridors"]
    assert corridors
    assert [c["firearms"] for c in corridors] == sorted((c["firearms"] for c in corridors), reverse=True)
    assert all(re.fullmatch(r"[A-Z]{3}", c["from"]) and re.fullmatch(r"[A-Z]{3}", c["to"]) for c in corridors)
    flows = {(c["from"], c["to"]) for c in corridors}
    assert {("USA", "MEX"), ("AUT", "DEU")} & flows


def test_realistic_content_and_noise(bundle: Bundle) -> None:
    modes = {r["manufacture_mode"] for r in bundle["firearms"]}
    assert {"factory", "converted", "3D-printed", "modular"} <= modes
    assert {"obliterated", "unmarked", "intact"} <= {r["marking_status"] for r in bundle["firearms"]}
    makes = {r["make"] for r in bundle["firearms"]}
    assert {"Glock", "Zastava", "Kalashnikov", "Taurus"} <= makes
    truth = bundle["truth"]
    serials: dict[str, set[str]] = defaultdict(set)
    for row in bundle["firearms"]:
        if row["serial"] and row["firearm_record_id"] in truth["firearms"]:
            serials[truth["firearms"][row["firearm_record_id"]]].add(row["serial"])
    assert any(len(s) > 1 for s in serials.values()), "no serial typo on a firearm seen twice"
    names: dict[str, set[str]] = defaultdict(set)
    for row in bundle["persons"]:
        names[truth["persons"][row["person_record_id"]]].add(row["name"])
    assert any(len(n) > 1 for n in names.values()), "no name variant on a person seen twice"
    countries = {r["country"] for r in bundle["incidents"]}
    assert any(len(c) != 3 for c in countries), "countries are never written as names or alpha-2"
    assert {"darknet-ordered", "postal/courier", "land"} <= {r["route_mode"] for r in bundle["incidents"]}


def test_noise_zero_is_clean(tmp_path: Path) -> None:
    b = load(generate_scenario(tmp_path, incidents=800, seed=3, noise=0.0, progress=False))
    truth = b["truth"]
    assert truth["invalid_rows"] == [] and truth["duplicate_incidents"] == []
    serials: dict[str, set[str]] = defaultdict(set)
    for row in b["firearms"]:
        serials[truth["firearms"][row["firearm_record_id"]]].add(row["serial"])
    assert all(len(s) == 1 for s in serials.values())
    names: dict[str, set[str]] = defaultdict(set)
    for row in b["persons"]:
        names[truth["persons"][row["person_record_id"]]].add(row["name"])
    assert all(len(n) == 1 for n in names.values())
    assert all(len(r["country"]) == 3 for r in b["incidents"])


# --- the contract with ingest -------------------------------------------------------------


def test_ingest_rejects_exactly_the_rows_truth_lists_as_invalid(tmp_path: Path) -> None:
    from armsgraph.ingest.pipeline import Bundle as IngestBundle
    from armsgraph.ingest.pipeline import IngestSettings, collect_stage
    from armsgraph.ingest.spill import SpillFolder

    folder = generate_scenario(tmp_path / "b", incidents=1500, seed=21, noise=2.0, progress=False)
    with SpillFolder(tmp_path / "work", "batch") as work:  # phase one of the streamed ingest
        collected = collect_stage(IngestBundle.open(folder), IngestSettings(), work)
    problems = collected.validate_problems() + collected.normalise_problems()
    rejected = {(p.file, p.row, p.column) for p in problems if p.severity == "error"}
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    listed = {(r["file"], r["row"], r["column"]) for r in truth["invalid_rows"]}
    assert listed and rejected == listed


def test_every_country_form_and_subdivision_written_is_a_real_one() -> None:
    import pycountry

    from armsgraph.ingest.normalise.countries import country_text as normalise_country
    from armsgraph.scenario.places import COUNTRIES

    for country in COUNTRIES.values():
        for form in (country.alpha3, country.alpha2, country.name, *country.other_names):
            assert normalise_country(form) == country.alpha3, form
        for city in country.cities:
            sub = pycountry.subdivisions.get(code=city.subdivision)
            assert sub is not None and sub.country_code == country.alpha2, city

"""The ingest pipeline end to end on the example bundle (docs/examples/bundle), in the real embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.ingest import load as load_module
from armsgraph.ingest.pipeline import IngestSettings, ingest_bundle
from armsgraph.ingest.report import load_rejects, load_reports
from tests.conftest import settings_for

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "bundle"

EXPECTED_COUNTS = {
    "BallisticEvidence": 3, "Case": 2, "Firearm": 5, "Identifier": 3, "Incident": 5, "Organisation": 4,
    "Person": 4, "Place": 16, "Route": 4, "TraceRequest": 3, "Transfer": 5, "ALONG": 4, "AT": 9, "CHARGES": 3,
    "CONCERNS": 4, "FOR": 3, "FROM": 3, "HISTORY": 5, "HIT": 2, "IN": 6, "INVOLVED_IN": 6, "LEG": 11,
    "MEMBER_OF": 3, "POSSIBLY_SAME": 2, "RECOVERED_AT": 3, "REQUESTED_IN": 3, "SEIZED": 7, "TO": 4, "USES": 3,
}  # fmt: skip


def _props(store: GraphStore, uid: str) -> dict:
    frame = store.read("entity", uid=uid)
    assert len(frame) == 1, f"no node {uid}"
    return dict(frame["properties"].iloc[0])


def test_example_bundle_loads_and_a_rerun_creates_nothing(store: GraphStore) -> None:
    first = ingest_bundle(store, EXAMPLE, progress=False)
    assert (first.rows_in, first.accepted, first.rejected, first.errors) == (44, 44, 0, [])
    assert store.counts() == EXPECTED_COUNTS
    assert first.nodes_created == sum(v for k, v in EXPECTED_COUNTS.items() if not k.isupper())
    assert first.relationships_created == sum(v for k, v in EXPECTED_COUNTS.items() if k.isupper())
    again = ingest_bundle(store, EXAMPLE, progress=False)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert again.batch_id == first.batch_id
    assert store.counts() == EXPECTED_COUNTS


def test_every_node_and_edge_carries_provenance(store: GraphStore) -> None:
    report = ingest_bundle(store, EXAMPLE, progress=False)
    assert store.read("ingest_provenance_gaps").empty
    incident = _props(store, "incident:bundle:INC-5")
    assert (incident["src_file"], incident["src_row"], incident["batch_id"]) == ("incidents.csv", 5, report.batch_id)
    assert incident["classification"] == "secret"
    assert incident["country"] == "CIV" and incident["date"] == "2022"
    assert _props(store, "incident:bundle:INC-4")["date"] == "2022-02-15"  # dd/mm/yyyy


def test_same_firearm_in_two_records_is_one_node_with_both_records(store: GraphStore) -> None:
    ingest_bundle(store, EXAMPLE, progress=False)
    glock = _props(store, "firearm:AB1203:glock:pistol")
    assert glock["record_ids"] == ["bundle/F-1", "bundle/F-3"]
    assert glock["sources"] == ["firearms.csv:1", "firearms.csv:3"]
    assert glock["serial"] == "AB-12O3" and glock["calibre"] == "9x19mm" and glock["make"] == "Glock"
    assert glock["resolution"].startswith("firearm: same serial")
    neighbours = store.read("neighbours", uid="firearm:AB1203:glock:pistol", limit=20)
    assert set(neighbours.loc[neighbours["type"] == "SEIZED", "uid"]) == {
        "incident:bundle:INC-1",
        "incident:bundle:INC-2",
    }


def test_transliterated_name_with_same_birth_date_is_one_person(store: GraphStore) -> None:
    ingest_bundle(store, EXAMPLE, progress=False)
    people = store.read("search_entities", text="Petrov", limit=10)
    assert len(people) == 1
    person = _props(store, people["uid"].iloc[0])
    assert person["record_ids"] == ["bundle/P-1", "bundle/P-2"]
    assert "Петров Иван" in person["aliases"] and person["nationality"] == "SRB"
    assert person["resolution"].startswith("person: name + date of birth")


def test_uncertain_pairs_become_pending_candidates_not_merges(store: GraphStore) -> None:
    ingest_bundle(store, EXAMPLE, progress=False)
    pending = store.read("review_possibly_same", statuses=["pending"], limit=10)
    assert sorted(pending["rule"]) == [
        "firearm: same serial, make and calibre, different type",
        "person: similar name, no date of birth",
    ]
    person = pending[pending["label"] == "Person"].iloc[0]
    assert {person["left_name"], person["right_name"]} == {"Mohammed Al-Rashid", "Muhammad Al Rashid"}
    assert 0.85 <= person["score"] < 1


def test_places_routes_history_cases_ballistics(store: GraphStore) -> None:
    ingest_bundle(store, EXAMPLE, progress=False)
    legs = store.read("ingest_route_legs", uid="route:land:SRB>HRV>SVN>AUT>DEU")
    assert list(legs["place"]) == ["country:SRB", "country:HRV", "country:SVN", "country:AUT", "country:DEU"]
    assert list(legs["role"]) == ["departure", "transit", "transit", "transit", "destination"]
    us_legs = store.read("ingest_route_legs", uid="route:land:US-IN>US-IL")
    assert list(us_legs["place"]) == ["subdivision:US-IN", "subdivision:US-IL"]
    up = store.read("neighbours", uid="subdivision:US-IL", limit=20)
    assert "country:USA" in set(up.loc[up["type"] == "IN", "uid"])
    sw = store.read("neighbours", uid="firearm:XK99812:smith-wesson:pistol", limit=20)
    assert set(sw.loc[sw["type"] == "HISTORY", "uid"]) == {
        f"transfer:firearm:XK99812:smith-wesson:pistol:{i}" for i in range(3)
    }
    theft = _props(store, "transfer:firearm:XK99812:smith-wesson:pistol:2")
    assert theft["diversion"] is True and theft["kind"] == "theft"
    case = store.read("neighbours", uid="case:bundle:CASE-1", limit=20)
    assert set(case.loc[case["type"] == "CONCERNS", "uid"]) == {"incident:bundle:INC-1", "incident:bundle:INC-2"}
    assert len(case[case["type"] == "CHARGES"]) == 2
    hits = store.read("neighbours", uid="ballistic:bundle:B-1", limit=20)
    assert set(hits.loc[hits["type"] == "HIT", "uid"]) == {"ballistic:bundle:B-2", "ballistic:bundle:B-3"}
    phone = store.read("neighbours", uid="identifier:phone:+381641234567", limit=20)
    assert len(phone[phone["type"] == "USES"]) == 1  # both records name the same (merged) person


def test_report_files_are_saved_and_readable(store: GraphStore) -> None:
    report = ingest_bundle(store, EXAMPLE, progress=False)
    data_dir = store.settings.data_dir
    saved = json.loads(Path(report.report_path).read_text(encoding="utf-8"))
    assert Path(report.report_path) == data_dir / "reports" / f"ingest-{report.batch_id}.json"
    assert saved["rows_in"] == 44 and saved["merged"] == 3 and saved["possibly_same"] == 2
    mine = [r for r in load_reports(data_dir) if r["batch_id"] == report.batch_id]
    assert len(mine) == 1 and mine[0]["accepted"] == 44
    assert load_rejects(mine[0]) == []


def test_interrupted_load_resumes_and_ends_equal_to_an_uninterrupted_one(
    embedded: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = IngestSettings(batch_size=3, bulk_first_load=False)  # the MERGE load's checkpoints
    real_prepare = load_module._prepare
    calls = {"n": 0}

    def dying_prepare(store, step, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 12:
            raise KeyboardInterrupt("killed")
        return real_prepare(store, step, rows)

    monkeypatch.setattr(load_module, "_prepare", dying_prepare)
    with pytest.raises(KeyboardInterrupt):
        ingest_bundle(embedded, EXAMPLE, progress=False, settings=settings)
    checkpoints = list((embedded.settings.data_dir / "ingest" / "checkpoints").glob("*.json"))
    assert len(checkpoints) == 1
    monkeypatch.setattr(load_module, "_prepare", real_prepare)
    resumed = ingest_bundle(embedded, EXAMPLE, progress=False, settings=settings)
    assert resumed.resumed_steps == 11
    assert not checkpoints[0].exists()
    assert embedded.counts() == EXPECTED_COUNTS
    other = open_store(settings_for("embedded", tmp_path / "other"))
    try:
        other.apply_schema()
        ingest_bundle(other, EXAMPLE, progress=False, settings=settings)
        assert other.counts() == embedded.counts()
        for uid in ("firearm:AB1203:glock:pistol", "incident:bundle:INC-1", "route:land:SRB>HRV>SVN>AUT>DEU"):
            mine, theirs = _props(embedded, uid), _props(other, uid)
            for volatile in ("ingested_at",):
                mine.pop(volatile), theirs.pop(volatile)
            assert mine == theirs
    finally:
        other.close()


def test_settings_round_trip_yaml() -> None:
    settings = IngestSettings(source="x", classification="confidential", batch_size=10, date_formats=("%m/%d/%Y",))
    assert IngestSettings.from_yaml(settings.to_yaml()) == settings
    assert IngestSettings.from_yaml(IngestSettings().to_yaml()) == IngestSettings()


def test_cli_ingest_twice_says_nothing_new(embedded: GraphStore) -> None:
    from armsgraph.cli import app

    runner = CliRunner()  # the open store keeps the server up between commands
    args = ["--data-dir", str(embedded.settings.data_dir), "ingest", str(EXAMPLE), "--no-progress"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "54 new nodes, 81 new relationships" in first.output
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "0 new nodes, 0 new relationships" in second.output

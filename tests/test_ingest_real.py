"""The shipped mappings load the real public datasets in /work/shared/data/real."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from tests.conftest import REAL_DATA

ATF = REAL_DATA / "atf-trace-source-recovery" / "source_recovery_by_state.csv"
ROXANNE = (
    REAL_DATA / "roxanne-burglary" / "israel_lea_inp_burglary_offender_id_network_from_2020-01-01_to_2020-06-30.json"
)


@pytest.fixture(autouse=True)
def _real_data_present() -> None:
    """The real data sets are needed: their absence fails these tests (it must not pass unnoticed as a skip)."""
    for path in (ATF, ROXANNE):
        assert path.is_file(), f"{path} is missing (the real data sets live in ../shared/data/real)"


def _props(store: GraphStore, uid: str) -> dict:
    frame = store.read("entity", uid=uid)
    assert len(frame) == 1, uid
    return dict(frame["properties"].iloc[0])


def test_roxanne_h1_2020_offenders_crimes_and_involvements(store: GraphStore, tmp_path: Path) -> None:
    bundle = tmp_path / "roxanne"
    bundle.mkdir()
    shutil.copy(ROXANNE, bundle)
    report = ingest_bundle(store, bundle, mapping="roxanne_burglary", progress=False)
    assert (report.rows_in, report.accepted, report.rejected, report.errors) == (1658, 1658, 0, [])
    counts = store.counts()
    assert (counts["Person"], counts["Incident"], counts["INVOLVED_IN"]) == (1658, 1671, 2342)
    assert counts.get("POSSIBLY_SAME") is None  # pseudonymous ids are never fuzzy-matched
    crime = _props(store, "incident:roxanne-inp:CID#10")
    assert crime["date"] == "2020-05-10" and crime["country"] == "ISR" and crime["kind"] == "crime"
    assert crime["x"] == pytest.approx(0.3449049510353819) and crime["y"] == pytest.approx(0.6542097096408352)
    offenders = store.read("neighbours", uid="incident:roxanne-inp:CID#10", limit=50)
    assert len(offenders[offenders["type"] == "INVOLVED_IN"]) == 9  # num_of_offenders of CID#10
    again = ingest_bundle(store, bundle, mapping="roxanne_burglary", progress=False)
    assert (again.nodes_created, again.relationships_created) == (0, 0)


def test_atf_one_year_as_weighted_state_to_state_flows(store: GraphStore, tmp_path: Path) -> None:
    bundle = tmp_path / "atf"
    bundle.mkdir()
    with ATF.open(encoding="utf-8") as src, (bundle / ATF.name).open("w", encoding="utf-8", newline="") as dst:
        rows = [r for r in csv.DictReader(src) if r["year"] == "2021"]
        writer = csv.DictWriter(dst, fieldnames=["source_state", "recovery_state", "year", "n"])
        writer.writeheader()
        writer.writerows(rows)
    report = ingest_bundle(store, bundle, mapping="atf_source_recovery", progress=False)
    assert (report.rows_in, report.accepted, report.rejected) == (2916, 2916, 0)
    counts = store.counts()
    assert (counts["Incident"], counts["Route"], counts["ALONG"], counts["LEG"]) == (2916, 2916, 2916, 5832)
    assert counts["Place"] == 55 and counts["IN"] == 54  # 54 states and territories + the United States
    flow = _props(store, "incident:atf-trace:Indiana>Illinois:2021")
    assert (flow["firearms_qty"], flow["date"], flow["subdivision"]) == (2601, "2021", "US-IL")
    assert flow["classification"] == "public"
    legs = store.read("ingest_route_legs", uid="route:any:US-IN>US-IL")
    assert list(legs["place"]) == ["subdivision:US-IN", "subdivision:US-IL"]
    assert (
        _props(store, "incident:atf-trace:Guam & Northern Mariana Islands>Guam & Northern Mariana Islands:2021")[
            "subdivision"
        ]
        == "US-GU"
    )
    again = ingest_bundle(store, bundle, mapping="atf_source_recovery", progress=False)
    assert (again.nodes_created, again.relationships_created) == (0, 0)

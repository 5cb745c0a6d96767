"""Known answers of the dashboard's data functions on the hand-made sample graph (tests/browser/sample_graph.py).

Runs against every store present (the ``store`` fixture: embedded FalkorDB, and Neo4j when NEO4J_URI is set),
so the dashboard_* named queries are checked in both dialects.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from armsgraph import audit
from armsgraph.access import Principal, SecureStore
from armsgraph.analytics import paths
from armsgraph.dashboard import explorer, geo
from armsgraph.dashboard.data import cache, casework, flows, frames, linked, network, nexus, overview, tracing
from armsgraph.dates import days_between_series
from armsgraph.errors import AccessDeniedError, IngestError
from armsgraph.graph.store import GraphStore
from tests.browser.sample_graph import load_sample


@pytest.fixture
def sample(store: GraphStore) -> Iterator[GraphStore]:
    load_sample(store)
    cache.clear_cache()  # results are cached per store; each test starts from a fresh graph
    yield store
    cache.clear_cache()


def test_counts_and_sdg_16_4_2(sample: GraphStore) -> None:
    counts = overview.graph_counts(sample)
    assert counts["Incident"] == 5 and counts["Firearm"] == 4 and counts["LINKED"] == 2
    sdg = overview.sdg_16_4_2(sample)
    assert sdg[["year", "firearms", "traced"]].values.tolist() == [["2023", 4, 1]]
    assert overview.sdg_share(sdg) == pytest.approx(0.25)
    assert overview.sdg_share(sdg.iloc[0:0]) is None


def test_trends_and_tables(sample: GraphStore) -> None:
    monthly = overview.incidents_by_month(sample)
    assert monthly["month"].tolist() == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"]
    assert monthly.set_index("month").loc["2023-03", "context"] == "terrorism"
    by_country = overview.incidents_by_country(sample).set_index("country")
    assert by_country.loc["MEX", "incidents"] == 2 and by_country.loc["GTM", "firearms"] == 1
    types = overview.firearms_by_type(sample)
    assert types["firearms"].sum() == 4
    assert overview.linked_summary(sample) == {"clusters": 1, "incidents": 3}


def test_clusters_and_link_evidence(sample: GraphStore) -> None:
    clusters = linked.clusters(sample)
    assert clusters["cluster"].tolist() == ["cluster:1"]
    row = clusters.iloc[0]
    assert (row["incidents"], row["first"], row["last"]) == (3, "2023-01-10", "2023-03-15")
    assert row["contexts"] == "illicit trafficking, organised crime, terrorism"
    assert linked.cluster_incidents(sample, "cluster:1")["uid"].tolist() == ["INC-1", "INC-2", "INC-3"]
    assert linked.cluster_link_count(sample, "cluster:1") == 2
    assert len(linked.cluster_links(sample, "cluster:1", limit=1)) == 1  # the strongest only
    links = linked.cluster_links(sample, "cluster:1").set_index("target")
    assert links.loc["INC-3", "rules"] == "shared_firearm" and links.loc["INC-3", "evidence"] == "F-1"
    assert links.loc["INC-2", "evidence"] == "P-1"
    assert links.loc["INC-2", "sources"].startswith("sample.csv:")


def test_route_flows_carry_map_coordinates(sample: GraphStore) -> None:
    routes = flows.route_flows(sample).set_index("departure")
    assert routes.loc["USA", "destination"] == "MEX" and routes.loc["DEU", "mode"] == "postal/courier"
    assert (routes.loc["USA", "departure_lat"], routes.loc["USA", "departure_lon"]) == geo.locate("USA")
    assert (routes.loc["DEU", "destination_lat"], routes.loc["DEU", "destination_lon"]) == geo.locate("NLD")


def test_hotspots(sample: GraphStore) -> None:
    points = flows.incident_points(sample)
    assert len(points) == 5 and "uid" not in points.columns  # aggregate: no record ids
    located = flows.incident_map(sample)
    assert located.per_incident and (located.located, located.in_hotspot) == (5, 2)
    assert located.points["incidents"].sum() == 5
    sample.upsert_nodes("Cluster", [{"uid": "hot:1", "kind": "hotspot", "size": 2, "score": 0.25,
                                     "src_file": "test", "src_row": 1}])  # fmt: skip
    cache.clear_cache()
    spots = flows.hotspots(sample)
    assert spots[["hotspot", "incidents", "first", "last", "trend"]].values.tolist() == [
        ["hot:1", 2, "2023-01-10", "2023-02-05", 0.25]  # the trend is the analytics' own (Cluster.score)
    ]
    assert spots.iloc[0]["lat"] == pytest.approx((31.31 + 29.07) / 2)
    trend = flows.hotspot_trend(sample)
    assert trend[["month", "incidents"]].values.tolist() == [["2023-01", 1], ["2023-02", 1]]
    assert flows.hotspot_trend(sample, top=0).empty


def test_dense_maps_draw_cells_that_count_every_incident(sample: GraphStore) -> None:
    # Nogales, Hermosillo and Phoenix fall in one 20° cell (centre 30, -110), each of another context: three rows.
    cells = flows.incident_map(sample, max_points=3, cell=20.0)
    assert not cells.per_incident and (cells.located, cells.in_hotspot) == (5, 2)
    assert cells.points["incidents"].sum() == 5 and "uid" not in cells.points.columns
    cell = cells.points[(cells.points["lat"] == 30.0) & (cells.points["lon"] == -110.0)].sort_values("context")
    assert cell["context"].tolist() == ["illicit trafficking", "organised crime", "violent crime"]
    assert cell["in_hotspot"].tolist() == [1, 1, 0] and cell["incidents"].tolist() == [1, 1, 1]


def test_every_month_counts_empty_months_as_zero() -> None:
    counts = pd.DataFrame(
        {"month": ["2023-11", "2024-02", "2023-05"], "hotspot": ["a", "a", "b"], "incidents": [2, 3, 4]}
    )
    filled = frames.every_month(counts, "hotspot")
    assert filled[filled["hotspot"] == "a"][["month", "incidents"]].values.tolist() == [
        ["2023-11", 2], ["2023-12", 0], ["2024-01", 0], ["2024-02", 3]
    ]  # fmt: skip
    assert filled[filled["hotspot"] == "b"]["incidents"].tolist() == [4]  # a one-month span stays one month
    assert frames.every_month(counts.iloc[0:0], "hotspot").empty


def test_largest_groups_merge_the_rest_into_other() -> None:
    labels = pd.Series(["a"] * 5 + ["b"] * 3 + ["c", "d", None])
    assert frames.largest_groups(labels, top=2).tolist() == ["a"] * 5 + ["b"] * 3 + ["other (3)"] * 3
    assert frames.largest_groups(labels, top=3).tolist()[-3:] == ["c", "other (2)", "other (2)"]
    assert frames.largest_groups(labels, top=4).tolist() == labels.fillna("unknown").tolist()  # never "other (1)"


def test_histogram_counts_every_value_per_group() -> None:
    values = pd.Series([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, None])
    groups = pd.Series(["a", "b"] * 5 + ["a"])
    bins = frames.histogram(values, groups, bins=5)
    assert bins.groupby("group")["count"].sum().to_dict() == {"a": 5, "b": 5}  # the missing value is left out
    assert bins["start"].min() == 0 and bins["end"].max() == 9 and bins["start"].nunique() == 5
    assert frames.histogram(pd.Series([], dtype=float)).empty
    single = frames.histogram(pd.Series([3.0, 3.0]))
    assert single["count"].sum() == 2 and set(single["group"]) == {""}


def test_tracing(sample: GraphStore) -> None:
    requests = tracing.trace_requests(sample).set_index("uid")
    assert requests.loc["TR-1", "response_days"] == 36  # 2023-01-15 -> 2023-02-20
    assert requests.loc["TR-3", "response_days"] == 10
    assert pd.isna(requests.loc["TR-2", "response_days"])
    diversion = tracing.diversion_points(sample)
    assert diversion[["party_uid", "party", "firearms"]].values.tolist() == [["ORG-2", "Desert Guns LLC", 1]]
    assert diversion["median_time_to_crime"].tolist() == ["2 years 7 months"]  # 953 days
    trace = tracing.trace_overview(sample)
    assert trace.summary == {"requests": 3, "answered_share": pytest.approx(2 / 3), "median_response_days": 23,
                             "traced": 1}  # fmt: skip
    assert trace.by_status.set_index(["status", "outcome"])["requests"].to_dict() == {
        ("answered", "traced"): 1, ("answered", "untraceable"): 1, ("sent", "pending"): 1
    }  # fmt: skip
    assert trace.response_days.groupby("group")["count"].sum().to_dict() == {"USA": 1, "DEU": 1}
    assert trace.newest["uid"].tolist() == ["TR-3", "TR-2", "TR-1"]  # newest first
    assert tracing.trace_overview(sample, rows=1).newest["uid"].tolist() == ["TR-3"]
    crime = tracing.time_to_crime_overview(sample)  # F-1: last legal sale 2020-06-01, first recovered 2023-01-10
    assert (crime.firearms, crime.median_days, int(crime.days["count"].sum())) == (1, 953, 1)


#: Pairs of dates whose distance the store computes (leap days, month and year ends, partial dates, backwards).
DATE_PAIRS = [
    ("2020-02-28", "2020-03-01"), ("2019-02-28", "2019-03-01"), ("2000-02-28", "2000-03-01"),
    ("1900-02-28", "1900-03-01"), ("2023-12-31", "2024-01-01"), ("2016-01-01", "2025-12-31"),
    ("2023-05-20", "2023-05-20"), ("2024-03-01", "2023-03-01"), ("2021-07", "2021-09-15"), ("2019", "2021-03"),
]  # fmt: skip


def test_response_days_are_calendar_days(sample: GraphStore) -> None:
    from armsgraph.analytics.diversion import response_days

    rows = pd.DataFrame([{"requested_state": "ZZZ", "sent": a, "answered": b} for a, b in DATE_PAIRS])
    days = response_days(rows).set_index("days")["requests"].to_dict()
    starts, ends = zip(*DATE_PAIRS, strict=True)
    expected = days_between_series(pd.Series(starts), pd.Series(ends))  # an answer before the request: none
    assert days == expected.dropna().value_counts().to_dict() and expected.isna().sum() == 1
    assert days[2] == 2 and days[1] == 3 and -366 not in days  # leap years 2020, 2000; 1900 and 2019 not


@pytest.mark.parametrize(
    ("days", "text"),
    [(None, None), (0, "0 days"), (1, "1 day"), (30, "30 days"), (31, "1 month"), (364, "11 months"),
     (365, "11 months"), (366, "1 year"), (953, "2 years 7 months"), (6423, "17 years 7 months")],
)  # fmt: skip
def test_durations_read_in_years_and_months(days: int | None, text: str | None) -> None:
    assert frames.duration(days) == text


def test_nexus(sample: GraphStore) -> None:
    bridges = nexus.nexus_bridges(sample).set_index("uid")
    assert sorted(bridges.index) == ["F-1", "P-1"]
    assert bridges.loc["F-1", "contexts"] == ["illicit trafficking", "terrorism"]
    matrix = nexus.nexus_matrix(bridges.reset_index())
    assert matrix.loc["terrorism", "illicit trafficking"] == 1
    assert matrix.loc["organised crime", "illicit trafficking"] == 1
    assert matrix.loc["terrorism", "organised crime"] == 0
    assert nexus.incidents_in_contexts(sample, ("terrorism",))["uid"].tolist() == ["INC-3"]
    summary = nexus.nexus_overview(sample, rows=1)
    assert (summary.bridges, summary.touching_terrorism, len(summary.top)) == (2, 1, 1)  # counts cover all, not the top
    assert summary.contexts == ["illicit trafficking", "organised crime", "terrorism"]
    assert summary.matrix.equals(matrix)
    assert isinstance(summary.top.iloc[0]["contexts"], str)


def test_timeline_search_and_entity(sample: GraphStore) -> None:
    assert network.entity_timeline(sample, "P-1")["uid"].tolist() == ["INC-1", "INC-2", "INC-3"]
    assert sorted(network.search(sample, "perez")["uid"]) == ["P-1", "P-4"]
    assert network.search(sample, "   ").empty
    assert network.entity(sample, "P-1")["name"] == "Juan Perez"
    assert network.entity(sample, "nobody") == {}
    assert casework.cases(sample)[["uid", "incidents", "charged"]].values.tolist() == [["CASE-1", 3, 1]]


def test_explorer_expand_path_and_view(sample: GraphStore) -> None:
    on_screen = explorer.expand(sample, [], "P-1")
    assert on_screen[0] == "P-1"
    assert set(on_screen) == {"P-1", "INC-1", "INC-2", "ORG-1", "ID-1", "CASE-1", "P-4"}
    view = explorer.view(sample, on_screen, pinned={"P-1"})
    details = view.nodes.set_index("uid")
    assert details.loc["P-1", "role"] == "suspect" and details.loc["P-1", "community"] == "community 1"
    assert details.loc["INC-1", "context"] == "illicit trafficking"
    assert ("P-1", "MEMBER_OF", "ORG-1") in set(zip(view.edges["source"], view.edges["type"], view.edges["target"]))
    path = paths.shortest_path(sample, "P-2", "country:GTM").uids
    assert path[0] == "P-2" and path[-1] == "country:GTM" and len(path) == 5
    assert set(path) <= set(explorer.add(on_screen, path))
    assert paths.shortest_path(sample, "P-3", "P-2").uids == []  # the NLD incident is not connected to the rest


def test_review_decision_round_trip(sample: GraphStore) -> None:
    pending = casework.possibly_same(sample)
    assert casework.candidate_count(sample) == 1 and casework.candidate_count(sample, ("accepted",)) == 0
    assert pending[["left_uid", "right_uid", "rule"]].values.tolist() == [["P-1", "P-4", "name_similarity"]]
    assert len(casework.matching(pending, "jon PEREZ")) == 1 and casework.matching(pending, "nobody").empty
    assert len(casework.matching(pending, " ")) == 1
    assert casework.decide(sample, pending.iloc[0].to_dict(), "rejected", "analyst-1") == 1
    assert casework.possibly_same(sample).empty
    decided = casework.possibly_same(sample, ("rejected",))
    assert decided.iloc[0]["decided_by"] == "analyst-1"
    with pytest.raises(IngestError, match="decision"):
        casework.decide(sample, decided.iloc[0].to_dict(), "maybe", "analyst-1")
    assert casework.decide(sample, decided.iloc[0].to_dict(), "accepted", "analyst-2") == 1
    assert casework.possibly_same(sample, ("accepted",)).iloc[0]["decided_by"] == "analyst-2"


def test_secure_reader_enforces_roles_and_caches_per_principal(sample: GraphStore, tmp_path) -> None:
    programme = SecureStore(sample, Principal("pat", "programme"), audit_dir=tmp_path)
    analyst = SecureStore(sample, Principal("ann", "analyst"), audit_dir=tmp_path)
    assert cache.store_key(programme) != cache.store_key(analyst)
    assert overview.sdg_share(overview.sdg_16_4_2(programme)) == pytest.approx(0.25)  # aggregate: allowed
    assert len(flows.incident_points(programme)) == 5
    assert flows.incident_map(programme).located == 5 and len(flows.hotspots(programme)) == 1
    with pytest.raises(AccessDeniedError):
        linked.clusters(programme)  # row-level: refused in the query layer
    assert len(linked.clusters(analyst)) == 1
    with pytest.raises(AccessDeniedError):
        casework.decide(programme, {"left_uid": "P-1", "right_uid": "P-4"}, "rejected", "pat")


def test_users_with_the_same_rights_share_cached_results(sample: GraphStore, tmp_path: Path) -> None:
    ann = SecureStore(sample, Principal("ann", "analyst"), audit_dir=tmp_path)
    bob = SecureStore(sample, Principal("bob", "analyst"), audit_dir=tmp_path)
    cleared = SecureStore(sample, Principal("cid", "analyst", "secret"), audit_dir=tmp_path)
    scoped = SecureStore(sample, Principal("dee", "analyst", cases=frozenset({"CASE-1"})), audit_dir=tmp_path)
    assert cache.store_key(ann) == cache.store_key(bob)
    assert len({cache.store_key(ann), cache.store_key(cleared), cache.store_key(scoped)}) == 3
    network.entity(ann, "P-1")
    network.entity(bob, "P-1")  # served from ann's result: the store is asked once, each view audited
    assert [e["user"] for e in audit.entries(tmp_path) if e["action"] == "query"] == ["ann"]
    assert [e["user"] for e in audit.entries(tmp_path) if e["action"] == "view"] == ["ann", "bob"]


def test_a_write_by_any_process_reaches_cached_results_at_once(sample: GraphStore) -> None:
    if sample.kind != "embedded":
        pytest.skip("only the embedded store tells when its data changed (Neo4j results live FRESH_S seconds)")
    before = overview.graph_counts(sample)["Incident"]
    version = cache.data_version(sample)
    assert overview.graph_counts(sample)["Incident"] == before and cache.data_version(sample) == version  # reads
    sample.upsert_nodes("Incident", [{"uid": "INC-NEW", "src_file": "test", "src_row": 1}])  # no clear_cache
    deadline = time.monotonic() + 5  # appended before the write is answered; a busy fsync may hold it ~2 s
    while cache.data_version(sample) == version and time.monotonic() < deadline:
        time.sleep(0.1)
    assert overview.graph_counts(sample)["Incident"] == before + 1


def logged(data_dir: Path, action: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(user, target, params) of the audit log's entries of one action, oldest first."""
    return [(e["user"], e["target"], e["params"]) for e in audit.entries(data_dir) if e["action"] == action]


def test_reads_served_from_the_cache_are_audited(sample: GraphStore, tmp_path: Path) -> None:
    analyst = SecureStore(sample, Principal("ann", "analyst"), audit_dir=tmp_path)
    assert network.entity(analyst, "P-1") == network.entity(analyst, "P-1")
    assert logged(tmp_path, "view") == [("ann", "data.entity", {"uid": "P-1"})] * 2
    assert logged(tmp_path, "query") == [("ann", "entity", {"uid": "P-1"})]  # the second read came from the cache

    # a result built from other cached reads is one view; defaults are recorded; figures (shared) too
    assert flows.incident_map(analyst).located == flows.incident_map(analyst).located == 5
    explorer.cluster_picture(analyst, "cluster:1")
    explorer.cluster_picture(analyst, "cluster:1")
    views = logged(tmp_path, "view")[2:]
    map_view = ("ann", "data.incident_map", {"max_points": flows.MAP_POINTS_MAX, "cell": flows.MAP_CELL_DEGREES})
    drawn = {"cluster": "cluster:1", "height_px": 300, "limit": explorer.CLUSTER_NODES}
    picture = ("ann", "explorer.cluster_picture", drawn)
    assert views == [map_view, map_view, picture, picture]
    assert audit.verify(tmp_path).ok


def test_cluster_picture(sample: GraphStore) -> None:
    picture = explorer.cluster_view(
        linked.cluster_incidents(sample, "cluster:1"), linked.cluster_links(sample, "cluster:1")
    )
    assert picture.nodes["uid"].tolist() == ["INC-1", "INC-2", "INC-3"]
    assert set(zip(picture.edges["source"], picture.edges["target"], strict=True)) == {
        ("INC-1", "INC-2"),
        ("INC-1", "INC-3"),
    }
    whole = explorer.cluster_picture(sample, "cluster:1")
    assert (whole.drawn, whole.folded) == (3, 0) and "INC-3" in whole.html
    capped = explorer.cluster_picture(sample, "cluster:1", limit=2)
    assert (capped.drawn, capped.folded) == (1, 2) and "+2 Incident" in capped.html  # INC-1 has both links


def test_a_review_card_compares_the_fields_that_decide(sample: GraphStore) -> None:
    fields = casework.candidate_fields(sample, "Person", "P-1", "P-4").set_index("field")
    assert fields.loc["name", ["left", "right", "agree"]].tolist() == ["Juan Perez", "Jon Perez", "differs"]
    assert fields.loc["nationality", "agree"] == "same" and fields.loc["date of birth", "agree"] == "—"
    assert fields.loc["incidents", ["left", "right"]].tolist() == ["2", "0"]  # Juan Perez: INC-1 and INC-2
    assert list(fields.index) == ["name", "aliases", "date of birth", "nationality", "records", "incidents", "cases"]


def test_search_tells_namesakes_apart(sample: GraphStore) -> None:
    found = network.search(sample, "Perez").set_index("uid")
    assert found.loc["P-1", "about"] == "MEX · 2 incidents · 1 case"
    assert found.loc["P-4", "about"] == "MEX · 0 incidents · 0 cases"


@pytest.mark.parametrize("module", [cache, casework])
def test_docstring_examples(module: Any) -> None:
    import doctest

    result = doctest.testmod(module)
    assert result.attempted and not result.failed

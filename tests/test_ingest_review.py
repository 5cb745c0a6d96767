"""Review of POSSIBLY_SAME candidates: accept / reject are idempotent and survive re-ingest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from armsgraph.errors import IngestError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.ingest.review import decide, list_candidates

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "bundle"
LEFT, RIGHT = "person:bundle:P-3", "person:d65df303b8dc01a3"


def test_accept_is_idempotent_and_kept_across_reingest(store: GraphStore) -> None:
    ingest_bundle(store, EXAMPLE, progress=False)
    assert decide(store, RIGHT, LEFT, "accepted", "analyst-1") == 1  # either order
    first = list_candidates(store, ("accepted",))
    assert list(first["left_uid"]) == [LEFT] and list(first["decided_by"]) == ["analyst-1"]
    decide(store, LEFT, RIGHT, "accepted", "analyst-2")
    second = list_candidates(store, ("accepted",))
    assert list(second["decided_by"]) == ["analyst-1"]  # deciding the same way again changes nothing
    assert list(second["decided_at"]) == list(first["decided_at"])
    ingest_bundle(store, EXAMPLE, progress=False)
    assert list(list_candidates(store, ("accepted",))["left_uid"]) == [LEFT]
    assert len(list_candidates(store, ("pending",))) == 1
    decide(store, LEFT, RIGHT, "rejected", "analyst-3")
    assert list(list_candidates(store, ("rejected",))["decided_by"]) == ["analyst-3"]


def test_unknown_pair_and_bad_status_are_errors(store: GraphStore) -> None:
    ingest_bundle(store, EXAMPLE, progress=False)
    with pytest.raises(IngestError, match="no POSSIBLY_SAME candidate"):
        decide(store, "person:x", "person:y", "accepted")
    with pytest.raises(IngestError, match="'accepted' or 'rejected'"):
        decide(store, LEFT, RIGHT, "maybe")
    with pytest.raises(IngestError, match="unknown review status"):
        list_candidates(store, ("maybe",))


def test_review_cli(embedded: GraphStore) -> None:
    from armsgraph.cli import app

    runner = CliRunner()  # the open store keeps the server up between commands
    base = ["--data-dir", str(embedded.settings.data_dir)]
    assert runner.invoke(app, [*base, "ingest", str(EXAMPLE), "--no-progress"]).exit_code == 0
    listed = runner.invoke(app, [*base, "review", "list"])
    assert listed.exit_code == 0 and "pending" in listed.output
    accepted = runner.invoke(app, [*base, "review", "accept", LEFT, RIGHT, "--by", "me"])
    assert accepted.exit_code == 0 and "accepted" in accepted.output
    after = runner.invoke(app, [*base, "review", "list", "--status", "accepted"])
    assert "accepted" in after.output and "Mohammed" in after.output


# -- the Review page ------------------------------------------------------------------------------
def _person(uid: str, name: str, born: str, nationality: str, aliases: list[str] | None = None) -> dict[str, Any]:
    return {"uid": uid, "name": name, "date_of_birth": born, "nationality": nationality, "aliases": aliases or [],
            "record_ids": [f"b/{uid.split(':')[1]}"], "src_file": "persons.csv", "src_row": 1}  # fmt: skip


#: (left, right, score): B agrees on name, birth date and nationality; A (same score, listed first by the store)
#: only on an alias.
CANDIDATES = [
    ("person:A1", "person:A2", 0.97),
    ("person:B1", "person:B2", 0.97),
    ("person:C1", "person:C2", 0.90),
    ("person:D1", "person:D2", 0.80),
]


@pytest.fixture
def review_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[GraphStore, Path]]:
    import streamlit as st

    from armsgraph.graph.store import open_store
    from tests.conftest import settings_for

    graph = open_store(settings_for("embedded", tmp_path))
    graph.apply_schema()
    graph.upsert_nodes("Person", [
        _person("person:A1", "Dritan Krasniqi", "1975-01-01", "ALB", ["Tani"]),
        _person("person:A2", "Dritan Krasniqy", "1991-05-05", "XKX", ["Tani"]),
        _person("person:B1", "Dritan Krasniqi", "1980-02-03", "ALB"),
        _person("person:B2", "Dritan Krasniqi", "1980-02-03", "ALB"),
        _person("person:C1", "Ana Petrova", "1990-07-07", "BGR"),
        _person("person:C2", "Anna Petrova", "1990-07-07", "RUS"),
        _person("person:D1", "Mehmet Yilmaz", "1970-01-01", "TUR"),
        _person("person:D2", "Mehmet Yılmaz", "1971-01-01", "TUR"),
    ])  # fmt: skip
    graph.upsert_relationships("POSSIBLY_SAME", "Person", "Person", [
        {"from": a, "to": b, "rule": "name_similarity", "score": s, "status": "pending"} for a, b, s in CANDIDATES
    ])  # fmt: skip
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARMSGRAPH_STORE", "embedded")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield graph, tmp_path
    graph.close()


def _decided(graph: GraphStore, status: str) -> set[str]:
    return {row.left_uid for row in list_candidates(graph, (status,)).itertuples()}


def _button(app: Any, label: str) -> Any:
    return next(b for b in app.button if b.label == label)


def test_review_page_ranks_by_evidence_and_decides_in_bulk_after_confirmation(
    review_page: tuple[GraphStore, Path],
) -> None:
    from streamlit.testing.v1 import AppTest

    from armsgraph import audit

    graph, data_dir = review_page
    page = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard" / "views" / "review.py"
    app = AppTest.from_file(str(page), default_timeout=60).run()
    assert not app.exception, [e.value for e in app.exception]
    scores = [m.value for m in app.markdown if m.value.startswith("**0.")]
    assert [s.split("**")[1] for s in scores] == ["0.97", "0.97", "0.90", "0.80"]
    assert "3 agree · 0 differ" in scores[0] and "1 agree · 3 differ" in scores[1]  # equal scores: evidence first
    first = app.table[0].value.set_index("field")
    assert first.loc["date of birth", "agree"] == "same" and first.loc["records", "left"] == "B1"
    second = app.table[1].value.set_index("field")
    assert second.loc["aliases", "agree"] == "same" and second.loc["nationality", "agree"] == "differs"

    app.number_input(key="review_threshold").set_value(0.95).run()
    _button(app, "Accept all 2 with score ≥ 0.95").click().run()
    assert any("Accept all 2 pending candidates with score ≥ 0.95?" in w.value for w in app.warning)
    assert _decided(graph, "accepted") == set()  # nothing until confirmed
    _button(app, "Confirm: accept 2").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert _decided(graph, "accepted") == {"person:A1", "person:B1"}
    assert any(s.value == "2 candidates accepted." for s in app.success)

    app.checkbox(key="pick_person:C1|person:C2").check().run()
    _button(app, "Reject selected").click().run()
    _button(app, "Cancel").click().run()
    assert _decided(graph, "rejected") == set() and not app.warning
    app.checkbox(key="pick_person:C1|person:C2").check().run()
    _button(app, "Reject selected").click().run()
    _button(app, "Confirm: reject 1").click().run()
    assert _decided(graph, "rejected") == {"person:C1"} and _decided(graph, "pending") == {"person:D1"}
    assert set(list_candidates(graph, ("accepted", "rejected"))["decided_by"]) == {"local"}

    writes = [e for e in audit.entries(data_dir) if e["action"] == "write" and e["target"] == "review_decide"]
    assert sorted(e["params"]["left"] for e in writes) == ["person:A1", "person:B1", "person:C1"]  # one each

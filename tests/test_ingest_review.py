"""Review of POSSIBLY_SAME candidates: accept / reject are idempotent and survive re-ingest."""

from __future__ import annotations

from pathlib import Path

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

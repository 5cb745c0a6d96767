"""First run: the demo says how the dashboard is entered and what was rejected; the first user ends local mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph.cli import app
from armsgraph.commands.dashboard import rejected_line, run_demo, sign_in_line
from armsgraph.graph.embedded_server import EmbeddedServer
from armsgraph.ingest.report import FileCounts, IngestReport
from tests.conftest import settings_for


def test_the_demo_says_local_mode_and_what_was_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = settings_for("embedded", tmp_path / "data")
    try:
        run_demo(settings, incidents=150, seed=3)
    finally:
        EmbeddedServer(settings.data_dir).release()
    out = " ".join(capsys.readouterr().out.split())
    assert "local single-user mode" in out and "armsgraph users add NAME" in out
    assert "rows rejected (" in out and "Data quality page" in out  # the scenario plants invalid rows


def test_rejections_are_counted_per_file() -> None:
    report = IngestReport(bundle="b", batch_id="x", source="b", rejected=3, rejects_path="/d/reports/rejects.csv")
    report.files = [FileCounts(file="incidents.csv", rejected=2), FileCounts(file="persons.csv", rejected=1)]
    line = rejected_line(report)
    assert "3 rows rejected" in line and "(incidents.csv 2, persons.csv 1)" in line and "/d/reports/rejects.csv" in line
    assert rejected_line(IngestReport(bundle="b", batch_id="x", source="b")) == "ingest: no rows rejected"


def test_the_first_user_makes_sign_in_required(tmp_path: Path) -> None:
    settings = settings_for("embedded", tmp_path)
    assert "local single-user mode" in sign_in_line(settings)
    runner = CliRunner()
    first = runner.invoke(app, ["--data-dir", str(tmp_path), "users", "add", "ann", "--role", "analyst"])
    assert first.exit_code == 0, first.output
    assert "sign-in is now required" in first.output
    second = runner.invoke(app, ["--data-dir", str(tmp_path), "users", "add", "bo", "--role", "programme"])
    assert second.exit_code == 0 and "sign-in is now required" not in second.output
    assert sign_in_line(settings).startswith("dashboard: sign-in required")

"""Logging and progress: the library logs (statements at DEBUG, stage and analysis summaries at INFO) and reports
progress through a callback; only the command line configures logging and draws bars."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armsgraph
from armsgraph.analytics import run_all
from armsgraph.cli import app
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "bundle"
PACKAGE = Path(armsgraph.__file__).parent
#: Where drawing and logging set-up belong.
FRONT = ("commands", "cli.py", "dashboard")


class Recorder:
    """A progress callback that keeps what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int | None, str]] = []

    def __call__(self, step: str, advance: int, total: int | None = None, detail: str = "") -> None:
        self.calls.append((step, advance, total, detail))

    def done(self, step: str) -> int:
        return sum(advance for name, advance, _, _ in self.calls if name == step)

    def total(self, step: str) -> int | None:
        return next(total for name, _, total, _ in self.calls if name == step and total is not None)


def test_ingest_logs_stages_and_statements_and_reports_progress(
    embedded: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    with caplog.at_level(logging.DEBUG, logger="armsgraph"):
        report = ingest_bundle(embedded, EXAMPLE, progress=recorder)
    stages = [r.getMessage() for r in caplog.records if r.name == "armsgraph.ingest.pipeline"]
    assert [m.split(":")[0] for m in stages] == ["ingest collect", "ingest resolve", "ingest build", "ingest load"]
    assert stages[0].startswith(f"ingest collect: {report.rows_in} rows from 10 files in ")
    assert stages[1].startswith(f"ingest resolve: {report.merged} records merged, {report.possibly_same} possible")
    assert re.fullmatch(r"ingest load: \d+ nodes, \d+ edges created in \d+\.\d s", stages[3])
    statements = [r.getMessage() for r in caplog.records if r.name == "armsgraph.graph.store"]
    assert statements and all(re.fullmatch(r"\w+ [\w ]+: \d+ rows in \d+\.\d ms", m) for m in statements)
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "armsgraph.graph.store")
    (step,) = {name for name, *_ in recorder.calls}  # the empty graph: one bulk load, one step per label/type
    assert step.startswith("bulk loading batch ") and recorder.done(step) == recorder.total(step) > 0


def test_a_second_ingest_reports_rows_through_the_merge_load(embedded: GraphStore) -> None:
    ingest_bundle(embedded, EXAMPLE)
    recorder = Recorder()
    ingest_bundle(embedded, EXAMPLE, progress=recorder)
    (step,) = {name for name, *_ in recorder.calls}
    assert step.startswith("loading batch ") and recorder.done(step) == recorder.total(step) > 40


def test_analyses_log_a_summary_each_and_report_progress(
    embedded: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    ingest_bundle(embedded, EXAMPLE)
    recorder = Recorder()
    with caplog.at_level(logging.INFO, logger="armsgraph"):
        results = run_all(embedded, only=["indicators", "routes"], progress=recorder)
    lines = [r.getMessage() for r in caplog.records if r.name == "armsgraph.analytics"]
    assert [line.split(" (")[0] for line in lines] == ["analysis routes", "analysis indicators"]
    rows = sum(len(t) for t in results["routes"].values())
    assert re.fullmatch(
        rf"analysis routes \(in Python\): {len(results['routes'])} tables, {rows} rows in \S+ s", lines[0]
    )
    assert recorder.total("analyse") == 2 and recorder.done("analyse") == 2
    assert [detail for *_, detail in recorder.calls if detail] == ["routes", "indicators"]


def test_cli_log_level_shows_statements_on_stderr(tmp_path: Path) -> None:
    runner = CliRunner()
    command = ["--data-dir", str(tmp_path), "ingest", str(EXAMPLE), "--no-progress"]
    quiet = runner.invoke(app, command)
    assert quiet.exit_code == 0, quiet.output
    assert "armsgraph." not in quiet.stderr
    loud = runner.invoke(app, command, env={"ARMSGRAPH_LOG_LEVEL": "debug"})
    assert loud.exit_code == 0, loud.output
    assert re.search(r"armsgraph\.graph\.store: read \w+: \d+ rows in [\d.]+ ms", loud.stderr)
    assert re.search(r"armsgraph\.ingest\.pipeline: ingest collect: 44 rows from 10 files", loud.stderr)
    assert "armsgraph.graph.store" not in loud.stdout
    info = runner.invoke(app, ["--log-level", "INFO", *command])
    assert "ingest collect" in info.stderr and "armsgraph.graph.store" not in info.stderr
    logging.getLogger("armsgraph").setLevel(logging.WARNING)


def _library_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if not any(p.relative_to(PACKAGE).as_posix().startswith(f) for f in FRONT)]


def test_library_layers_neither_draw_nor_configure_logging() -> None:
    drawing, configuring = [], []
    for path in _library_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("rich.progress", "rich.logging")):
                drawing.append(path.name)
            if isinstance(node, ast.Attribute) and node.attr in ("basicConfig", "addHandler"):
                configuring.append(path.name)
    assert drawing == [] and configuring == []
    assert len(_library_modules()) > 50

"""``armsgraph serve`` / ``demo`` wiring, and the Data quality tables over a real ingest report."""

from __future__ import annotations

import importlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph.access import Principal
from armsgraph.cli import app
from armsgraph.commands.dashboard import APP, run_demo, streamlit_command, streamlit_env
from armsgraph.dashboard import quality
from armsgraph.graph.embedded_server import EmbeddedServer
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import load_settings
from tests.conftest import free_port, settings_for, wait_healthy


def test_streamlit_command_is_offline_and_local() -> None:
    command = streamlit_command(8765)
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[3:5] == ["run", str(APP)] and APP.is_file()
    assert options["--server.port"] == "8765" and options["--server.address"] == "127.0.0.1"
    assert options["--server.enableStaticServing"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--client.disableDataExport"] == "true"  # tables offer no download of their own
    assert options["--runner.postScriptGC"] == "false"  # no full garbage collection after every page run
    assert options["--runner.magicEnabled"] == "false"


def test_no_page_relies_on_streamlit_magic() -> None:
    """Magic is off, so a bare expression on a page (``df`` alone on a line) would show nothing."""
    import ast

    scripts = [APP, *APP.with_name("views").glob("*.py")]
    bare = [
        f"{script.name}:{node.lineno}"
        for script in scripts
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8")))
        if isinstance(node, ast.Expr)
        and not isinstance(node.value, ast.Call)
        and not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))  # docstrings
    ]
    assert len(scripts) > 10 and bare == []


def test_streamlit_env_hands_over_settings_without_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSGRAPH_NEO4J_PASSWORD", "from-env")
    settings = load_settings(data_dir=tmp_path / "d", graph_name="g2", batch_size=77)
    env = streamlit_env(settings)
    assert env["ARMSGRAPH_DATA_DIR"] == str(tmp_path / "d") and env["ARMSGRAPH_GRAPH_NAME"] == "g2"
    assert env["ARMSGRAPH_BATCH_SIZE"] == "77"
    assert env["ARMSGRAPH_NEO4J_PASSWORD"] == "from-env"  # inherited from the environment, never written out
    monkeypatch.setattr("os.environ", env)
    assert load_settings() == settings  # the dashboard process rebuilds the same settings


def test_cli_lists_serve_and_demo() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    for option in ("--incidents", "--seed", "--port", "--no-serve"):
        assert option in result.output
    assert CliRunner().invoke(app, ["serve", "--help"]).exit_code == 0


_PIPELINE = all(importlib.util.find_spec(m) for m in ("armsgraph.scenario.generate", "armsgraph.ingest.pipeline"))


def _analytics_present() -> bool:
    return hasattr(importlib.import_module("armsgraph.analytics"), "run_all")


@pytest.mark.skipif(not _PIPELINE, reason="generator / ingest not in this build")
def test_data_quality_tables_from_a_real_ingest(embedded: GraphStore) -> None:
    from armsgraph.ingest.pipeline import ingest_bundle
    from armsgraph.scenario.generate import generate_scenario

    data_dir = embedded.settings.data_dir
    bundle = generate_scenario(data_dir / "bundle", incidents=40, seed=3, progress=False)
    with (bundle / "incidents.csv").open("a", encoding="utf-8") as handle:
        handle.write("BAD-1,not a date,seizure,,,,ZZZ\n")  # rejected: bad date, unknown country
    ingest_bundle(embedded, bundle, progress=False)
    admin = Principal("ada", "admin", "secret")
    runs = quality.runs(data_dir, admin)
    assert len(runs) == 1 and runs.iloc[0]["rows_in"] > 40 and runs.iloc[0]["rejected"] >= 1
    problems = quality.problems(data_dir, admin)
    bad = problems[(problems["severity"] == "error") & (problems["file"].str.contains("incidents"))]
    assert not bad.empty and bad["reason"].notna().all()


@pytest.mark.skipif(not (_PIPELINE and _analytics_present()), reason="analytics.run_all not in this build")
def test_demo_twice_duplicates_nothing(embedded: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from armsgraph.commands.common import STATE

    STATE.configure(config=None, data_dir=embedded.settings.data_dir, store="embedded")
    run_demo(STATE.settings, incidents=60, seed=5)
    first = embedded.counts()
    run_demo(STATE.settings, incidents=60, seed=5)
    assert embedded.counts() == first and first["Incident"] > 0


_DEMO_MARKS = (
    pytest.mark.slow,
    pytest.mark.skipif(not (_PIPELINE and _analytics_present()), reason="analytics.run_all not in this build"),
    pytest.mark.skipif(
        not Path(f"/proc/self/task/{os.getpid()}/children").exists(), reason="needs Linux /proc/PID/task/TID/children"
    ),
)


def _demo_subprocess(test: Callable[..., None]) -> Callable[..., None]:
    """Marks of a test that runs ``armsgraph demo`` as a real process (slow; needs the pipeline and /proc)."""
    for mark in _DEMO_MARKS:
        test = mark(test)
    return test


def _demo_served(data_dir: Path) -> tuple[subprocess.Popen[bytes], int, int]:
    """``armsgraph demo`` on a free port, once its dashboard answers: (process, port, Streamlit's pid)."""
    port = free_port()
    command = [sys.executable, "-m", "armsgraph", "--data-dir", str(data_dir), "demo", "--incidents", "60"]
    demo = subprocess.Popen([*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", demo, timeout_s=240)
    except RuntimeError as exc:
        demo.kill()
        raise AssertionError(f"the demo's dashboard did not answer: {exc}") from exc
    children = Path(f"/proc/{demo.pid}/task/{demo.pid}/children").read_text().split()
    return demo, port, int(children[0])


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@_demo_subprocess
def test_sigterm_stops_dashboard_and_embedded_server(tmp_path: Path) -> None:
    """``kill`` / systemd / ``docker stop`` send SIGTERM: Streamlit and the FalkorDB server must not outlive it."""
    data_dir = tmp_path / "data"
    demo, port, streamlit_pid = _demo_served(data_dir)
    server = EmbeddedServer(data_dir)
    assert server.alive() and server.pid() is not None  # kept up by the demo for its dashboard
    server_pid = server.pid()
    demo.send_signal(signal.SIGTERM)
    assert demo.wait(timeout=60) == 0
    assert not Path(f"/proc/{streamlit_pid}").exists() and not _port_open(port)
    assert not server.alive() and not Path(f"/proc/{server_pid}").exists()


@_demo_subprocess
def test_stopped_dashboard_leaves_a_server_another_process_uses(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    demo, port, _ = _demo_served(data_dir)
    other = open_store(settings_for("embedded", data_dir))  # e.g. an ingest running beside the dashboard
    try:
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=60) == 0 and not _port_open(port)
        assert EmbeddedServer(data_dir).alive() and other.counts()["Incident"] > 0
    finally:
        other.close()
    assert not EmbeddedServer(data_dir).alive()  # the last process out stopped it

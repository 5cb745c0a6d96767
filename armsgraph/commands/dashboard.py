"""Dashboard commands: ``armsgraph serve`` and ``armsgraph demo`` (generate → ingest → analyse → serve)."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from armsgraph.commands.common import STATE, console
from armsgraph.errors import ArmsgraphError
from armsgraph.graph.embedded import EmbeddedStore
from armsgraph.graph.embedded_server import EmbeddedServer
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import Settings

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """The ``streamlit run`` command line for the dashboard: offline, headless, static files served."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "true",
        "--server.enableStaticServing", "true",
        "--server.fileWatcherType", "none",
        # Streamlit collects all garbage after every run (gc.collect(2)); with cached frames and figures in
        # memory that full pass held the GIL for most of a cached page's run. Python's own thresholds suffice.
        "--runner.postScriptGC", "false",
        # Every new browser session clears Streamlit's compiled-script cache, so each page load compiles its
        # page again; "magic" (st.write for bare expressions, unused here) rewrote the syntax tree first.
        "--runner.magicEnabled", "false",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
        "--client.disableDataExport", "true",  # no CSV/copy from tables: downloads are the audited buttons
        "--theme.base", "light",
        "--theme.primaryColor", "#a8201a",
    ]  # fmt: skip


def streamlit_env(settings: Settings) -> dict[str, str]:
    """The environment that hands ``settings`` to the dashboard process (secrets stay in the environment)."""
    env = dict(os.environ)
    env.update(settings.to_env())
    env.pop("ARMSGRAPH_CONFIG", None)  # every setting is now explicit
    return env


def serve_dashboard(settings: Settings, port: int, address: str = "127.0.0.1") -> int:
    """Run the dashboard in the foreground until Ctrl+C or SIGTERM; returns Streamlit's exit code.

    Streamlit runs in its own process group, so a terminal's Ctrl+C reaches this process only; any
    stop signal (SIGINT, SIGTERM, SIGHUP) is passed on once as SIGTERM, and Streamlit stops and
    closes its store; a second one kills it. The embedded server is then stopped unless another
    process still uses it.
    """
    console.print(f"dashboard: [bold]http://{address}:{port}[/]  (data: {settings.data_dir})  — Ctrl+C to stop")
    child = subprocess.Popen(streamlit_command(port, address), env=streamlit_env(settings), process_group=0)
    signals = 0

    def stop(_signum: int, _frame: object) -> None:
        nonlocal signals
        signals += 1
        if child.poll() is None:
            child.send_signal(signal.SIGTERM if signals == 1 else signal.SIGKILL)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        code = child.wait()  # resumed after each handler (PEP 475) until Streamlit has exited
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()
        if settings.store.kind == "embedded":
            EmbeddedServer(settings.data_dir).release()
    return 0 if signals and code == -signal.SIGTERM else code


def _needed(module: str, name: str) -> Callable[..., Any]:
    """A function another part of armsgraph provides; a clear error when this build lacks it."""
    try:
        found: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return found
    except (ImportError, AttributeError) as exc:
        raise ArmsgraphError(f"the demo needs {module}.{name}, which this build does not have ({exc})") from exc


def _demo_store(settings: Settings, serving: bool) -> GraphStore:
    """The store the demo loads; an embedded server stays up for the dashboard that follows (``serving``).

    (Restarting it would replay the whole append-only file of the ingest first.)
    """
    if settings.store.kind == "embedded":
        return EmbeddedStore(settings, keep_server=serving)
    return open_store(settings)


def run_demo(settings: Settings, incidents: int, seed: int, serving: bool = False) -> Path:
    """Generate a scenario, ingest it and run the analytics; returns the bundle directory.

    Re-running on the same data directory duplicates nothing: the bundle is generated
    once per (incidents, seed) and ingest and analytics are idempotent.
    """
    generate = _needed("armsgraph.scenario.generate", "generate_scenario")
    ingest = _needed("armsgraph.ingest.pipeline", "ingest_bundle")
    analyse = _needed("armsgraph.analytics", "run_all")
    bundle = settings.data_dir / "demo" / f"scenario-{incidents}-seed{seed}"
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        step = progress.add_task("generate scenario", total=3)
        if not (bundle / ".complete").exists():
            generate(bundle, incidents=incidents, seed=seed, progress=False)
            (bundle / ".complete").write_text("generated\n", encoding="utf-8")
        progress.update(step, advance=1, description="ingest bundle")
        with _demo_store(settings, serving) as store:
            store.apply_schema()
            report = ingest(store, bundle, progress=False)
            progress.update(step, advance=1, description="analyse graph")
            analyse(store)
            counts = store.counts()
        progress.update(step, advance=1, description="demo ready")
    console.print(
        f"graph: {counts.get('Incident', 0):,} incidents, {counts.get('Firearm', 0):,} firearms, "
        f"{counts.get('Person', 0):,} persons"
    )
    console.print(rejected_line(report))
    console.print(sign_in_line(settings))
    return bundle


def rejected_line(report: Any) -> str:
    """What the ingest turned away, and where the rows and reasons are listed."""
    rejected = int(getattr(report, "rejected", 0) or 0)
    if not rejected:
        return "ingest: no rows rejected"
    by_file = ", ".join(f"{f.file} {f.rejected:,}" for f in getattr(report, "files", []) if f.rejected)
    where = getattr(report, "rejects_path", "") or getattr(report, "report_path", "")
    return (
        f"ingest: [yellow]{rejected:,} rows rejected[/] ({by_file}); each with file, row, column and reason in "
        f"{where or 'the data directory reports/'} and on the dashboard's Data quality page"
    )


def sign_in_line(settings: Settings) -> str:
    """How the dashboard is entered: sign-in with the users of the data directory, or local single-user mode."""
    from armsgraph import users

    if users.users_path(settings.data_dir).exists():
        return "dashboard: sign-in required (users of this data directory; `armsgraph users add` creates more)"
    return (
        "dashboard: [bold]local single-user mode[/] (no users yet: you are the local admin, bound to 127.0.0.1). "
        "To require sign-in, add users: `armsgraph users add NAME --role analyst|prosecutor|programme|admin`"
    )


app = typer.Typer()


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Port (default: settings' dashboard_port, 8501).")] = None,
    address: Annotated[str, typer.Option(help="Address to bind; keep 127.0.0.1 behind a proxy.")] = "127.0.0.1",
) -> None:
    """Open the dashboard on the configured store."""
    settings = STATE.settings
    raise typer.Exit(serve_dashboard(settings, port or settings.dashboard.port, address))


@app.command()
def demo(
    incidents: Annotated[int, typer.Option(help="Incidents in the generated scenario.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed of the scenario.")] = 7,
    port: Annotated[int, typer.Option(help="Dashboard port.")] = 8501,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Prepare the data only.")] = False,
) -> None:
    """Generate a synthetic scenario, ingest and analyse it, then open the dashboard."""
    settings = STATE.settings
    try:
        run_demo(settings, incidents, seed, serving=not no_serve)
    except BaseException:
        if settings.store.kind == "embedded":
            EmbeddedServer(settings.data_dir).release()  # kept up for a dashboard that will not open
        raise
    if not no_serve:
        raise typer.Exit(serve_dashboard(settings, port))

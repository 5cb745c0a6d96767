"""Full page reloads of the dashboard, this checkout against an earlier one, in the same run.

On a shared machine the load changes from minute to minute, so a before/after comparison is only
fair when both are measured together: this serves the dashboard of this checkout, optionally the
one of an earlier checkout (``--before DIR``, e.g. ``git archive <commit> | tar -x -C DIR``) and the
minimal Streamlit app, and reloads each page in turn on each of them (the minimal app's own page
alternating with them), timed as :mod:`benchmarks.bench_dashboard` times a full reload. Per page it
prints the median and p95, the seconds until the server's script run finished (the rest is the
browser drawing), and the load average while it ran. Nothing is written to the history.

    .venv/bin/python -m benchmarks.dashboard_reloads DATA_DIR [--before DIR] [--reloads 5] [--pages overview,tracing]

``DATA_DIR`` is an ingested and analysed data directory (``armsgraph demo`` or the benchmark's kept store).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from armsgraph.commands.dashboard import streamlit_command, streamlit_env
from armsgraph.settings import load_settings
from benchmarks.bench_dashboard import PAGES, Timer, p95
from benchmarks.common import HERE
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import free_port, wait_healthy

REFERENCE = ("", "Reference")


def serve(command: list[str], env: dict[str, str], port: int, log: Path, cwd: Path | None) -> subprocess.Popen[bytes]:
    """A Streamlit server started in ``cwd`` (``python -m`` puts it first on the path: its armsgraph is the one run)."""
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=cwd)
    wait_healthy(f"http://127.0.0.1:{port}", process, timeout_s=180)
    return process


def servers(data_dir: Path, before: Path | None, tmp: Path) -> dict[str, tuple[int, subprocess.Popen[bytes]]]:
    """Port and process of each app: "after" (this checkout), "before" (if given) and the minimal app ("minimal")."""
    env = streamlit_env(load_settings(data_dir=data_dir))
    started = {}
    for name, root in (("after", Path.cwd()), ("before", before)):
        if root is None:
            continue
        port = free_port()
        command = streamlit_command(port)
        command[command.index("run") + 1] = str(root / "armsgraph" / "dashboard" / "app.py")
        started[name] = (port, serve(command, {**env, "PYTHONPATH": str(root)}, port, tmp / f"{name}.log", root))
    port = free_port()
    minimal = [sys.executable, "-m", "streamlit", "run", str(HERE / "minimal_app.py"), "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    started["minimal"] = (port, serve(minimal, env, port, tmp / "minimal.log", None))
    return started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--before", type=Path, help="an earlier checkout to serve alongside this one")
    parser.add_argument("--reloads", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated page paths (overview for the default page); all by default")
    args = parser.parse_args()
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [(path, title) for path, title in PAGES if wanted is None or (path or "overview") in wanted]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        running = servers(args.data_dir, args.before, Path(tmp))
        try:
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                timers = {
                    name: Timer(browser.new_page(viewport={"width": 1440, "height": 1000}), f"http://127.0.0.1:{port}")
                    for name, (port, _) in running.items()
                }
                for path, title in pages:
                    target = {name: REFERENCE if name == "minimal" else (path, title) for name in timers}
                    for name, timer in timers.items():  # the first load fills the caches; not counted
                        timer.reload(*target[name])
                        timer.server.clear()
                    times: dict[str, list[float]] = {name: [] for name in timers}
                    loads = []
                    for _ in range(args.reloads):
                        for name, timer in timers.items():
                            times[name].append(timer.reload(*target[name]))
                        loads.append(os.getloadavg()[0])
                    print(f"{title} (load {min(loads):.1f}–{max(loads):.1f}): " + "; ".join(
                        f"{name} p95 {p95(t):.2f}s median {statistics.median(t):.2f}s "
                        f"(script run {statistics.median(timers[name].server):.2f}s)" for name, t in times.items()
                    ), flush=True)  # fmt: skip
                browser.close()
        finally:
            for _, process in running.values():
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()

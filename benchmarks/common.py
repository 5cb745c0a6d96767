"""Shared benchmark helpers: timing, peak memory, machine description, result history."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


def save(rows: list[Row], mode: str) -> str:
    """Append the run to the JSON history and write the Markdown table; return the table."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    HISTORY.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "time": stamp,
        "mode": mode,
        "machine": machine(),
        "rows": [r.__dict__ | {"ratio": r.ratio} for r in rows],
    }
    with HISTORY.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    lines = [
        f"Run {stamp} ({mode}) on {machine()}.",
        "",
        "| section | case | figure | reference (same run) | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ref = f"{r.reference:,.1f} {r.unit} ({r.reference_name})" if r.reference else "—"
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        lines.append(f"| {r.section} | {r.case} | {r.value:,.1f} {r.unit} | {ref} | {ratio} | {r.target} |")
    table = "\n".join(lines) + "\n"
    LATEST.write_text(table, encoding="utf-8")
    return table

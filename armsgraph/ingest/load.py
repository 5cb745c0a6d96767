"""The *load* stage: batched idempotent upserts with a checkpoint per batch, so a killed load resumes.

Each step (nodes of a label, relationships of a type, a named statement) is cut
into chunks of ``batch_size`` rows; after each chunk the checkpoint
``<data_dir>/ingest/checkpoints/<batch_id>.json`` records it as done. A re-run
of the same bundle skips done chunks; since every write is a MERGE, re-running a
chunk that was cut half way is harmless. The checkpoint is removed when the load
completes.
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from armsgraph.graph.store import GraphStore, Statement, WriteSummary
from armsgraph.ingest.build import Step
from armsgraph.ingest.report import RowError, problem
from armsgraph.progress import Progress, reporter


@dataclass
class Checkpoint:
    """Done chunk keys of one batch, saved atomically after each chunk."""

    path: Path
    done: set[str] = field(default_factory=set)
    totals: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, data_dir: Path, batch_id: str) -> Checkpoint:
        """The checkpoint of ``batch_id`` (empty when none was left by an earlier run)."""
        path = Path(data_dir) / "ingest" / "checkpoints" / f"{batch_id}.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, set(data.get("done", [])), dict(data.get("totals", {})))
        return cls(path)

    def mark(self, key: str, summary: WriteSummary) -> None:
        """Record a finished chunk and the counters so far."""
        self.done.add(key)
        self.totals["nodes_created"] = self.totals.get("nodes_created", 0) + summary.nodes_created
        self.totals["relationships_created"] = (
            self.totals.get("relationships_created", 0) + summary.relationships_created
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"done": sorted(self.done), "totals": self.totals}), encoding="utf-8")
        os.replace(tmp, self.path)

    def remove(self) -> None:
        """Forget the checkpoint (the batch is complete)."""
        self.path.unlink(missing_ok=True)


@dataclass
class LoadResult:
    """What the load wrote."""

    nodes_created: int = 0
    relationships_created: int = 0
    resumed_chunks: int = 0
    created_before_resume: dict[str, int] = field(default_factory=dict)
    problems: list[RowError] = field(default_factory=list)


def _prepare(store: GraphStore, step: Step, rows: list[dict[str, Any]]) -> list[Statement]:
    """The encoded statements that write ``rows`` of ``step`` (Python work only, no I/O)."""
    if step.kind == "nodes":  # the store writes each key once per chunk, citing every record
        return store.prepare_nodes(step.name, rows)
    if step.kind == "relationships":
        return store.prepare_relationships(step.name, step.from_label, step.to_label, rows)
    return store.prepare_write(step.name, rows=rows)


class _Skipped(Exception):
    """A chunk not sent because an earlier one failed."""


@dataclass
class _Sender:
    """Sends prepared chunks in order on one worker thread while the caller prepares the next.

    The store works on one core and Python on the other. After a failure nothing more is
    sent, so no relationship chunk runs after a node chunk it depends on failed.
    """

    store: GraphStore
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="load"))
    failed: threading.Event = field(default_factory=threading.Event)

    def submit(self, statements: list[Statement]) -> Future[WriteSummary]:
        """Queue ``statements`` to be sent after everything queued before."""
        return self.pool.submit(self._send, statements)

    def _send(self, statements: list[Statement]) -> WriteSummary:
        if self.failed.is_set():
            raise _Skipped
        try:
            return self.store.send(statements)
        except BaseException:
            self.failed.set()
            raise


@dataclass
class _Chunk:
    key: str
    step: Step
    rows: int
    future: Future[WriteSummary]


@dataclass
class _Writes:
    """The chunks in flight (at most two beyond the one being prepared) and what their writes added up to."""

    store: GraphStore
    result: LoadResult
    mark: Checkpoint | None
    advance: Callable[[int], None]
    sender: _Sender = field(init=False)
    pending: deque[_Chunk] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.sender = _Sender(self.store)

    def submit(self, key: str, step: Step, rows: list[dict[str, Any]]) -> None:
        """Prepare one chunk and queue its write; finish the chunks already written."""
        statements = _prepare(self.store, step, rows)
        self.pending.append(_Chunk(key, step, len(rows), self.sender.submit(statements)))
        while len(self.pending) > 2 or (self.pending and self.pending[0].future.done()):
            self._finish(self.pending.popleft())

    def drain(self) -> None:
        """Wait for every chunk in flight."""
        while self.pending:
            self._finish(self.pending.popleft())

    def close(self) -> None:
        """Count (and checkpoint) the chunks written before an interruption; stop the sender."""
        while self.pending and self.pending[0].future.exception() is None:
            self._finish(self.pending.popleft())
        self.sender.pool.shutdown(wait=True, cancel_futures=True)

    def _finish(self, chunk: _Chunk) -> None:
        summary = chunk.future.result()
        self.result.nodes_created += summary.nodes_created
        self.result.relationships_created += summary.relationships_created
        if chunk.step.kind == "relationships" and summary.matched < chunk.rows:
            message = f"{chunk.rows - summary.matched} {chunk.step.title} rows found no endpoint in the graph"
            self.result.problems.append(problem("", None, None, None, message, severity="error"))
        if self.mark:
            self.mark.mark(chunk.key, summary)
        self.advance(chunk.rows)


def load(
    store: GraphStore,
    steps: list[Step],
    batch_id: str,
    batch_size: int,
    data_dir: Path,
    progress: Progress | None = None,
    checkpoint: bool = True,
) -> LoadResult:
    """Write ``steps`` in chunks, skipping chunks a checkpoint marks done; counts of what was created.

    Chunk *n + 1* is prepared while chunk *n* is written; chunks are checkpointed in order as
    their writes complete (also when the load is interrupted, so a re-run resumes after them).
    """
    result = LoadResult()
    mark = Checkpoint.open(data_dir, batch_id) if checkpoint else None
    if mark and mark.done:
        result.created_before_resume = dict(mark.totals)
    report, task = reporter(progress), f"loading batch {batch_id[:8]}"
    report(task, 0, sum(len(s.rows) for s in steps))
    writes = _Writes(store, result, mark, partial(report, task))
    try:
        for index, step in enumerate(steps):
            for number, rows in enumerate(step.batches(batch_size)):
                key = f"{index}:{step.kind}:{step.title}:{number}"
                if mark and key in mark.done:
                    result.resumed_chunks += 1
                    report(task, len(rows))
                else:
                    writes.submit(key, step, rows)
        writes.drain()
    finally:
        writes.close()
    store.write("ingest_possibly_same_pending")
    if mark:
        mark.remove()
    return result

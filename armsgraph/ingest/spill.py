"""Rows kept on disk between ingest phases, so memory holds one chunk of them, not all.

A :class:`Spill` is an append-only file of pickled chunks under the ingest's own working folder
(``<data_dir>/ingest/spill/<batch_id>-…``, removed when the ingest ends). Items come back in the
order they went in, in chunks (:meth:`Spill.batches`) or by position (:meth:`Spill.items`).
:func:`sorted_spilled` is a stable external sort: sorted runs on disk, merged lazily.

Only the ingest reads what it wrote here (never a file it did not write), which is what makes
pickle safe to use.

>>> spill = Spill(Path(tmp) / "rows")                     # doctest: +SKIP
>>> for row in rows: spill.append(row)                    # doctest: +SKIP
>>> for batch in spill.batches(500): load(batch)          # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import fcntl
import heapq
import itertools
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from armsgraph import private

T = TypeVar("T")

#: Items per pickled chunk: large enough that pickling is cheap per item, small enough that the
#: unwritten chunks of every open spill (one per record table or graph step) weigh little.
CHUNK = 512
#: Items sorted in memory at once by :func:`sorted_spilled` before they go to disk as one run.
RUN = 65_536


class Spill(Generic[T]):
    """Items appended to a file in pickled chunks; read back in order, in chunks or by position."""

    def __init__(self, path: Path, chunk: int = CHUNK) -> None:
        self.path = Path(path)
        self.chunk = chunk
        self._buffer: list[T] = []
        self._offsets: list[int] = []  # where each chunk starts in the file
        self._starts: list[int] = []  # the position of each chunk's first item
        self._size = 0
        self._written = 0

    def append(self, item: T) -> None:
        """Add one item (written to disk with its chunk)."""
        buffer = self._buffer
        buffer.append(item)
        if len(buffer) >= self.chunk:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        """Add items in order."""
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self._written + len(self._buffer)

    def __iter__(self) -> Iterator[T]:
        for chunk in self._chunks():
            yield from chunk

    def batches(self, size: int) -> Iterator[list[T]]:
        """The items in consecutive lists of ``size`` (the last one shorter)."""
        batch: list[T] = []
        for chunk in self._chunks():
            for item in chunk:
                batch.append(item)
                if len(batch) == size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def items(self, positions: Iterable[int]) -> dict[int, T]:
        """The items at ``positions`` (0-based), reading each chunk that holds one of them once."""
        self._flush()
        found: dict[int, T] = {}

        def chunk_of(position: int) -> int:
            return bisect.bisect_right(self._starts, position) - 1

        for number, group in itertools.groupby(sorted(set(positions)), key=chunk_of):
            chunk = self._chunk(number)
            for position in group:
                found[position] = chunk[position - self._starts[number]]
        return found

    def flush(self) -> None:
        """Write the items not yet on disk (they are otherwise written with their full chunk)."""
        self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        data = pickle.dumps(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        with self.path.open("ab") as handle:
            handle.write(data)
        self._offsets.append(self._size)
        self._starts.append(self._written)
        self._size += len(data)
        self._written += len(self._buffer)
        self._buffer = []

    def _chunk(self, number: int) -> list[T]:
        self._flush()
        with self.path.open("rb") as handle:
            handle.seek(self._offsets[number])
            return _load(handle)

    def _chunks(self) -> Iterator[list[T]]:
        self._flush()
        if not self._offsets:
            return
        with self.path.open("rb") as handle:
            for _ in self._offsets:
                yield _load(handle)


def _load(handle: Any) -> Any:
    return pickle.load(handle)  # noqa: S301 - a chunk this ingest wrote to its own working folder


def sorted_spilled(items: Iterable[T], key: Callable[[T], Any], folder: SpillFolder, run: int = RUN) -> Iterator[T]:
    """``sorted(items, key=key)`` (stable) holding at most ``run`` items plus a chunk per run in memory.

    Runs of ``run`` items are sorted in memory and spilled to ``folder``; the runs are merged
    lazily (ties keep input order: an earlier run wins). A single run is never written.
    """
    runs: list[Spill[T]] = []
    buffer: list[T] = []
    for item in items:
        buffer.append(item)
        if len(buffer) >= run:
            runs.append(folder.spill("run"))
            runs[-1].extend(sorted(buffer, key=key))
            buffer = []
    buffer.sort(key=key)
    if not runs:
        yield from buffer
        return
    if buffer:
        runs.append(folder.spill("run"))
        runs[-1].extend(buffer)
        buffer = []
    try:
        yield from heapq.merge(*runs, key=key)
    finally:
        for spilled in runs:
            spilled.path.unlink(missing_ok=True)


class SpillFolder:
    """The working folder of one ingest, made fresh under ``parent`` and removed when it ends.

    The folder is locked while in use. An ingest that was killed leaves its folder behind; the
    next ingest under the same parent removes every folder whose lock no running ingest holds
    (a lock is released when its process ends, however it ends).
    """

    def __init__(self, parent: Path, name: str) -> None:
        self.parent = Path(parent)
        self.name = name
        self.path = self.parent / name
        self._lock: IO[str] | None = None
        self._names = itertools.count()

    def __enter__(self) -> SpillFolder:
        private.private_dir(self.parent)  # spilled records name people: 0700
        sweep(self.parent)
        fresh = Path(tempfile.mkdtemp(prefix=f"{self.name}-", suffix=".new", dir=self.parent))
        self._lock = (fresh / ".lock").open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = fresh.with_suffix("")  # a sweep skips *.new folders: not yet locked
        fresh.rename(self.path)
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()

    def spill(self, name: str) -> Spill[Any]:
        """A new, empty spill file in this folder (``name`` only makes it readable)."""
        return Spill(self.path / f"{next(self._names):04d}-{name}")


def sweep(parent: Path) -> None:
    """Remove the working folders under ``parent`` that no running ingest holds."""
    for folder in parent.iterdir():
        if folder.suffix == ".new" or not folder.is_dir():
            continue
        try:
            handle = (folder / ".lock").open("r")
        except OSError:  # removed meanwhile, or not a working folder
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # in use
                continue
            shutil.rmtree(folder, ignore_errors=True)

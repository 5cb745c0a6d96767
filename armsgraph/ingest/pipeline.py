"""The ingest pipeline as named stages: parse → validate → normalise → resolve → build → load.

:func:`ingest_bundle` streams: phase one (:func:`collect_stage`) takes each file row by row
through parse, validate and normalise, spills the accepted records to a working folder under the
store's ``data_dir`` and keeps only compact indexes (ids, digests, what resolution needs); after
resolution, phase two (:func:`build_stage`) reads the records back type by type and spills the
graph rows per step, which the load then reads chunk by chunk. Memory grows with the compact
indexes, not with the rows. This is the only ingest path: tests and benchmarks run it too.

>>> report = ingest_bundle(store, "docs/examples/bundle")          # doctest: +SKIP
>>> report.rows_in, report.rejected, report.nodes_created          # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import hashlib
import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from armsgraph.errors import IngestError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.build import GraphRows, build_rows
from armsgraph.ingest.bulk_load import bulk_first_load, discard_interrupted, neo4j_import_files
from armsgraph.ingest.collect import Collected, collect
from armsgraph.ingest.load import LoadResult, load
from armsgraph.ingest.mapping import ColumnMapping, load_mapping
from armsgraph.ingest.readers import SUFFIXES, XLSX_SUFFIXES
from armsgraph.ingest.records import RECORD_TYPES
from armsgraph.ingest.references import References
from armsgraph.ingest.report import IngestReport, RecordCounts, RowError, problem
from armsgraph.ingest.resolve import Resolution, resolve, slug
from armsgraph.ingest.spill import Spill, SpillFolder, sorted_spilled
from armsgraph.ingest.validate import AnyRecord, Record
from armsgraph.progress import Progress
from armsgraph.settings import IngestSettings

log = logging.getLogger(__name__)


@dataclass
class Bundle:
    """One folder of record files (docs/formats.md), optionally with a column mapping."""

    root: Path
    mapping: ColumnMapping | None = None
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: Symbolic links (and anything resolving outside the folder): never read.
    refused: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path | str, mapping: ColumnMapping | None = None) -> Bundle:
        """The bundle at ``path``: the files a mapping matches, or files named after record types."""
        root = Path(path)
        if not root.is_dir():
            raise IngestError(f"{root} is not a folder (a bundle is one folder of record files)")
        bundle = cls(root, mapping)
        inside = root.resolve()
        for item in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
            relative = item.name
            if item.is_symlink() or not item.resolve().is_relative_to(inside):
                bundle.refused.append(relative)
                continue
            if not item.is_file():
                continue
            if mapping is not None:
                wanted = mapping.file_map(relative) is not None
            else:
                wanted = item.suffix.lower() in XLSX_SUFFIXES or (
                    item.suffix.lower() in SUFFIXES and item.stem.lower() in RECORD_TYPES
                )
            if wanted:
                bundle.files.append(item)
            else:
                bundle.skipped.append(relative)
        return bundle

    def batch_id(self) -> str:
        """A deterministic content hash of the files read and the mapping."""
        digest = hashlib.sha256()
        digest.update((self.mapping.text if self.mapping else "").encode("utf-8"))
        for item in self.files:
            digest.update(item.name.encode("utf-8") + b"\0")
            with item.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        return digest.hexdigest()[:16]


# -- the stages ----------------------------------------------------------------------------------
def resolve_stage(store: GraphStore, records: Sequence[AnyRecord], source: str, settings: IngestSettings) -> Resolution:
    """Entity resolution, consulting the graph for firearms already loaded with the same serials."""
    serials = sorted({r.get("serial_normalised") for r in records if r.get("serial_normalised")})
    known: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    if serials:
        found = store.read("ingest_firearms_by_serial", serials=serials)
        for serial, uid, make, kind in found[["serial", "uid", "make", "type"]].itertuples(index=False):
            known[str(serial)].append((str(uid), make, kind))
    return resolve(records, source, settings.thresholds, known)


def collect_stage(bundle: Bundle, settings: IngestSettings, folder: SpillFolder) -> Collected:
    """Phase one: parse → validate → normalise row by row (records spilled to ``folder``), then drop repeats."""
    collected = collect(bundle.files, bundle.mapping, folder, settings.cell_limit, settings.date_formats)
    collected.deduplicate()
    return collected


def build_stage(
    collected: Collected,
    resolution: Resolution,
    references: References,
    incident_of: dict[str, str],
    source: str,
    batch_id: str,
    classification: str,
    folder: SpillFolder,
    failed: Counter[str] | None = None,
) -> tuple[GraphRows, list[RowError]]:
    """Phase two: records read back type by type, references checked, graph rows spilled per step.

    Returns the rows and the reference problems (in record order);
    ``failed`` counts the records of each type that a reference check rejected.
    """
    problems: list[RowError] = []
    counted = failed if failed is not None else Counter()

    def accepted(record_type: str) -> Iterator[Record]:
        for record in collected.records(record_type):
            if references.check(record, problems):
                yield record
            else:
                counted[record_type] += 1

    rows = build_rows(
        accepted,
        resolution,
        source,
        batch_id,
        classification,
        GraphRows.spilled(folder),
        incident_of,
        partial(sorted_spilled, folder=folder),
    )
    for step in rows.steps():
        if isinstance(step.rows, Spill):
            step.rows.flush()
    return rows, problems


def load_stage(
    store: GraphStore, rows: GraphRows, batch_id: str, settings: IngestSettings, progress: Progress | None
) -> LoadResult:
    """Write the graph rows: into an empty graph through the store's bulk path, else in checkpointed batches."""
    size = settings.batch_size or store.settings.batch_size
    if settings.neo4j_import:  # files for neo4j-admin database import instead of a load (docs/neo4j.md)
        return neo4j_import_files(store, rows.steps(), Path(settings.neo4j_import), size)
    bulk = bulk_first_load(store, rows.steps(), batch_id, size, progress) if settings.bulk_first_load else None
    if bulk is not None:
        return bulk
    return load(store, rows.steps(), batch_id, size, store.settings.data_dir, progress, settings.checkpoint)


# -- the whole pipeline ----------------------------------------------------------------------------
@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for a while (ingest's millions of rows hold no cycles).

    Each full collection walks every live row, so at 10k incidents collections cost ~15 % of
    ingest's CPU, and more as the data grows; reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def ingest_lock(data_dir: Path, wait: bool = False) -> Iterator[None]:
    """One ingest per data directory at a time: a lock file held while this one runs.

    A second ingest into the same ``data_dir`` waits for the first (``wait``) or stops at once with
    an IngestError naming the process that holds it. The lock goes with the process (a killed ingest
    leaves nothing to clean up).
    """
    path = Path(data_dir) / "ingest" / "ingest.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 200, 0).decode("utf-8", "replace").strip() or "another process"
            if not wait:
                raise IngestError(
                    f"another ingest is writing into {data_dir} ({holder}); wait for it to finish, or pass --wait"
                ) from None
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.pwrite(handle, f"pid {os.getpid()}, since {since}".encode(), 0)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def ingest_bundle(
    store: GraphStore,
    path: Path | str,
    mapping: ColumnMapping | Path | str | None = None,
    progress: Progress | None = None,
    settings: IngestSettings | None = None,
    wait: bool = False,
) -> IngestReport:
    """Ingest one bundle folder into ``store``; the report is also saved under ``<data_dir>/reports``.

    Only one ingest runs per data directory: with another one running, this one waits (``wait``) or
    raises IngestError at once (see :func:`ingest_lock`). ``progress`` (armsgraph.progress) is told of
    the rows loaded; ``settings`` default to the store's ``ingest`` section.
    """
    with ingest_lock(store.settings.data_dir, wait), paused_gc():
        discard_interrupted(store)  # a bulk load cut short left part of a graph: gone before anything reads it
        return _ingest(store, path, mapping, progress, settings or store.settings.ingest)


def _ingest(
    store: GraphStore,
    path: Path | str,
    mapping: ColumnMapping | Path | str | None,
    progress: Progress | None,
    settings: IngestSettings,
) -> IngestReport:
    if mapping is not None and not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    bundle = Bundle.open(path, mapping)
    source = slug(settings.source or (mapping.source if mapping else None) or bundle.root.resolve().name)
    classification = (mapping.classification if mapping and mapping.classification else None) or settings.classification
    batch_id = bundle.batch_id()
    report = IngestReport(
        bundle=str(bundle.root),
        batch_id=batch_id,
        source=source,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    report.problems.extend(
        problem(name, None, None, None, "not a record file of this bundle; ignored", severity="warning")
        for name in bundle.skipped
    )
    report.problems.extend(
        problem(name, None, None, None, "a symbolic link; not read (it may point outside the bundle)")
        for name in bundle.refused
    )
    if not bundle.files:
        report.problems.append(
            problem(str(bundle.root), None, None, None, "the bundle has no record files", severity="warning")
        )

    with SpillFolder(store.settings.data_dir / "ingest" / "spill", batch_id) as folder:
        started = time.perf_counter()
        collected = collect_stage(bundle, settings, folder)
        started = _logged("collect", _read(collected, bundle), started)
        report.problems.extend(collected.parse_problems)
        report.problems.extend(collected.validate_problems())
        report.problems.extend(collected.normalise_problems())
        report.problems.extend(collected.duplicate_problems)
        references, incident_of = collected.references()
        resolution = resolve_stage(store, collected.resolvable(incident_of), source, settings)
        resolved = f"{resolution.merged:,} records merged, {len(resolution.candidates):,} possible duplicates"
        started = _logged("resolve", resolved, started)
        collected.release()
        failed: Counter[str] = Counter()
        rows, reference_problems = build_stage(
            collected, resolution, references, incident_of, source, batch_id, classification, folder, failed
        )
        report.problems.extend(reference_problems)
        report.problems.extend(rows.problems)
        started = _logged("build", f"{len(reference_problems) + len(rows.problems):,} problems", started)
        report.merged, report.possibly_same = resolution.merged, len(resolution.candidates)
        if resolution.capped:
            message = (
                f"{resolution.capped:,} further possible-duplicate pairs not listed: each person or organisation "
                f"keeps its {settings.thresholds.max_candidates} best (common names without a date of birth)"
            )
            report.problems.append(problem("", None, None, None, message, severity="warning"))
        del resolution, references, incident_of  # the spilled graph rows hold what the load needs
        loaded = load_stage(store, rows, batch_id, settings, progress)
        _logged("load", f"{loaded.nodes_created:,} nodes, {loaded.relationships_created:,} edges created", started)
    report.problems.extend(loaded.problems)

    _count(report, collected)
    _count_record_types(report, collected, failed, rows.problems)
    report.failures = _failures(report)
    report.rejected_links = sum(1 for p in report.problems if p.severity == "link")
    report.nodes_created = loaded.nodes_created
    report.relationships_created = loaded.relationships_created
    report.resumed_steps = loaded.resumed_chunks
    report.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    report.save(store.settings.data_dir)
    return report


def _read(collected: Collected, bundle: Bundle) -> str:
    return f"{sum(c.rows_in for c in collected.files.values()):,} rows from {len(bundle.files)} files"


def _logged(stage: str, what: str, started: float) -> float:
    """One INFO line per ingest stage: what it did and its seconds; the time it ends (the next stage's start)."""
    now = time.perf_counter()
    log.info("ingest %s: %s in %.1f s", stage, what, now - started)
    return now


def _count(report: IngestReport, collected: Collected) -> None:
    """Rows in, accepted and rejected per file and in total (a row counts as rejected if any record of it is).

    A row is accepted when a record of it was kept after deduplication and no problem rejects it
    (every record dropped later, for a reference or while building, is reported against its row).
    """
    rejected_rows: dict[str, set[int]] = defaultdict(set)
    for p in report.problems:
        if p.rejects_row and p.row is not None:
            rejected_rows[p.file].add(p.row)
    for counts in collected.files.values():
        rejected = rejected_rows[counts.file]
        accepted = collected.accepted.get(counts.file, bytearray())
        counts.rejected = len(rejected)
        counts.accepted = accepted.count(1) - sum(1 for row in rejected if 0 <= row < len(accepted) and accepted[row])
        # rows neither loaded, rejected nor filtered out: every record they gave repeats one already read
        counts.duplicates = max(0, counts.rows_in - counts.accepted - counts.rejected - counts.skipped)
    report.files = sorted(collected.files.values(), key=lambda c: c.file)
    report.rows_in = sum(c.rows_in for c in report.files)
    report.rejected = sum(c.rejected for c in report.files)
    report.accepted = sum(c.accepted for c in report.files)
    report.skipped = sum(c.skipped for c in report.files)
    report.duplicates = sum(c.duplicates for c in report.files)


def _count_record_types(
    report: IngestReport, collected: Collected, failed: Counter[str], build_problems: list[RowError]
) -> None:
    """Rows read / loaded / skipped / duplicates / rejected per record type (they add up: see RecordCounts)."""
    by_type: dict[str, RecordCounts] = {}
    for table in collected.ordered():
        counts = by_type.setdefault(table.record_type, RecordCounts(table.record_type))
        counts.read += table.tally.read
        counts.skipped += table.tally.skipped
        counts.loaded += table.kept.count(1)
    for record_type, count in collected.exact_repeats.items():
        by_type[record_type].duplicates += count
    dropped = Counter(p.record_type for p in build_problems if p.rejects_row)
    for record_type, counts in by_type.items():
        counts.loaded -= failed[record_type] + dropped[record_type]
        counts.rejected = counts.read - counts.skipped - counts.duplicates - counts.loaded
    report.record_types = list(by_type.values())


def _failures(report: IngestReport) -> list[str]:
    """Why the ingest did not do what was asked: file-level errors, files and record types that loaded nothing.

    A file whose every row a ``where:`` skipped, or whose rows all repeat records already read, did what it
    was asked.
    """
    out = [f"{p.file}: {p.reason}" for p in report.problems if p.severity == "error" and p.row is None]
    for counts in report.files:
        all_skipped = counts.rows_in > 0 and counts.skipped == counts.rows_in
        if counts.record_types and counts.accepted == 0 and not counts.duplicates and not all_skipped:
            out.append(f"{counts.file}: loaded nothing ({counts.rows_in:,} rows read, {counts.rejected:,} rejected)")
    for record in report.record_types:
        if record.read > record.skipped and not record.loaded and not record.duplicates:
            out.append(
                f"{record.record_type}: loaded nothing ({record.read:,} rows read, {record.skipped:,} skipped by "
                f"filter, {record.rejected:,} rejected)"
            )
    return out


def settings_from_file(path: Path, base: IngestSettings | None = None) -> IngestSettings:
    """Ingest settings from a YAML file, over ``base`` (the ``[ingest]`` section in force; default: built-in)."""
    return IngestSettings.from_yaml(Path(path).read_text(encoding="utf-8"), base)


__all__ = [
    "Bundle",
    "IngestSettings",
    "RowError",
    "build_stage",
    "collect_stage",
    "ingest_bundle",
    "load_stage",
    "resolve_stage",
]

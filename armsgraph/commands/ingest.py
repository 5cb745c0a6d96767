"""Ingest and review commands: ``armsgraph ingest BUNDLE`` and ``armsgraph review list|accept|reject``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from armsgraph.commands.common import STATE, console, store_session
from armsgraph.commands.exits import ExitCode
from armsgraph.commands.progress import Bars
from armsgraph.ingest.mapping import load_mapping
from armsgraph.ingest.pipeline import ingest_bundle, settings_from_file
from armsgraph.ingest.report import IngestReport
from armsgraph.ingest.review import STATUSES, decide, list_candidates


class ReviewStatus(enum.StrEnum):
    """Which candidates ``armsgraph review list`` shows (armsgraph.ingest.review.STATUSES, or all)."""

    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    all = "all"


def _files_table(report: IngestReport) -> Table:
    """Rows in, accepted, rejected, skipped and duplicate per file, with a total."""
    files = Table("file", "record types", "rows in", "accepted", "rejected", "skipped", "duplicates", title="rows")
    for f in report.files:
        counts = (f.rows_in, f.accepted, f.rejected, f.skipped, f.duplicates)
        files.add_row(f.file, ", ".join(f.record_types), *(f"{n:,}" for n in counts))
    totals = (report.rows_in, report.accepted, report.rejected, report.skipped, report.duplicates)
    files.add_row("[bold]total", "", *(f"{n:,}" for n in totals))
    return files


def _records_table(report: IngestReport) -> Table:
    """Read, loaded, skipped, duplicate and rejected per record type."""
    kinds = Table("record type", "read", "loaded", "skipped by filter", "duplicates", "rejected", title="records")
    for r in report.record_types:
        counts = (r.read, r.loaded, r.skipped, r.duplicates, r.rejected)
        kinds.add_row(r.record_type, *(f"{n:,}" for n in counts))
    return kinds


def _graph_line(report: IngestReport) -> str:
    """What the load changed in the graph: new nodes and relationships, or why nothing."""
    if report.nodes_created or report.relationships_created:
        resumed = f" (resumed: {report.resumed_steps} batches already done)" if report.resumed_steps else ""
        return (
            f"graph: [green]{report.nodes_created:,} new nodes, {report.relationships_created:,} new "
            f"relationships[/]{resumed}"
        )
    if any(r.loaded for r in report.record_types):
        return "graph: [yellow]0 new nodes, 0 new relationships[/] (every loaded record was already in the graph)"
    return "graph: [red]0 new nodes, 0 new relationships: nothing was loaded[/]"


def _warning_lines(report: IngestReport) -> list[str]:
    """Unused columns as one line per file, then the first five other warnings."""
    unused: dict[str, list[str]] = {}
    others = []
    for warning in report.warnings:
        if warning.column and warning.reason.endswith("is not used by the mapping"):
            unused.setdefault(warning.file, []).append(warning.column)
        else:
            others.append(warning)
    lines = []
    for file, columns in unused.items():  # one line per file (a 135-column table would fill the screen)
        shown = ", ".join(columns[:12]) + (f", ... ({len(columns) - 12} more)" if len(columns) > 12 else "")
        lines.append(f"[yellow]warning:[/] {file}: {len(columns)} columns not used by the mapping: {escape(shown)}")
    for warning in others[:5]:
        where = f"{warning.file}{f':{warning.row}' if warning.row else ''}"
        lines.append(f"[yellow]warning:[/] {escape(where)} {escape(warning.reason)}")
    if len(others) > 5:
        lines.append(f"[yellow]... {len(others) - 5} more warnings[/] (all in the problems file)")
    return lines


def print_report(report: IngestReport) -> None:
    """The ingest report as rich tables."""
    console.print(_files_table(report))
    if report.record_types:
        console.print(_records_table(report))
    console.print(
        f"entity resolution: {report.merged:,} records merged, {report.possibly_same:,} candidates for review"
        + (f", {report.rejected_links:,} links rejected" if report.rejected_links else "")
    )
    console.print(_graph_line(report))
    top = report.top_errors()
    if top:
        errors = Table("reason", "count", title="top errors")
        for reason, count in top:
            errors.add_row(reason, f"{count:,}")
        console.print(errors)
    for line in _warning_lines(report):
        console.print(line)
    console.print(f"batch {report.batch_id}; report: {report.report_path}; problems: {report.rejects_path}")
    for failure in report.failures:
        console.print(f"[red]failed:[/] {failure}")


app = typer.Typer()
review_app = typer.Typer(
    name="review", help="Review entity-resolution candidates (POSSIBLY_SAME).", no_args_is_help=True
)


@app.command()
def ingest(
    bundle: Annotated[Path, typer.Argument(help="A bundle folder (docs/formats.md).", exists=True, file_okay=False)],
    mapping: Annotated[
        str | None,
        typer.Option(
            help="Column mapping YAML file, or the name of a shipped one (atf_source_recovery, roxanne_burglary)."
        ),
    ] = None,
    batch_size: Annotated[int | None, typer.Option(help="Rows per write batch.")] = None,
    source: Annotated[str | None, typer.Option(help="uid namespace (default: mapping source or folder name).")] = None,
    settings_file: Annotated[Path | None, typer.Option("--settings", help="Ingest settings YAML.")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    wait: Annotated[
        bool, typer.Option(help="If another ingest is writing into the data directory, wait for it (else stop).")
    ] = False,
    neo4j_import: Annotated[
        Path | None,
        typer.Option(help="Write neo4j-admin import files and import.sh here instead of loading (docs/neo4j.md)."),
    ] = None,
) -> None:
    """Load a bundle: parse, validate, normalise, resolve, load; print and save the report."""
    settings = STATE.settings.ingest  # [ingest] of armsgraph.toml / ARMSGRAPH_INGEST__*, then --settings YAML
    settings = settings_from_file(settings_file, settings) if settings_file else settings
    imports = str(neo4j_import) if neo4j_import else None
    settings = settings.replace(batch_size=batch_size, source=source, neo4j_import=imports)
    column_mapping = load_mapping(mapping) if mapping else None  # a malformed mapping stops before any store starts
    with store_session() as store, Bars(console, enabled=progress) as bars:
        store.apply_schema()
        report = ingest_bundle(store, bundle, column_mapping, progress=bars, settings=settings, wait=wait)
    print_report(report)
    if neo4j_import:
        console.print(f"import files written to {neo4j_import}: run {neo4j_import / 'import.sh'} DATABASE")
    if report.failed:
        raise typer.Exit(ExitCode.INCOMPLETE)


@review_app.command("list")
def review_list(
    status: Annotated[ReviewStatus, typer.Option(help="Which decisions to show.")] = ReviewStatus.pending,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
) -> None:
    """List candidates, best score first."""
    statuses = STATUSES if status is ReviewStatus.all else (status.value,)
    with store_session() as store:
        frame = list_candidates(store, statuses, limit)
    table = Table("label", "left", "right", "rule", "score", "status", title="POSSIBLY_SAME candidates")
    for row in frame.itertuples(index=False):
        table.add_row(
            str(row.label),
            f"{row.left_uid}\n{row.left_name}",
            f"{row.right_uid}\n{row.right_name}",
            str(row.rule),
            f"{row.score:.2f}",
            str(row.status),
        )
    console.print(table if len(frame) else f"no {status.value} candidates")


#: The arguments of ``review accept`` and ``review reject``.
Left = Annotated[str, typer.Argument(help="uid of one node")]
Right = Annotated[str, typer.Argument(help="uid of the other node")]
DecidedBy = Annotated[str, typer.Option(help="Who decides (recorded).")]


def _decide(left: str, right: str, status: str, by: str) -> None:
    with store_session() as store:
        count = decide(store, left, right, status, by)
    console.print(f"{status}: {left} ~ {right} ({count} candidate{'s' if count != 1 else ''})")


@review_app.command("accept")
def review_accept(left: Left, right: Right, by: DecidedBy = "cli") -> None:
    """Mark two nodes as the same entity (idempotent; nodes keep their own records)."""
    _decide(left, right, "accepted", by)


@review_app.command("reject")
def review_reject(left: Left, right: Right, by: DecidedBy = "cli") -> None:
    """Mark two nodes as different entities (idempotent)."""
    _decide(left, right, "rejected", by)

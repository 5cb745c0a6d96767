"""Ingest and review commands: ``armsgraph ingest BUNDLE`` and ``armsgraph review list|accept|reject``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from armsgraph.commands.common import STATE, console, store_session
from armsgraph.ingest.mapping import load_mapping
from armsgraph.ingest.pipeline import ingest_bundle, settings_from_file
from armsgraph.ingest.report import IngestReport
from armsgraph.ingest.review import STATUSES, decide, list_candidates


def print_report(report: IngestReport) -> None:
    """The ingest report as rich tables."""
    files = Table("file", "record types", "rows in", "accepted", "rejected", "skipped", "duplicates", title="rows")
    for f in report.files:
        files.add_row(
            f.file,
            ", ".join(f.record_types),
            f"{f.rows_in:,}",
            f"{f.accepted:,}",
            f"{f.rejected:,}",
            f"{f.skipped:,}",
            f"{f.duplicates:,}",
        )
    files.add_row(
        "[bold]total",
        "",
        f"{report.rows_in:,}",
        f"{report.accepted:,}",
        f"{report.rejected:,}",
        f"{report.skipped:,}",
        f"{report.duplicates:,}",
    )
    console.print(files)
    kinds = Table("record type", "read", "loaded", "skipped by filter", "duplicates", "rejected", title="records")
    for r in report.record_types:
        kinds.add_row(
            r.record_type, f"{r.read:,}", f"{r.loaded:,}", f"{r.skipped:,}", f"{r.duplicates:,}", f"{r.rejected:,}"
        )
    if report.record_types:
        console.print(kinds)
    console.print(
        f"entity resolution: {report.merged:,} records merged, {report.possibly_same:,} candidates for review"
        + (f", {report.rejected_links:,} links rejected" if report.rejected_links else "")
    )
    if report.nodes_created or report.relationships_created:
        console.print(
            f"graph: [green]{report.nodes_created:,} new nodes, {report.relationships_created:,} new "
            "relationships[/]"
            + (f" (resumed: {report.resumed_steps} batches already done)" if report.resumed_steps else "")
        )
    elif any(r.loaded for r in report.record_types):
        console.print(
            "graph: [yellow]0 new nodes, 0 new relationships[/] (every loaded record was already in the graph)"
        )
    else:
        console.print("graph: [red]0 new nodes, 0 new relationships: nothing was loaded[/]")
    top = report.top_errors()
    if top:
        errors = Table("reason", "count", title="top errors")
        for reason, count in top:
            errors.add_row(reason, f"{count:,}")
        console.print(errors)
    unused: dict[str, list[str]] = {}
    others = []
    for warning in report.warnings:
        if warning.column and warning.reason.endswith("is not used by the mapping"):
            unused.setdefault(warning.file, []).append(warning.column)
        else:
            others.append(warning)
    for file, columns in unused.items():  # one line per file (a 135-column table would fill the screen)
        shown = ", ".join(columns[:12]) + (f", ... ({len(columns) - 12} more)" if len(columns) > 12 else "")
        console.print(f"[yellow]warning:[/] {file}: {len(columns)} columns not used by the mapping: {escape(shown)}")
    for warning in others[:5]:
        where = f"{warning.file}{f':{warning.row}' if warning.row else ''}"
        console.print(f"[yellow]warning:[/] {escape(where)} {escape(warning.reason)}")
    if len(others) > 5:
        console.print(f"[yellow]... {len(others) - 5} more warnings[/] (all in the problems file)")
    console.print(f"batch {report.batch_id}; report: {report.report_path}; problems: {report.rejects_path}")
    for failure in report.failures:
        console.print(f"[red]failed:[/] {failure}")


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and ``review`` to ``app``."""

    @app.command()
    def ingest(
        bundle: Annotated[
            Path, typer.Argument(help="A bundle folder (docs/formats.md).", exists=True, file_okay=False)
        ],
        mapping: Annotated[
            str | None,
            typer.Option(
                help="Column mapping YAML file, or the name of a shipped one (atf_source_recovery, roxanne_burglary)."
            ),
        ] = None,
        batch_size: Annotated[int | None, typer.Option(help="Rows per write batch.")] = None,
        source: Annotated[
            str | None, typer.Option(help="uid namespace (default: mapping source or folder name).")
        ] = None,
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
        with store_session() as store:
            store.apply_schema()
            report = ingest_bundle(
                store, bundle, column_mapping, progress=progress, settings=settings, console=console, wait=wait
            )
        print_report(report)
        if neo4j_import:
            console.print(f"import files written to {neo4j_import}: run {neo4j_import / 'import.sh'} DATABASE")
        if report.failed:
            raise typer.Exit(1)

    review = typer.Typer(help="Review entity-resolution candidates (POSSIBLY_SAME).", no_args_is_help=True)
    app.add_typer(review, name="review")

    @review.command("list")
    def review_list(
        status: Annotated[str, typer.Option(help=f"{' / '.join(STATUSES)} / all")] = "pending",
        limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
    ) -> None:
        """List candidates, best score first."""
        statuses = STATUSES if status == "all" else (status,)
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
        console.print(table if len(frame) else f"no {status} candidates")

    def _decide(left: str, right: str, status: str, by: str) -> None:
        with store_session() as store:
            count = decide(store, left, right, status, by)
        console.print(f"{status}: {left} ~ {right} ({count} candidate{'s' if count != 1 else ''})")

    @review.command("accept")
    def review_accept(
        left: Annotated[str, typer.Argument(help="uid of one node")],
        right: Annotated[str, typer.Argument(help="uid of the other node")],
        by: Annotated[str, typer.Option(help="Who decides (recorded).")] = "cli",
    ) -> None:
        """Mark two nodes as the same entity (idempotent; nodes keep their own records)."""
        _decide(left, right, "accepted", by)

    @review.command("reject")
    def review_reject(
        left: Annotated[str, typer.Argument(help="uid of one node")],
        right: Annotated[str, typer.Argument(help="uid of the other node")],
        by: Annotated[str, typer.Option(help="Who decides (recorded).")] = "cli",
    ) -> None:
        """Mark two nodes as different entities (idempotent)."""
        _decide(left, right, "rejected", by)

"""``armsgraph brief`` (linked-case brief as Markdown, HTML or PDF) and ``armsgraph export`` (GEXF, GraphML, FtM)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from armsgraph import audit, private
from armsgraph.commands.common import STATE, console, store_session
from armsgraph.reports import exports
from armsgraph.reports.brief import Brief, build_brief


class BriefFormat(enum.StrEnum):
    """What ``armsgraph brief --format`` writes."""

    md = "md"
    html = "html"
    pdf = "pdf"


class ExportFormat(enum.StrEnum):
    """What ``armsgraph export --format`` writes."""

    gexf = "gexf"
    graphml = "graphml"
    ftm = "ftm"


#: File suffix of each export format.
EXPORT_SUFFIX = {ExportFormat.gexf: "gexf", ExportFormat.graphml: "graphml", ExportFormat.ftm: "jsonl"}

app = typer.Typer()


def brief_content(result: Brief, fmt: BriefFormat) -> str | bytes:
    """The brief in ``fmt``."""
    if fmt is BriefFormat.pdf:
        return result.pdf()
    return result.html() if fmt is BriefFormat.html else result.markdown


@app.command()
def brief(
    case_uid: Annotated[
        str,
        typer.Argument(
            help="The case uid, e.g. case:<source>:<case_id> (see `armsgraph query dashboard_cases -p limit=20`)."
        ),
    ],
    fmt: Annotated[BriefFormat, typer.Option("--format", help="Markdown, HTML or PDF.")] = BriefFormat.md,
    out: Annotated[Path | None, typer.Option(help="File to write (default: brief-<case>.<format>).")] = None,
) -> None:
    """Write the linked-case brief of one case, every statement cited to its source records."""
    with store_session() as store:
        result = build_brief(store, case_uid)
    target = out or Path(f"brief-{case_uid.replace(':', '_')}.{fmt.value}")
    content = brief_content(result, fmt)
    private.write_private(target, content, make_folder=False)  # 0600: it names suspects and informants
    audit.record(STATE.settings.data_dir, "cli", "admin", "brief", case_uid, {"format": fmt.value, "file": str(target)})
    console.print(
        f"brief of {case_uid}: {len(result.incidents)} incidents, {len(result.linked)} linked, "
        f"{len(result.sources)} cited records → {target}"
    )


@app.command()
def export(
    case_uid: Annotated[str, typer.Argument(help="Export the subgraph of this case's brief.")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="GEXF, GraphML or ftm (FollowTheMoney JSON Lines).")
    ] = ExportFormat.gexf,
    out: Annotated[Path | None, typer.Option(help="File to write.")] = None,
) -> None:
    """Export a case's subgraph for Gephi (GEXF/GraphML) or Aleph (FollowTheMoney)."""
    writers = {
        ExportFormat.gexf: exports.to_gexf,
        ExportFormat.graphml: exports.to_graphml,
        ExportFormat.ftm: exports.to_ftm_jsonl,
    }
    with store_session() as store:
        graph = exports.subgraph(store, build_brief(store, case_uid).graph.nodes)
    target = out or Path(f"{case_uid.replace(':', '_')}.{EXPORT_SUFFIX[fmt]}")
    private.write_private(target, writers[fmt](graph), make_folder=False)  # 0600
    audit.record(
        STATE.settings.data_dir, "cli", "admin", "export", case_uid, {"format": fmt.value, "file": str(target)}
    )
    console.print(f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} relationships → {target}")

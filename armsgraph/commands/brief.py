"""``armsgraph brief`` (linked-case brief as Markdown, HTML or PDF) and ``armsgraph export`` (GEXF, GraphML, FtM)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from armsgraph import audit, private
from armsgraph.commands.common import STATE, console, store_session
from armsgraph.reports.brief import build_brief

FORMATS = ("md", "html", "pdf")


def register(app: typer.Typer) -> None:
    """Add ``brief`` and ``export`` to ``app``."""
    register_export(app)

    @app.command()
    def brief(
        case_uid: Annotated[
            str,
            typer.Argument(
                help="The case uid, e.g. case:<source>:<case_id> (see `armsgraph query dashboard_cases -p limit=20`)."
            ),
        ],
        fmt: Annotated[str, typer.Option("--format", help="md, html or pdf.")] = "md",
        out: Annotated[Path | None, typer.Option(help="File to write (default: brief-<case>.<format>).")] = None,
    ) -> None:
        """Write the linked-case brief of one case, every statement cited to its source records."""
        if fmt not in FORMATS:
            raise typer.BadParameter(f"format must be one of {FORMATS}")
        with store_session() as store:
            result = build_brief(store, case_uid)
        target = out or Path(f"brief-{case_uid.replace(':', '_')}.{fmt}")
        content = result.pdf() if fmt == "pdf" else result.markdown if fmt == "md" else result.html()
        private.write_private(target, content, make_folder=False)  # 0600: it names suspects and informants
        audit.record(STATE.settings.data_dir, "cli", "admin", "brief", case_uid, {"format": fmt, "file": str(target)})
        console.print(
            f"brief of {case_uid}: {len(result.incidents)} incidents, {len(result.linked)} linked, "
            f"{len(result.sources)} cited records → {target}"
        )


def register_export(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    from armsgraph.reports import exports

    writers = {"gexf": exports.to_gexf, "graphml": exports.to_graphml, "ftm": exports.to_ftm_jsonl}

    @app.command()
    def export(
        case_uid: Annotated[str, typer.Argument(help="Export the subgraph of this case's brief.")],
        fmt: Annotated[
            str, typer.Option("--format", help="gexf, graphml or ftm (FollowTheMoney JSON Lines).")
        ] = "gexf",
        out: Annotated[Path | None, typer.Option(help="File to write.")] = None,
    ) -> None:
        """Export a case's subgraph for Gephi (GEXF/GraphML) or Aleph (FollowTheMoney)."""
        if fmt not in writers:
            raise typer.BadParameter(f"format must be one of {sorted(writers)}")
        with store_session() as store:
            graph = exports.subgraph(store, build_brief(store, case_uid).graph.nodes)
        target = out or Path(f"{case_uid.replace(':', '_')}.{'jsonl' if fmt == 'ftm' else fmt}")
        private.write_private(target, writers[fmt](graph), make_folder=False)  # 0600
        audit.record(STATE.settings.data_dir, "cli", "admin", "export", case_uid, {"format": fmt, "file": str(target)})
        console.print(f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} relationships → {target}")

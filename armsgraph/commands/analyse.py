"""Analytics commands: ``armsgraph analyse`` and ``armsgraph evaluate``."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from armsgraph.analytics import ANALYSES, run_all
from armsgraph.commands.common import STATE, console, store_session
from armsgraph.commands.progress import Bars


class Analysis(enum.StrEnum):
    """An analysis ``--only`` may name (armsgraph.analytics.ANALYSES, in its order)."""

    linking = "linking"
    networks = "networks"
    routes = "routes"
    diversion = "diversion"
    nexus = "nexus"
    hotspots = "hotspots"
    indicators = "indicators"


app = typer.Typer()


def _write_scores(output: Path | None, scores: Any) -> None:
    """``--output``: the scores as JSON."""
    if output is not None:
        output.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        console.print(f"scores written to {output}")


@app.command()
def analyse(
    only: Annotated[list[Analysis] | None, typer.Option(help="Run only these (repeat).")] = None,
    seed: Annotated[int, typer.Option(help="Seed for community detection and sampling.")] = 0,
    top: Annotated[int, typer.Option(help="Rows of each table to print.")] = 5,
    threshold: Annotated[
        float | None, typer.Option(help="Linking: match probability a pair needs to be LINKED (0-1).")
    ] = None,
    retrain: Annotated[
        bool, typer.Option("--retrain", help="Linking: re-estimate the model (m/u) instead of the stored one.")
    ] = False,
) -> None:
    """Run the analyses, write their results into the graph, and print the top of each table."""
    names = [a.value for a in only] if only else list(ANALYSES)
    results = {}
    with store_session() as store:
        if "linking" in names:  # run here so that --config, --threshold and --retrain reach it
            from armsgraph.analytics import linking

            config = STATE.options.get("config")
            results["linking"] = linking.analyse(store, seed=seed, threshold=threshold, retrain=retrain, config=config)
        rest = [n for n in names if n != "linking"]
        if rest:
            with Bars(console) as bars:
                results |= run_all(store, seed=seed, only=rest, progress=bars)
    for name, tables in results.items():
        for table_name, frame in tables.items():
            table = Table(*[str(c) for c in frame.columns[:8]], title=f"{name}: {table_name} ({len(frame):,} rows)")
            for row in frame.head(top).itertuples(index=False):
                table.add_row(*[str(v)[:40] for v in list(row)[:8]])
            console.print(table)


@app.command()
def evaluate(
    incidents: Annotated[int, typer.Option(help="Incidents in the generated scenario.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Scenario seed.")] = 7,
    noise: Annotated[list[float] | None, typer.Option(help="Noise levels (repeat), default 1 and 2.")] = None,
    output: Annotated[Path | None, typer.Option(help="Also write the scores as JSON here.")] = None,
    gtd: Annotated[
        Path | None,
        typer.Option(help="Instead: score linking on this file in GTD's layout against its `related` column."),
    ] = None,
    network: Annotated[
        Path | None, typer.Option(help="Instead: score communities on this edge list (source,target[,weight]).")
    ] = None,
    labels: Annotated[Path | None, typer.Option(help="With --network: the known groups (node,label).")] = None,
) -> None:
    """Generate a scenario, ingest, analyse, and score every analysis against the planted truth."""
    from armsgraph.analytics.evaluate import evaluate_scenario, evaluation_table

    if network is not None or labels is not None:
        from armsgraph.analytics.evaluate_network import evaluate_network, network_table

        if network is None or labels is None:
            raise typer.BadParameter("--network and --labels go together")
        found = evaluate_network(network, labels)
        console.print(network_table(found))
        _write_scores(output, found)
        return

    if gtd is not None:
        from armsgraph.analytics.evaluate_gtd import evaluate_gtd, gtd_table

        with Bars(console) as bars:
            real = evaluate_gtd(STATE.settings, gtd, progress=bars)
        console.print(gtd_table(real))
        _write_scores(output, real)
        return

    with Bars(console) as bars:
        levels = noise or [1.0, 2.0]
        scores = [evaluate_scenario(STATE.settings, incidents, seed, noise=level, progress=bars) for level in levels]
    console.print(evaluation_table(scores))
    _write_scores(output, scores)

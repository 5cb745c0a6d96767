"""The ``generate`` command: a synthetic scenario bundle with planted truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from armsgraph.commands.common import console
from armsgraph.commands.progress import Bars
from armsgraph.scenario.generate import generate_scenario

app = typer.Typer()


@app.command()
def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write the bundle (CSV files + truth.json) into.")],
    incidents: Annotated[int, typer.Option(help="Incident rows to write (1k … 1M).")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives byte-identical files.")] = 7,
    noise: Annotated[float, typer.Option(help="Noise factor: 0 clean, 1.0 realistic, 2.0 twice as noisy.")] = 1.0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Generate a scenario (networks, diversion, ballistics, nexus, cases, noise) with its truth.json."""
    with Bars(console, enabled=progress) as bars:
        folder = generate_scenario(out, incidents=incidents, seed=seed, noise=noise, progress=bars)
    files = sorted(p.name for p in folder.iterdir())
    console.print(f"wrote {incidents:,} incidents (seed {seed}, noise {noise}) to {folder}: {', '.join(files)}")

"""Progress bars for the command line: a rich display fed by the library's progress callback (armsgraph.progress)."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text


class _Speed(ProgressColumn):
    """Units per second of a task (rows/s while loading)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "-/s", style="progress.data.speed")


class Bars:
    """One bar per step the library reports, with done/total, speed and elapsed time.

    >>> with Bars(enabled=False) as bars:                      # doctest: +SKIP
    ...     ingest_bundle(store, bundle, progress=bars)
    """

    def __init__(self, console: Console | None = None, enabled: bool = True) -> None:
        self.display = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Speed(),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, step: str, advance: int, total: int | None = None, detail: str = "") -> None:
        task = self.tasks.get(step)
        if task is None:
            task = self.tasks[step] = self.display.add_task(step, total=total)
        elif total is not None:
            self.display.update(task, total=total)
        if detail:
            self.display.update(task, description=f"{step}: {detail}")
        self.display.advance(task, advance)

    def __enter__(self) -> Bars:
        self.display.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.display.stop()

"""Progress of long library calls, reported through a callback: the library never draws.

Ingest, the scenario generator and the analyses take ``progress: Progress | None`` and call it as
their work advances; the command line passes one that draws progress bars
(armsgraph/commands/progress.py), and tests or other programs pass nothing, or their own.

>>> seen = []
>>> def note(step: str, advance: int, total: int | None = None, detail: str = "") -> None:
...     seen.append((step, advance, total))
>>> report = reporter(note)
>>> report("load", 0, 10); report("load", 4)
>>> seen
[('load', 0, 10), ('load', 4, None)]
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "reporter", "silent"]


class Progress(Protocol):
    """A progress callback."""

    def __call__(self, step: str, advance: int, total: int | None = None, detail: str = "") -> None:
        """``step`` moved on by ``advance`` units (0 announces it); ``total``: its units when known;
        ``detail``: what it is doing now (an analysis's name)."""


def silent(step: str, advance: int, total: int | None = None, detail: str = "") -> None:
    """Progress that goes nowhere."""


def reporter(progress: Progress | bool | None) -> Progress:
    """The callback to call: ``progress`` itself, or :func:`silent` for None (and False, as older callers pass)."""
    return progress if callable(progress) else silent

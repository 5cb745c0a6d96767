"""Brief downloads: the formats a brief is offered in, and the audit record of a download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from armsgraph.access import SecureStore
from armsgraph.reports.brief import Brief

__all__ = ["FORMATS", "download"]


def _as_bytes(value: str | bytes | bytearray) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


#: Download formats: extension → (MIME type, render(brief) -> bytes).
FORMATS: dict[str, tuple[str, Callable[[Brief], bytes]]] = {
    "md": ("text/markdown", lambda brief: _as_bytes(brief.markdown)),
    "html": ("text/html", lambda brief: _as_bytes(brief.html())),
    "pdf": ("application/pdf", lambda brief: _as_bytes(brief.pdf())),
}


def download(store: Any, brief: Brief, fmt: str) -> bytes:
    """A brief's file in ``fmt``, audited as an export first: a refused export raises before anything is rendered."""
    if isinstance(store, SecureStore):
        store.export(f"brief.{fmt}", [brief.case_uid])
    return FORMATS[fmt][1](brief)

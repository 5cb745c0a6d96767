"""Brief downloads: the formats a brief is offered in, and the audit record of a download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from armsgraph.access import SecureStore
from armsgraph.reports.brief import Brief

__all__ = ["FORMATS", "record_download"]


def _as_bytes(value: str | bytes | bytearray) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


#: Download formats: extension → (MIME type, render(brief) -> bytes).
FORMATS: dict[str, tuple[str, Callable[[Brief], bytes]]] = {
    "md": ("text/markdown", lambda brief: _as_bytes(brief.markdown)),
    "html": ("text/html", lambda brief: _as_bytes(brief.html())),
    "pdf": ("application/pdf", lambda brief: _as_bytes(brief.pdf())),
}


def record_download(store: Any, case_uid: str, fmt: str) -> None:
    """Audit a brief download as an export (and let the access layer refuse it)."""
    if isinstance(store, SecureStore):
        store.export(f"brief.{fmt}", [case_uid])

"""The Case brief page's link to the brief builder (``armsgraph.dashboard.brief``, written separately).

The agreed shape: ``build_brief(store, case_uid) -> Brief`` with ``.markdown``,
``.html()`` and ``.pdf()``. Downloads are recorded in the audit log as exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from armsgraph.access import SecureStore
from armsgraph.dashboard import data
from armsgraph.dashboard.ui import optional_module

MODULE = "armsgraph.dashboard.brief"


def _as_bytes(value: str | bytes | bytearray) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


#: Download formats: extension → (MIME type, render(brief) -> bytes).
FORMATS: dict[str, tuple[str, Callable[[Any], bytes]]] = {
    "md": ("text/markdown", lambda brief: _as_bytes(brief.markdown)),
    "html": ("text/html", lambda brief: _as_bytes(brief.html())),
    "pdf": ("application/pdf", lambda brief: _as_bytes(brief.pdf())),
}


def available() -> bool:
    """True when the brief builder is installed."""
    return optional_module(MODULE) is not None


def build(store: data.Reader, case_uid: str) -> Any:
    """The brief of one case, built from what ``store`` lets the current user see."""
    module = optional_module(MODULE)
    if module is None:
        raise ModuleNotFoundError(MODULE)
    return module.build_brief(store, case_uid)


def record_download(store: data.Reader, case_uid: str, fmt: str) -> None:
    """Audit a brief download as an export (and let the access layer refuse it)."""
    if isinstance(store, SecureStore):
        store.export(f"brief.{fmt}", [case_uid])

"""Small layout helpers shared by the pages (no data access beyond the cached store)."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from armsgraph.dashboard import auth, geo
from armsgraph.dashboard.data import cache, network

#: Context colours used by every chart, so "terrorism" is the same red everywhere.
CONTEXT_COLOURS = {
    "illicit trafficking": "#4e79a7",
    "drug trafficking": "#f28e2b",
    "organised crime": "#b07aa1",
    "terrorism": "#e15759",
    "violent crime": "#edc948",
    "illicit possession": "#76b7b2",
    "administrative": "#bab0ac",
    "unknown": "#d3d3d3",
}


def store() -> cache.Reader:
    """The store as the signed-in user may see it."""
    return auth.reader()


def chart(fig: go.Figure, key: str | None = None) -> None:
    """Show a plotly figure with the offline map configuration and a clean margin.

    A figure that already has a top margin is not changed (the shared figures of
    :mod:`armsgraph.dashboard.charts` all have one).
    """
    if not fig.layout.margin.t:
        fig.update_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10})
    st.plotly_chart(fig, config=geo.PLOTLY_CONFIG, key=key, width="stretch")


def metrics(items: Sequence[tuple[str, str]], help_texts: Sequence[str | None] | None = None) -> None:
    """A row of big numbers: (label, formatted value) pairs."""
    columns = st.columns(len(items))
    helps = list(help_texts or [None] * len(items))
    for column, (label, value), help_text in zip(columns, items, helps, strict=True):
        column.metric(label, value, help=help_text, border=True)


def number(value: float | int | None, digits: int = 0) -> str:
    """A readable number ("—" when missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{value:,.{digits}f}"


def percent(value: float | None) -> str:
    """A share as a percentage ("—" when missing)."""
    return "—" if value is None else f"{100 * value:.1f}%"


def nothing_yet(what: str, hint: str = "") -> None:
    """Say plainly that there is nothing to show and what would fill the screen."""
    st.info(f"No {what} in the graph yet. {hint}".strip(), icon=":material/info:")


def entity_picker(label: str, key: str, placeholder: str = "name, serial, uid…") -> str | None:
    """Search box plus a choice among the matches; returns the chosen uid."""
    text = st.text_input(label, key=f"{key}_text", placeholder=placeholder)
    if not text:
        return None
    found = network.search(store(), text)
    if found.empty:
        st.caption(f"Nothing matches “{text}”.")
        return None
    options = found["uid"].tolist()
    captions = {  # namesakes told apart by what is recorded about them (date of birth, nationality…), not by uid
        str(
            r["uid"]
        ): f"{r['caption']} · {r['label']} · {r['about'] if isinstance(r['about'], str) and r['about'] else r['uid']}"
        for r in found.to_dict("records")
    }
    choice = st.selectbox(f"{label}: matches", options, key=f"{key}_choice", format_func=captions.__getitem__)
    return str(choice) if choice is not None else None


def optional_module(name: str) -> ModuleType | None:
    """A module written by another part of the project, when it is installed; None otherwise."""
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name) if found is not None else None


def data_dir() -> Path:
    """The data directory the dashboard serves (reports live under it)."""
    return auth.settings().data_dir


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md(value: object) -> str:
    """Record text made inert inside Markdown (no links, emphasis, HTML or directives from data)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))

"""The dashboard's one store connection, opened once per server process from the settings."""

from __future__ import annotations

import atexit

import streamlit as st

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import Settings, load_settings


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """Settings from ``ARMSGRAPH_*`` environment variables / ``ARMSGRAPH_CONFIG`` (set by ``armsgraph serve``)."""
    return load_settings()


@st.cache_resource(show_spinner="Connecting to the graph store…")
def get_store() -> GraphStore:
    """The configured store, connected once and closed when the server exits."""
    store = open_store(settings())
    atexit.register(store.close)
    return store

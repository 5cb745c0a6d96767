"""Who is using the dashboard: sign-in against ``<data_dir>/users.json`` and a reader bound to that user.

When the data directory has users (``armsgraph users add``), every page asks for a
sign-in and reads through :class:`armsgraph.access.SecureStore`, so roles, clearance
and case scope are enforced in the query layer and every read is audited. A data
directory without users (a fresh demo on a laptop) is single-user: the local user
reads as an admin, and ``armsgraph serve`` binds to 127.0.0.1 only.
"""

from __future__ import annotations

import streamlit as st

from armsgraph import audit, users
from armsgraph.access import Principal, SecureStore
from armsgraph.dashboard.connection import get_store, settings

#: The principal of a data directory without users (local, single-user use).
LOCAL = Principal("local", "admin", "secret")
_KEY = "armsgraph_principal"


def users_configured() -> bool:
    """True when the data directory has dashboard users (sign-in required)."""
    return users.users_path(settings().data_dir).exists()


def principal() -> Principal | None:
    """The signed-in principal; the local admin when no users are configured; None before sign-in."""
    if _KEY in st.session_state:
        found: Principal = st.session_state[_KEY]
        return found
    return None if users_configured() else LOCAL


def sign_in(name: str, password: str) -> Principal:
    """Check credentials (AccessDeniedError on failure), remember the principal and audit the login."""
    data_dir = settings().data_dir
    who = users.authenticate(data_dir, name, password)
    audit.record(data_dir, who.user, who.role, "login")
    st.session_state[_KEY] = who
    return who


def sign_out() -> None:
    """Forget the signed-in principal."""
    st.session_state.pop(_KEY, None)
    st.session_state.pop("armsgraph_reader", None)


def reader() -> SecureStore:
    """The store as the current principal may see it (one per browser session)."""
    who = principal()
    if who is None:
        raise RuntimeError("reader() needs a signed-in principal; app.py shows the sign-in page first")
    held: SecureStore | None = st.session_state.get("armsgraph_reader")
    if held is None or held.principal != who:
        held = SecureStore(get_store(), who, audit_dir=settings().data_dir)
        st.session_state["armsgraph_reader"] = held
    return held

"""Who is using the dashboard: sign-in against ``<data_dir>/users.json`` and a reader bound to that user.

When the data directory has users (``armsgraph users add``), every page asks for a sign-in
(throttled per user and per client, see :mod:`armsgraph.signin`) and reads through
:class:`armsgraph.access.SecureStore`, so roles, clearance and case scope are enforced in the
query layer and every read is audited. The signed-in user is read afresh from the users file at
every page run: a changed role, clearance or case list applies at once, a removed user, a reset
password or a sign-out elsewhere ends the session. A sign-in survives a page reload through a
signed cookie (``armsgraph_session``, SameSite=Strict, lifetime ``session_ttl_s``), written by a
script in the page and read from the request (``st.context.cookies``). A data directory without
users (a fresh demo on a laptop) is single-user: the local user reads as an admin, and
``armsgraph serve`` binds to 127.0.0.1 only.
"""

from __future__ import annotations

import json

import streamlit as st

from armsgraph import audit, signin, users
from armsgraph.access import Principal, SecureStore
from armsgraph.dashboard.connection import get_store, settings

#: The principal of a data directory without users (local, single-user use).
LOCAL = Principal("local", "admin", "secret")
COOKIE = "armsgraph_session"
_KEY = "armsgraph_principal"
_EPOCH = "armsgraph_session_epoch"
_COOKIE_TODO = "armsgraph_cookie_todo"  # a token to store in the browser ("" clears it)
_SIGNED_OUT = "armsgraph_signed_out"  # this browser session signed out: ignore the cookie it came with


def users_configured() -> bool:
    """True when the data directory has dashboard users (sign-in required)."""
    return users.users_path(settings().data_dir).exists()


def client() -> str:
    """The address the browser connects from (the per-client throttling key)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"


def session_cookie() -> str | None:
    """The session cookie the browser sent when it connected (a reload sends the stored one)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None


def _forget() -> None:
    for key in (_KEY, _EPOCH, "armsgraph_reader"):
        st.session_state.pop(key, None)


def _resume() -> Principal | None:
    """The principal of the session cookie this browser sent, if it is valid (a reload)."""
    token = session_cookie()
    if token is None or st.session_state.get(_SIGNED_OUT):
        return None
    data_dir = settings().data_dir
    who = users.principal_from_token(data_dir, token)
    if who is None:
        st.session_state[_COOKIE_TODO] = ""  # expired or revoked: drop it
        return None
    st.session_state[_KEY] = who
    st.session_state[_EPOCH] = users.session_epoch(data_dir, who.user)
    audit.record(data_dir, who.user, who.role, "session-resumed", client())
    return who


def principal() -> Principal | None:
    """The signed-in principal as the users file says now; the local admin when no users are configured;
    None before sign-in or once the user was removed, reset or signed out."""
    held: Principal | None = st.session_state.get(_KEY)
    if not users_configured():
        return held or LOCAL
    if held is None:
        return _resume()
    data_dir = settings().data_dir
    now = users.current(data_dir, held.user)
    epoch = st.session_state.get(_EPOCH)
    if now is None or (epoch is not None and epoch != users.session_epoch(data_dir, held.user)):
        _forget()
        st.session_state[_COOKIE_TODO] = ""
        return None
    if now != held:
        st.session_state[_KEY] = now  # role, clearance or cases changed: the reader is rebuilt
    return now


def sign_in(name: str, password: str) -> Principal:
    """Check credentials (throttled; AccessDeniedError on failure, audited either way), remember the
    principal and have the browser keep a signed session cookie."""
    data_dir = settings().data_dir
    who = signin.sign_in(data_dir, name, password, client(), signin.Policy.from_settings(settings()))
    st.session_state[_KEY] = who
    st.session_state[_EPOCH] = users.session_epoch(data_dir, who.user)
    st.session_state[_COOKIE_TODO] = users.issue_token(data_dir, who.user, settings().dashboard.session_ttl_s)
    st.session_state.pop(_SIGNED_OUT, None)
    return who


def sign_out() -> None:
    """Forget the signed-in principal, end the user's sessions (its cookies no longer verify), audit it."""
    who: Principal | None = st.session_state.get(_KEY)
    if who is not None and users_configured():
        data_dir = settings().data_dir
        users.end_sessions(data_dir, who.user)
        audit.record(data_dir, who.user, who.role, "logout", client())
    _forget()
    st.session_state[_SIGNED_OUT] = True
    st.session_state[_COOKIE_TODO] = ""


def keep_session() -> None:
    """Store (or clear) the session cookie in the browser when a sign-in or sign-out asked for it."""
    todo = st.session_state.pop(_COOKIE_TODO, None)
    if todo is None:
        return
    age = int(settings().dashboard.session_ttl_s) if todo else 0
    value = json.dumps(f"{COOKIE}={todo}; Path=/; Max-Age={age}; SameSite=Strict")  # a JS string literal
    st.html(
        f"<script>document.cookie = {value} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def reader() -> SecureStore:
    """The store as the current principal may see it (one per browser session, rebuilt when the user changes)."""
    who = principal()
    if who is None:
        raise RuntimeError("reader() needs a signed-in principal; app.py shows the sign-in page first")
    held: SecureStore | None = st.session_state.get("armsgraph_reader")
    if held is None or held.principal != who:
        held = SecureStore(get_store(), who, audit_dir=settings().data_dir)
        st.session_state["armsgraph_reader"] = held
    return held

"""Sign in: name and password of a dashboard user (created with `armsgraph users add`).

Failures are throttled per user and per client (a growing wait, then a temporary lockout) and
audited; the message does not say whether the user exists.
"""

import streamlit as st

from armsgraph.dashboard import auth
from armsgraph.errors import AccessDeniedError
from armsgraph.signin import SignInRefused

st.title("armsgraph")
with st.form("sign_in"):
    st.subheader("Sign in")
    name = st.text_input("User")
    password = st.text_input("Password", type="password")
    if st.form_submit_button("Sign in", type="primary"):
        try:
            auth.sign_in(name, password)
        except SignInRefused as exc:
            st.warning(str(exc), icon=":material/timer:")
        except AccessDeniedError as exc:
            st.error(str(exc))
        else:
            st.rerun()

"""The smallest Streamlit app: two pages with nothing to compute, the reference for dashboard load times.

Two pages, so that moving between them through the menu can be timed as well as a full reload.
"""

import streamlit as st


def reference() -> None:
    st.title("Reference")
    st.write("A page with nothing to compute.")


def other() -> None:
    st.title("Other")
    st.write("The page the menu is opened from.")


st.navigation([st.Page(reference, title="Reference", default=True), st.Page(other, title="Other")]).run()

"""The smallest Streamlit page: the reference for dashboard page-load times (Streamlit's own cost)."""

import streamlit as st

st.title("Reference")
st.write("A page with nothing to compute.")

"""Case brief: pick a case, preview its linked-case brief, download it as Markdown, HTML or PDF."""

from functools import partial

import streamlit as st

from armsgraph.dashboard import ui
from armsgraph.dashboard.data import casework
from armsgraph.reports import briefs, render

st.title("Case brief")
store = ui.store()
cases = casework.cases(store)
if cases.empty:
    ui.nothing_yet("cases", "Cases come from the `cases` file of a bundle.")
    st.stop()

titles = {
    case["uid"]: f"{case['title']} · {case['status'] or 'status unknown'} · {case['incidents']} incidents"
    for case in cases.to_dict("records")
}
case_uid = st.selectbox("Case", cases["uid"].tolist(), format_func=titles.__getitem__)
st.dataframe(cases[cases["uid"] == case_uid].drop(columns=["uid"]), hide_index=True, width="stretch")

brief = casework.case_brief(store, case_uid)
downloads = st.columns(len(briefs.FORMATS))
for column, (fmt, (mime, _)) in zip(downloads, briefs.FORMATS.items(), strict=True):
    column.download_button(  # rendered and audited when clicked (a PDF takes seconds); no rerun that could race it
        f"Download {fmt.upper()}", partial(briefs.download, store, brief, fmt), file_name=f"brief-{case_uid}.{fmt}",
        mime=mime, key=f"brief_{fmt}", icon=":material/download:", width="stretch", on_click="ignore",
    )  # fmt: skip
with st.container(border=True):
    st.markdown(render.markdown(brief, figures=False))
    for section in brief.sections:
        if section.figure:
            st.markdown(f"## {section.title}")
            svg = brief.figure(section.figure)
            if svg:
                st.image(svg, caption=section.caption)
            else:
                st.caption("nothing to draw")

"""armsgraph dashboard: sign-in when users exist, then the pages grouped by what users do.

Run with ``armsgraph serve`` (or ``streamlit run armsgraph/dashboard/app.py`` with
``server.enableStaticServing`` on, for the offline maps).
"""

from pathlib import Path

import streamlit as st

from armsgraph import audit
from armsgraph.dashboard import auth, menu
from armsgraph.errors import AccessDeniedError, StoreUnavailableError

#: One file per page. Deliberately not ``pages/``: Streamlit treats a ``pages/`` folder beside the
#: entry script as a legacy multipage app and runs the first session of a fresh server straight
#: from that folder, skipping this file (and its sign-in gate and page configuration).
PAGES = Path(__file__).with_name("views")
FAVICON = Path(__file__).with_name("static") / "favicon.png"


def page(file: str, title: str, icon: str, default: bool = False, visible: bool = True) -> st.Page:
    """A page of the dashboard by file name (``visible=False``: reachable by URL, not in the menu)."""
    return st.Page(
        PAGES / file,
        title=title,
        icon=f":material/{icon}:",
        default=default,
        visibility="visible" if visible else "hidden",
    )


#: Tables and charts offer no download or clipboard copy of their own (Streamlit's element toolbar):
#: data leaves the dashboard only through its download buttons, which are audited and make formula
#: cells inert. ``armsgraph serve`` sets this on the command line; a plain ``streamlit run`` gets it
#: here, before anything is drawn, and reruns, as the browser learns client options at the next run.
NO_BUILT_IN_EXPORT = "client.disableDataExport"
if not st.get_option(NO_BUILT_IN_EXPORT):
    st.set_option(NO_BUILT_IN_EXPORT, True)
    st.rerun()

st.set_page_config(page_title="armsgraph", page_icon=str(FAVICON), layout="wide")

if auth.principal() is None:
    navigation = st.navigation([page("sign_in.py", "Sign in", "login", default=True)], position="hidden")
else:
    who = auth.principal() or auth.LOCAL

    def listed(file: str, title: str, icon: str, default: bool = False) -> st.Page:
        """A page in this role's menu when the role may use it; else reachable by URL only (with a refusal)."""
        return page(file, title, icon, default=default, visible=menu.shows(who.role, file))

    groups = {
        "Intelligence": [
            listed("overview.py", "Overview", "dashboard", default=True),
            listed("network_explorer.py", "Network explorer", "hub"),
            listed("key_players.py", "Key players", "person_search"),
            listed("linked_incidents.py", "Linked incidents", "link"),
            listed("nexus.py", "Nexus", "join_inner"),
            listed("timeline.py", "Timeline", "timeline"),
        ],
        "Flows": [
            listed("routes_flows.py", "Routes & flows", "route"),
            listed("hotspots.py", "Hotspots", "location_on"),
            listed("tracing.py", "Tracing", "manage_search"),
            listed("indicators.py", "Indicators", "monitoring"),
        ],
        "Casework": [
            listed("case_brief.py", "Case brief", "gavel"),
            listed("review.py", "Review", "rule"),
            listed("data_quality.py", "Data quality", "fact_check"),
        ],
    }
    audit_log = listed("audit_log.py", "Audit log", "policy")
    if who.role == "admin":
        groups["Administration"] = [audit_log]
    else:  # not in the menu; its URL still answers, with the page's own (audited) refusal
        groups["Casework"].append(audit_log)
    navigation = st.navigation(groups, expanded=True)  # every page the role may use, none behind 'View more'
    with st.sidebar:
        st.caption(f"Signed in as **{who.user}** ({who.role}, {who.clearance})")
        if auth.users_configured() and st.button("Sign out", icon=":material/logout:"):
            auth.sign_out()
            st.rerun()

auth.keep_session()  # the signed session cookie: stored after a sign-in, cleared after a sign-out
try:
    navigation.run()
except AccessDeniedError as exc:
    st.warning(f"Your role may not see this page: {exc}", icon=":material/lock:")
except StoreUnavailableError as exc:
    st.error(f"The graph store is not reachable: {exc}", icon=":material/cloud_off:")
finally:
    audit.sync()  # the page's views and queries made durable in one fsync

"""Reports: linked-case briefs (Markdown, HTML, PDF) and exports (CSV, GEXF, GraphML, FtM-shaped JSON).

Used by the CLI (``armsgraph brief``, ``armsgraph export``) and the dashboard alike; reads go
through named queries, so a :class:`~armsgraph.access.SecureStore` applies the reader's rights.
"""

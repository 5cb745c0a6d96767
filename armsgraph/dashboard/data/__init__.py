"""What the dashboard shows, as importable functions: named reads in, DataFrames out, one module per page group.

- :mod:`.cache`: the store's cache key, ``cached`` / ``shared`` (Streamlit caches, every call by a user
  audited) and ``clear_cache``.
- :mod:`.frames`: helpers on frames every group uses (histograms, month series, durations) and the limits
  of what a page lists.
- :mod:`.overview` (Overview, Indicators), :mod:`.network` (Network explorer, Timeline, search),
  :mod:`.linked` (Linked incidents), :mod:`.nexus` (Nexus), :mod:`.flows` (Routes & flows, Hotspots),
  :mod:`.tracing` (Tracing), :mod:`.casework` (Case brief, Review).

Every function takes the store first and is cached (keyed by the store's identity, not its
connection, so tests with different stores never share results). Pages call these and only lay
out the results; there is no Cypher and no business logic in a page. The one write (a review
decision) clears the cache.
"""

"""The synthetic scenario generator: a bundle of records with planted truth (``armsgraph generate``).

See :func:`armsgraph.scenario.generate.generate_scenario` and ``docs/scenario.md``.
"""

"""Ingest: record files (or any table + a column mapping) into the graph.

Stages: parse → validate → normalise (:mod:`~armsgraph.ingest.collect`, row by row) →
``resolve`` → ``build`` → ``load``; :func:`ingest_bundle` runs them all and returns an
:class:`IngestReport`. Formats: docs/formats.md; mappings: docs/mappings.md.
"""

from __future__ import annotations

from armsgraph.ingest.pipeline import IngestSettings, ingest_bundle
from armsgraph.ingest.report import IngestReport, RowError, load_reports

__all__ = ["IngestReport", "IngestSettings", "RowError", "ingest_bundle", "load_reports"]

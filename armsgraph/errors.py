"""One exceptions module: every error armsgraph raises derives from ArmsgraphError."""

from __future__ import annotations


class ArmsgraphError(Exception):
    """Base class of every armsgraph error."""


class SettingsError(ArmsgraphError):
    """A setting is missing, malformed or contradictory."""


class SchemaError(ArmsgraphError):
    """The graph model YAML is inconsistent; the message names the file and field."""


class QueryNotFoundError(ArmsgraphError):
    """A named Cypher statement does not exist in cypher/."""


class StoreError(ArmsgraphError):
    """A graph store refused or failed an operation."""


class StoreUnavailableError(StoreError):
    """The graph store cannot be reached or started."""


class QueryTimeoutError(StoreError):
    """The graph server ended a query at its time limit."""


class ModelViolationError(StoreError):
    """A write names a label, relationship type or property the model does not allow."""


class IngestError(ArmsgraphError):
    """A bundle, file or mapping cannot be ingested at all (row errors are reported, not raised)."""


class MappingError(IngestError):
    """A column mapping YAML is malformed."""


class InvalidValueError(IngestError):
    """A value cannot be normalised by its type's ``clean()``; the message says why (the row is reported)."""


class AnalyticsError(ArmsgraphError):
    """An analysis cannot run on the given projection or settings."""


class AccessDeniedError(ArmsgraphError):
    """The current role may not read or export what was asked."""


class ParameterError(ArmsgraphError):
    """A query parameter has a name that is not an identifier, or a value that is not plain data."""

"""Logging for the command line: the one place that configures it (library layers only log).

``armsgraph --log-level DEBUG`` (or ``ARMSGRAPH_LOG_LEVEL``) shows armsgraph's messages at that level
and above on standard error: each graph statement (name, rows, ms) at DEBUG, one summary per ingest
stage and analysis at INFO. Other libraries' loggers are left as they are.
"""

from __future__ import annotations

import enum
import logging
import sys

#: The handler this module installed (replaced, not added again, when configured twice).
_HANDLER_NAME = "armsgraph-cli"


class LogLevel(enum.StrEnum):
    """What ``--log-level`` shows."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


def configure_logging(level: LogLevel | str = LogLevel.WARNING) -> None:
    """armsgraph's loggers at ``level`` and above to standard error, one line each."""
    logger = logging.getLogger("armsgraph")
    logger.setLevel(LogLevel(str(level).upper()).value)
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)

"""armsgraph: a graph intelligence engine for illicit firearms trafficking."""

__version__ = "0.1.0"

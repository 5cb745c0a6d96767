"""``python -m armsgraph`` runs the CLI."""

from armsgraph.cli import main

main()

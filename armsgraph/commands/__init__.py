"""CLI command groups: each module defines its commands on a module-level ``typer.Typer()`` (``app``);
``armsgraph.cli`` adds them to the root command. ``exits`` holds the exit codes (docs/cli.md)."""

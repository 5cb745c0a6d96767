"""Audit and user commands: verify the hash chain, show entries, manage dashboard users."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from armsgraph import audit
from armsgraph.commands.common import STATE, console


def register(app: typer.Typer) -> None:
    """Add the ``audit`` and ``users`` command groups to ``app``."""
    register_users(app)
    group = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    app.add_typer(group, name="audit")

    @group.command()
    def verify() -> None:
        """Check the HMAC chain and the checkpoint; exit code 1 if any entry was changed, removed, reordered or
        forged, or entries were removed from the end."""
        verdict = audit.verify(STATE.settings.data_dir)
        if verdict.ok:
            console.print(f"audit log intact: {verdict.checked:,} entries")
            return
        console.print(f"[bold red]audit log broken[/] after {verdict.checked:,} good entries: {verdict.reason}")
        raise typer.Exit(1)

    @group.command()
    def show(last: Annotated[int, typer.Option(help="How many recent entries.")] = 20) -> None:
        """Print the most recent entries."""
        rows = list(audit.entries(STATE.settings.data_dir))[-last:]
        columns = ("seq", "time", "user", "role", "action", "target", "params")
        table = Table(*columns)
        for e in rows:
            if "unreadable" in e:
                table.add_row("?", "", "", "", "(unreadable)", f"line {e['line']}", e["unreadable"][:200])
            else:
                table.add_row(
                    *(str(e.get(k, "")) for k in ("seq", "time", "user", "role", "action", "target", "params"))
                )
        console.print(table)


def register_users(app: typer.Typer) -> None:
    """Add the ``users`` command group to ``app``."""
    from armsgraph import users

    group = typer.Typer(help="Dashboard users (roles, clearance, cases).", no_args_is_help=True)
    app.add_typer(group, name="users")

    @group.command("add")
    def add(
        name: str,
        role: Annotated[str, typer.Option(help="admin, analyst, prosecutor or programme.")],
        clearance: Annotated[str, typer.Option(help="public, restricted, confidential or secret.")] = "restricted",
        case: Annotated[list[str] | None, typer.Option(help="Case uid a prosecutor may see (repeat).")] = None,
    ) -> None:
        """Create a user; the generated password is printed once. The first user ends local single-user mode."""
        first = not users.users_path(STATE.settings.data_dir).exists()
        password = users.add_user(STATE.settings.data_dir, name, role, clearance, case)
        audit.record(
            STATE.settings.data_dir, "cli", "admin", "user-add", name,
            {"role": role, "clearance": clearance, "cases": sorted(case or [])},
        )  # fmt: skip
        console.print(f"user [bold]{name}[/] ({role}, {clearance}) password: [bold]{password}[/]")
        if first:
            console.print(
                "sign-in is now required: the dashboard's local single-user mode is off (reload an open dashboard)"
            )

    @group.command("change")
    def change(
        name: str,
        role: Annotated[str | None, typer.Option(help="admin, analyst, prosecutor or programme.")] = None,
        clearance: Annotated[str | None, typer.Option(help="public, restricted, confidential or secret.")] = None,
        case: Annotated[
            list[str] | None, typer.Option(help="Case uid a prosecutor may see (repeat; replaces).")
        ] = None,
    ) -> None:
        """Change a user's role, clearance or cases; an open dashboard session follows at its next page run."""
        who = users.change_user(STATE.settings.data_dir, name, role, clearance, case)
        params = {"role": who.role, "clearance": who.clearance, "cases": sorted(who.cases)}
        audit.record(STATE.settings.data_dir, "cli", "admin", "user-change", name, params)
        console.print(f"user [bold]{name}[/]: {who.role}, {who.clearance}, cases {', '.join(sorted(who.cases)) or '-'}")

    @group.command("reset")
    def reset(name: str) -> None:
        """Give a user a new generated password (printed once); the user's open sessions end."""
        password = users.reset_password(STATE.settings.data_dir, name)
        audit.record(STATE.settings.data_dir, "cli", "admin", "user-reset", name)
        console.print(f"user [bold]{name}[/] new password: [bold]{password}[/]")

    @group.command("remove")
    def remove(name: str) -> None:
        """Remove a user; an open dashboard session of that user ends at its next page run."""
        users.remove_user(STATE.settings.data_dir, name)
        audit.record(STATE.settings.data_dir, "cli", "admin", "user-remove", name)
        console.print(f"user [bold]{name}[/] removed")

    @group.command("list")
    def list_() -> None:
        """List users (never their passwords)."""
        table = Table("user", "role", "clearance", "cases")
        for u in users.list_users(STATE.settings.data_dir):
            table.add_row(u["user"], u["role"], u["clearance"], ", ".join(u["cases"]))
        console.print(table)

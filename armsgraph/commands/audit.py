"""Audit and user commands: verify the hash chain, show entries, manage dashboard users."""

from __future__ import annotations

import enum
from typing import Annotated

import typer
from rich.table import Table

from armsgraph import audit, users
from armsgraph.commands.common import STATE, console
from armsgraph.commands.exits import ExitCode


class Role(enum.StrEnum):
    """A dashboard user's role (armsgraph.access.ROLES)."""

    admin = "admin"
    analyst = "analyst"
    prosecutor = "prosecutor"
    programme = "programme"


class Clearance(enum.StrEnum):
    """A dashboard user's clearance, lowest first (armsgraph.access.LEVELS)."""

    public = "public"
    restricted = "restricted"
    confidential = "confidential"
    secret = "secret"  # noqa: S105 (a clearance level, not a password)


app = typer.Typer(name="audit", help="The tamper-evident audit log.", no_args_is_help=True)
users_app = typer.Typer(name="users", help="Dashboard users (roles, clearance, cases).", no_args_is_help=True)

_COLUMNS = ("seq", "time", "user", "role", "action", "target", "params")


@app.command()
def verify() -> None:
    """Check the HMAC chain and the checkpoint; exit code 1 if any entry was changed, removed, reordered or
    forged, or entries were removed from the end."""
    verdict = audit.verify(STATE.settings.data_dir)
    if verdict.ok:
        console.print(f"audit log intact: {verdict.checked:,} entries")
        return
    console.print(f"[bold red]audit log broken[/] after {verdict.checked:,} good entries: {verdict.reason}")
    raise typer.Exit(ExitCode.INCOMPLETE)


@app.command()
def show(last: Annotated[int, typer.Option(help="How many recent entries.")] = 20) -> None:
    """Print the most recent entries."""
    rows = list(audit.entries(STATE.settings.data_dir))[-last:]
    table = Table(*_COLUMNS)
    for e in rows:
        if "unreadable" in e:
            table.add_row("?", "", "", "", "(unreadable)", f"line {e['line']}", e["unreadable"][:200])
        else:
            table.add_row(*(str(e.get(k, "")) for k in _COLUMNS))
    console.print(table)


@users_app.command("add")
def add(
    name: str,
    role: Annotated[Role, typer.Option(help="What the user may do (docs/dashboard.md).")],
    clearance: Annotated[Clearance, typer.Option(help="The most sensitive level the user may see.")] = (
        Clearance.restricted
    ),
    case: Annotated[list[str] | None, typer.Option(help="Case uid a prosecutor may see (repeat).")] = None,
) -> None:
    """Create a user; the generated password is printed once. The first user ends local single-user mode."""
    data_dir = STATE.settings.data_dir
    first = not users.users_path(data_dir).exists()
    password = users.add_user(data_dir, name, role.value, clearance.value, case)
    params = {"role": role.value, "clearance": clearance.value, "cases": sorted(case or [])}
    audit.record(data_dir, "cli", "admin", "user-add", name, params)
    console.print(f"user [bold]{name}[/] ({role.value}, {clearance.value}) password: [bold]{password}[/]")
    if first:
        console.print(
            "sign-in is now required: the dashboard's local single-user mode is off (reload an open dashboard)"
        )


@users_app.command("change")
def change(
    name: str,
    role: Annotated[Role | None, typer.Option(help="What the user may do (docs/dashboard.md).")] = None,
    clearance: Annotated[Clearance | None, typer.Option(help="The most sensitive level the user may see.")] = None,
    case: Annotated[list[str] | None, typer.Option(help="Case uid a prosecutor may see (repeat; replaces).")] = None,
) -> None:
    """Change a user's role, clearance or cases; an open dashboard session follows at its next page run."""
    role_name = role.value if role else None
    level = clearance.value if clearance else None
    who = users.change_user(STATE.settings.data_dir, name, role_name, level, case)
    params = {"role": who.role, "clearance": who.clearance, "cases": sorted(who.cases)}
    audit.record(STATE.settings.data_dir, "cli", "admin", "user-change", name, params)
    console.print(f"user [bold]{name}[/]: {who.role}, {who.clearance}, cases {', '.join(sorted(who.cases)) or '-'}")


@users_app.command("reset")
def reset(name: str) -> None:
    """Give a user a new generated password (printed once); the user's open sessions end."""
    password = users.reset_password(STATE.settings.data_dir, name)
    audit.record(STATE.settings.data_dir, "cli", "admin", "user-reset", name)
    console.print(f"user [bold]{name}[/] new password: [bold]{password}[/]")


@users_app.command("remove")
def remove(name: str) -> None:
    """Remove a user; an open dashboard session of that user ends at its next page run."""
    users.remove_user(STATE.settings.data_dir, name)
    audit.record(STATE.settings.data_dir, "cli", "admin", "user-remove", name)
    console.print(f"user [bold]{name}[/] removed")


@users_app.command("list")
def list_() -> None:
    """List users (never their passwords)."""
    table = Table("user", "role", "clearance", "cases")
    for u in users.list_users(STATE.settings.data_dir):
        table.add_row(u["user"], u["role"], u["clearance"], ", ".join(u["cases"]))
    console.print(table)

"""Dashboard sign-in with throttling: a growing wait, then a temporary lockout, per user and per client.

Each failure counts against the user name tried and against the client address it came from.
After ``free_failures`` failures each further attempt must wait ``delay_s`` seconds, doubling with
each failure up to ``max_delay_s``; at ``lockout_failures`` the user (or client) is locked out for
``lockout_s`` seconds, during which even the correct password is refused. The lockout ends by
itself and the count starts again; a successful sign-in clears the user's count. An attempt made
too early is refused without looking at the password. Every attempt is audited: ``login``,
``login-failed`` (wrong credentials) or ``login-refused`` (throttled or locked), with the client.

The counts live in ``<data_dir>/signin/throttle.json`` under a file lock, so every dashboard
process and browser session shares them and a restart does not reset them.
"""

from __future__ import annotations

import fcntl
import json
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armsgraph import audit, private, users
from armsgraph.access import Principal
from armsgraph.errors import AccessDeniedError
from armsgraph.settings import Settings

#: Longest user name written to the audit log for a failed attempt (whatever was typed).
NAME_SHOWN = 64


@dataclass(frozen=True)
class Policy:
    """How sign-in failures are throttled (see the module docstring)."""

    free_failures: int = 3
    delay_s: float = 1.0
    max_delay_s: float = 60.0
    lockout_failures: int = 10
    lockout_s: float = 900.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The policy the settings configure."""
        dashboard = settings.dashboard
        return cls(
            dashboard.signin_free_failures,
            dashboard.signin_delay_s,
            dashboard.signin_max_delay_s,
            dashboard.signin_lockout_failures,
            dashboard.signin_lockout_s,
        )

    def wait_after(self, failures: int) -> float:
        """Seconds the next attempt must wait after ``failures`` failures (before the lockout)."""
        extra = failures - self.free_failures
        return 0.0 if extra <= 0 else min(self.delay_s * 2 ** (extra - 1), self.max_delay_s)


class SignInRefused(AccessDeniedError):
    """An attempt made while its user or client must wait or is locked out; ``retry_after_s`` says how long."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def _state_path(data_dir: Path) -> Path:
    return private.data_folder(data_dir, "signin") / "throttle.json"


@contextmanager
def _state(data_dir: Path) -> Iterator[dict[str, dict[str, Any]]]:
    path = _state_path(data_dir)
    with private.open_private(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            state = {}
        try:
            yield state
        finally:  # a failure is recorded as it is raised
            private.write_private(path, json.dumps(state, sort_keys=True))


def _keys(name: str, client: str) -> tuple[str, str]:
    return f"user:{name}", f"client:{client}"


def _blocked(entry: dict[str, Any] | None, now: float) -> tuple[str, float] | None:
    """("locked"|"wait", seconds left) when ``entry`` may not try now."""
    if not entry:
        return None
    if entry.get("locked_until", 0) > now:
        return "locked", entry["locked_until"] - now
    if entry.get("next_at", 0) > now:
        return "wait", entry["next_at"] - now
    return None


def _fail(state: dict[str, dict[str, Any]], key: str, policy: Policy, now: float) -> int:
    entry = state.get(key, {})
    if entry.get("locked_until", 0) and entry["locked_until"] <= now:
        entry = {}  # the lockout is over: counting starts again
    failures = entry.get("failures", 0) + 1
    entry = {"failures": failures, "next_at": now + policy.wait_after(failures), "locked_until": 0}
    if failures >= policy.lockout_failures:
        entry["locked_until"] = now + policy.lockout_s
    state[key] = entry
    return failures


def sign_in(
    data_dir: Path, name: str, password: str, client: str, policy: Policy, now: float | None = None
) -> Principal:
    """The principal for valid credentials when neither the user nor the client is throttled.

    Raises :class:`SignInRefused` (too early, or locked out) or AccessDeniedError (wrong user or
    password, one message for both); every outcome is audited.
    """
    now = time.time() if now is None else now
    shown = name[:NAME_SHOWN]
    with _state(data_dir) as state:
        user_key, client_key = _keys(name, client)
        for key, who in ((user_key, "this user"), (client_key, "this client")):
            blocked = _blocked(state.get(key), now)
            if blocked is not None:
                why, left = blocked
                audit.record(data_dir, shown, "", "login-refused", client, {"reason": f"{why} ({who})"})
                text = "locked out" if why == "locked" else "must wait"
                raise SignInRefused(
                    f"too many failed sign-ins: {who} is {text}; try again in {math.ceil(left)} s", left
                )
        try:
            who_signed = users.authenticate(data_dir, name, password)
        except AccessDeniedError:
            failures = _fail(state, user_key, policy, now)
            _fail(state, client_key, policy, now)
            locked = failures >= policy.lockout_failures
            audit.record(data_dir, shown, "", "login-failed", client, {"failures": failures, "locked_out": locked})
            raise
        state.pop(user_key, None)
        audit.record(data_dir, who_signed.user, who_signed.role, "login", client)
        return who_signed

"""Dashboard users: roles, clearance, cases, scrypt-hashed passwords, and signed session tokens.

No password is ever stored or written in code: ``armsgraph users add`` (or ``reset``) generates
one and prints it once; only its salted scrypt hash is kept (``<data_dir>/users.json``, mode 0600).
Each user has a session ``epoch``: resetting the password, removing the user or signing out
changes it, which ends every session of that user. A session token names the user, the epoch and
an expiry, signed (HMAC-SHA256) with a key in the secrets folder; :func:`principal_from_token`
reads the user's role, clearance and cases afresh from the file, so a change takes effect at the
next page run.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from armsgraph import private
from armsgraph.access import Principal
from armsgraph.errors import AccessDeniedError, SettingsError

_N, _R, _P = 2**14, 8, 1
SESSION_KEY = "session"
GENERIC_REFUSAL = "unknown user or wrong password"


def users_path(data_dir: Path) -> Path:
    """The users file of a data directory."""
    return Path(data_dir) / "users.json"


def _hash(password: str, salt: bytes) -> str:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32).hex()


def _load(data_dir: Path) -> dict[str, dict[str, Any]]:
    path = users_path(data_dir)
    if not path.exists():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _save(data_dir: Path, users: dict[str, dict[str, Any]]) -> None:
    private.data_folder(data_dir)
    private.write_private(users_path(data_dir), json.dumps(users, indent=2, sort_keys=True))


@contextmanager
def _changing(data_dir: Path) -> Iterator[dict[str, dict[str, Any]]]:
    """The users, to change and save under a lock (two `users` commands at once lose nothing)."""
    folder = private.data_folder(data_dir)
    with private.open_private(folder / ".users.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        users = _load(data_dir)
        yield users
        _save(data_dir, users)


def _known(users: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    if name not in users:
        raise SettingsError(f"no dashboard user {name!r} (armsgraph users list)")
    return users[name]


def _credentials(password: str) -> dict[str, str]:
    salt = secrets.token_bytes(16)
    return {"salt": salt.hex(), "hash": _hash(password, salt), "epoch": secrets.token_hex(8)}


def add_user(
    data_dir: Path,
    name: str,
    role: str,
    clearance: str = "restricted",
    cases: list[str] | None = None,
    password: str | None = None,
) -> str:
    """Create or replace a user; returns the password (generated unless given)."""
    Principal(name, role, clearance, frozenset(cases or ()))  # validates role and clearance
    password = password or secrets.token_urlsafe(12)
    with _changing(data_dir) as users:
        users[name] = {"role": role, "clearance": clearance, "cases": sorted(cases or []), **_credentials(password)}
    return password


def change_user(
    data_dir: Path,
    name: str,
    role: str | None = None,
    clearance: str | None = None,
    cases: list[str] | None = None,
) -> Principal:
    """Change a user's role, clearance or cases (None keeps each); open sessions see it at their next page run."""
    with _changing(data_dir) as users:
        user = _known(users, name)
        changed: dict[str, Any] = {
            "role": role or user["role"],
            "clearance": clearance or user["clearance"],
            "cases": sorted(cases) if cases is not None else user["cases"],
        }
        Principal(name, changed["role"], changed["clearance"], frozenset(changed["cases"]))  # validates
        user.update(changed)
    return _principal(name, user)


def reset_password(data_dir: Path, name: str, password: str | None = None) -> str:
    """A new password for ``name`` (generated unless given); every session of the user ends."""
    password = password or secrets.token_urlsafe(12)
    with _changing(data_dir) as users:
        _known(users, name).update(_credentials(password))
    return password


def remove_user(data_dir: Path, name: str) -> None:
    """Remove ``name``; an open session of that user ends at its next page run."""
    with _changing(data_dir) as users:
        _known(users, name)
        del users[name]


def end_sessions(data_dir: Path, name: str) -> None:
    """End every session of ``name`` (sign-out): tokens issued before no longer verify."""
    with _changing(data_dir) as users:
        if name in users:
            users[name]["epoch"] = secrets.token_hex(8)


def authenticate(data_dir: Path, name: str, password: str) -> Principal:
    """The principal for valid credentials; AccessDeniedError otherwise (same message either way)."""
    user = _load(data_dir).get(name)
    if user is None:
        _hash(password, b"0" * 16)  # same work whether or not the user exists
        raise AccessDeniedError(GENERIC_REFUSAL)
    if not hmac.compare_digest(_hash(password, bytes.fromhex(user["salt"])), user["hash"]):
        raise AccessDeniedError(GENERIC_REFUSAL)
    return _principal(name, user)


def _principal(name: str, user: dict[str, Any]) -> Principal:
    return Principal(name, user["role"], user["clearance"], frozenset(user["cases"]))


def current(data_dir: Path, name: str) -> Principal | None:
    """The principal ``name`` is now (role, clearance, cases as the file says); None once removed."""
    user = _load(data_dir).get(name)
    return None if user is None else _principal(name, user)


def list_users(data_dir: Path) -> list[dict[str, Any]]:
    """Users without their secrets."""
    return [
        {"user": name, "role": u["role"], "clearance": u["clearance"], "cases": u["cases"]}
        for name, u in sorted(_load(data_dir).items())
    ]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(data_dir: Path, payload: str) -> str:
    return _b64(hmac.new(private.key(data_dir, SESSION_KEY), payload.encode("ascii"), hashlib.sha256).digest())


def issue_token(data_dir: Path, name: str, ttl_s: float, now: float | None = None) -> str:
    """A signed token that signs ``name`` in until ``ttl_s`` seconds from now (or a reset, removal, sign-out)."""
    user = _known(_load(data_dir), name)
    expires = int((time.time() if now is None else now) + ttl_s)
    payload = _b64(json.dumps([name, user.get("epoch", ""), expires], separators=(",", ":")).encode("utf-8"))
    return f"{payload}.{_sign(data_dir, payload)}"


def principal_from_token(data_dir: Path, token: str, now: float | None = None) -> Principal | None:
    """The principal a token signs in, read afresh from the users file; None when the token is forged,
    expired, or its user was removed, reset or signed out since."""
    payload, _, mac = str(token).partition(".")
    if not payload or not mac or private.read_key(data_dir, SESSION_KEY) is None:
        return None
    try:
        # the text itself is compared: base64 has several spellings of the last bytes, and a token
        # changed in any character is not the one that was issued
        if not hmac.compare_digest(mac.encode("ascii"), _sign(data_dir, payload).encode("ascii")):
            return None
        name, epoch, expires = json.loads(_unb64(payload))
    except (ValueError, TypeError, UnicodeError):
        return None
    if (time.time() if now is None else now) >= expires:
        return None
    user = _load(data_dir).get(name) if isinstance(name, str) else None
    if user is None or not hmac.compare_digest(str(user.get("epoch", "")), str(epoch)):
        return None
    return _principal(name, user)


def session_epoch(data_dir: Path, name: str) -> str | None:
    """The user's current session epoch (None once removed)."""
    user = _load(data_dir).get(name)
    return None if user is None else str(user.get("epoch", ""))

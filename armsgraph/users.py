"""Dashboard users: roles, clearance, cases, and scrypt-hashed passwords in the data directory.

No password is ever stored or written in code: ``armsgraph users add`` generates one and
prints it once; only its salted scrypt hash is kept (``<data_dir>/users.json``, mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from armsgraph.access import Principal
from armsgraph.errors import AccessDeniedError

_N, _R, _P = 2**14, 8, 1


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
    path = users_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(users, handle, indent=2, sort_keys=True)
    tmp.replace(path)


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
    salt = secrets.token_bytes(16)
    users = _load(data_dir)
    users[name] = {
        "role": role,
        "clearance": clearance,
        "cases": sorted(cases or []),
        "salt": salt.hex(),
        "hash": _hash(password, salt),
    }
    _save(data_dir, users)
    return password


def authenticate(data_dir: Path, name: str, password: str) -> Principal:
    """The principal for valid credentials; AccessDeniedError otherwise (same message either way)."""
    user = _load(data_dir).get(name)
    if user is None:
        _hash(password, b"0" * 16)  # same work whether or not the user exists
        raise AccessDeniedError("unknown user or wrong password")
    if not hmac.compare_digest(_hash(password, bytes.fromhex(user["salt"])), user["hash"]):
        raise AccessDeniedError("unknown user or wrong password")
    return Principal(name, user["role"], user["clearance"], frozenset(user["cases"]))


def list_users(data_dir: Path) -> list[dict[str, Any]]:
    """Users without their secrets."""
    return [
        {"user": name, "role": u["role"], "clearance": u["clearance"], "cases": u["cases"]}
        for name, u in sorted(_load(data_dir).items())
    ]

"""Dashboard users: generated passwords, scrypt hashes, no plaintext anywhere."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from armsgraph.errors import AccessDeniedError
from armsgraph.users import add_user, authenticate, list_users, users_path


def test_add_and_authenticate(tmp_path: Path) -> None:
    password = add_user(tmp_path, "pia", "prosecutor", clearance="confidential", cases=["case-1"])
    assert len(password) >= 16
    principal = authenticate(tmp_path, "pia", password)
    assert (principal.role, principal.clearance, principal.cases) == ("prosecutor", "confidential", {"case-1"})
    text = users_path(tmp_path).read_text()
    assert password not in text
    assert stat.S_IMODE(users_path(tmp_path).stat().st_mode) == 0o600


def test_wrong_password_and_unknown_user_look_the_same(tmp_path: Path) -> None:
    add_user(tmp_path, "al", "analyst", password="correct horse")
    with pytest.raises(AccessDeniedError) as wrong:
        authenticate(tmp_path, "al", "battery staple")
    with pytest.raises(AccessDeniedError) as unknown:
        authenticate(tmp_path, "nobody", "battery staple")
    assert str(wrong.value) == str(unknown.value)


def test_passwords_differ_and_roles_are_checked(tmp_path: Path) -> None:
    assert add_user(tmp_path, "a", "analyst") != add_user(tmp_path, "b", "analyst")
    with pytest.raises(AccessDeniedError):
        add_user(tmp_path, "c", "root")
    assert [u["user"] for u in list_users(tmp_path)] == ["a", "b"]
    assert "hash" not in list_users(tmp_path)[0]

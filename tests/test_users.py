"""Dashboard users: generated passwords, scrypt hashes, no plaintext anywhere."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph import audit, private
from armsgraph.access import Principal
from armsgraph.errors import AccessDeniedError, SettingsError
from armsgraph.users import (
    SESSION_KEY,
    add_user,
    authenticate,
    change_user,
    current,
    end_sessions,
    issue_token,
    list_users,
    principal_from_token,
    remove_user,
    reset_password,
    users_path,
)


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


def test_reset_gives_a_new_password_and_the_old_one_stops_working(tmp_path: Path) -> None:
    old = add_user(tmp_path, "al", "analyst")
    new = reset_password(tmp_path, "al")
    assert new != old and authenticate(tmp_path, "al", new).user == "al"
    with pytest.raises(AccessDeniedError):
        authenticate(tmp_path, "al", old)
    with pytest.raises(SettingsError, match="no dashboard user 'nobody'"):
        reset_password(tmp_path, "nobody")


def test_removed_users_cannot_sign_in(tmp_path: Path) -> None:
    password = add_user(tmp_path, "al", "analyst")
    add_user(tmp_path, "bo", "admin")
    remove_user(tmp_path, "al")
    assert [u["user"] for u in list_users(tmp_path)] == ["bo"]
    with pytest.raises(AccessDeniedError):
        authenticate(tmp_path, "al", password)
    assert current(tmp_path, "al") is None
    with pytest.raises(SettingsError, match="no dashboard user 'al'"):
        remove_user(tmp_path, "al")


def test_session_token_signs_in_until_it_expires(tmp_path: Path) -> None:
    add_user(tmp_path, "al", "analyst", cases=["c-1"])
    token = issue_token(tmp_path, "al", ttl_s=60, now=1_000.0)
    assert principal_from_token(tmp_path, token, now=1_000.0) == Principal("al", "analyst", "restricted", {"c-1"})
    assert principal_from_token(tmp_path, token, now=1_059.999) is not None
    assert principal_from_token(tmp_path, token, now=1_060.0) is None  # expired at exactly ttl_s


def test_session_token_follows_role_changes_and_ends_on_reset_removal_or_sign_out(tmp_path: Path) -> None:
    add_user(tmp_path, "al", "analyst")
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    add_user(tmp_path, "al", "programme", "public")  # an admin changes the user (and the password)
    assert principal_from_token(tmp_path, token, now=1.0) is None  # re-added: a new epoch
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    users = json.loads(users_path(tmp_path).read_text())
    users["al"]["role"], users["al"]["clearance"] = "analyst", "secret"  # role change without a new password
    users_path(tmp_path).write_text(json.dumps(users))
    assert principal_from_token(tmp_path, token, now=1.0) == Principal("al", "analyst", "secret")
    end_sessions(tmp_path, "al")
    assert principal_from_token(tmp_path, token, now=1.0) is None
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    reset_password(tmp_path, "al")
    assert principal_from_token(tmp_path, token, now=1.0) is None
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    remove_user(tmp_path, "al")
    assert principal_from_token(tmp_path, token, now=1.0) is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # MAC changed
        lambda t: "eyJ4IjoxfQ." + t.partition(".")[2],  # payload swapped
        lambda t: t.partition(".")[0],  # no MAC
        lambda t: "",
        lambda t: "%%%.%%%",
    ],
)
def test_forged_tokens_sign_nobody_in(tmp_path: Path, forge) -> None:  # type: ignore[no-untyped-def]
    add_user(tmp_path, "al", "admin")
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    assert principal_from_token(tmp_path, forge(token), now=1.0) is None


def test_a_token_signed_with_another_key_is_refused(tmp_path: Path) -> None:
    add_user(tmp_path, "al", "admin")
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    private.key_path(tmp_path, SESSION_KEY).unlink()
    assert principal_from_token(tmp_path, token, now=1.0) is None
    issue_token(tmp_path, "al", ttl_s=60, now=0.0)  # a fresh key
    assert principal_from_token(tmp_path, token, now=1.0) is None


def test_users_cli_add_list_reset_remove_are_audited(tmp_path: Path) -> None:
    from armsgraph.cli import app

    runner = CliRunner()
    base = ["--data-dir", str(tmp_path), "users"]
    added = runner.invoke(app, [*base, "add", "al", "--role", "analyst", "--case", "c-1"])
    assert added.exit_code == 0, added.output
    changed = runner.invoke(app, [*base, "change", "al", "--role", "prosecutor", "--case", "c-2"])
    assert changed.exit_code == 0, changed.output
    assert current(tmp_path, "al") == Principal("al", "prosecutor", "restricted", frozenset({"c-2"}))
    reset = runner.invoke(app, [*base, "reset", "al"])
    assert reset.exit_code == 0 and "new password" in reset.output
    password = reset.output.split("new password:")[1].strip()
    assert authenticate(tmp_path, "al", password).user == "al"
    listed = runner.invoke(app, [*base, "list"])
    assert "al" in listed.output and "prosecutor" in listed.output and password not in listed.output
    removed = runner.invoke(app, [*base, "remove", "al"])
    assert removed.exit_code == 0 and list_users(tmp_path) == []
    assert [(e["action"], e["target"]) for e in audit.entries(tmp_path)] == [
        ("user-add", "al"),
        ("user-change", "al"),
        ("user-reset", "al"),
        ("user-remove", "al"),
    ]
    missing = runner.invoke(app, [*base, "remove", "al"])
    assert missing.exit_code == 3 and "no dashboard user 'al'" in missing.output


def test_change_keeps_the_password_and_the_sessions_and_checks_the_role(tmp_path: Path) -> None:
    password = add_user(tmp_path, "al", "analyst", cases=["c-1"])
    token = issue_token(tmp_path, "al", ttl_s=60, now=0.0)
    assert change_user(tmp_path, "al", clearance="secret") == Principal("al", "analyst", "secret", {"c-1"})
    assert principal_from_token(tmp_path, token, now=1.0) == Principal("al", "analyst", "secret", {"c-1"})
    assert authenticate(tmp_path, "al", password).clearance == "secret"
    with pytest.raises(AccessDeniedError):
        change_user(tmp_path, "al", role="root")
    assert current(tmp_path, "al") == Principal("al", "analyst", "secret", {"c-1"})

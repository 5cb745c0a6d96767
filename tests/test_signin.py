"""Dashboard sign-in under attack: throttling, lockout, audit of every failure, sessions that follow the users file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from armsgraph import audit, signin, users
from armsgraph.access import Principal
from armsgraph.dashboard import auth
from armsgraph.errors import AccessDeniedError
from armsgraph.settings import load_settings
from armsgraph.signin import Policy, SignInRefused

DASHBOARD = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard"
POLICY = Policy(free_failures=3, delay_s=1.0, max_delay_s=8.0, lockout_failures=10, lockout_s=300.0)
PASSWORD = "correct horse battery"
T0 = 1_000_000.0


@pytest.fixture
def data(tmp_path: Path) -> Path:
    users.add_user(tmp_path, "al", "analyst", password=PASSWORD)
    users.add_user(tmp_path, "bo", "analyst", password=PASSWORD + "-bo")
    return tmp_path


def _try(data: Path, password: str, now: float, name: str = "al", client: str = "10.0.0.1") -> str:
    """The outcome of one attempt: "ok", "failed" (checked, wrong) or "refused" (throttled/locked)."""
    try:
        signin.sign_in(data, name, password, client, POLICY, now=now)
    except SignInRefused:
        return "refused"
    except AccessDeniedError:
        return "failed"
    return "ok"


def _attempts(data: Path) -> list[tuple[str, str, str]]:
    return [(e["action"], e["user"], e["target"]) for e in audit.entries(data) if e["action"].startswith("login")]


def test_the_wait_grows_then_caps() -> None:
    assert [POLICY.wait_after(n) for n in range(1, 10)] == [0, 0, 0, 1, 2, 4, 8, 8, 8]


def test_brute_force_50_wrong_passwords_locks_out_audits_every_failure_and_the_password_works_after(
    data: Path,
) -> None:
    now, outcomes = T0, []
    for _ in range(50):  # an attacker retrying every 2 s
        outcomes.append(_try(data, "guess", now))
        now += 2.0
    assert outcomes.count("failed") == POLICY.lockout_failures  # only 10 passwords were ever checked
    assert outcomes.count("refused") == 50 - POLICY.lockout_failures
    assert outcomes.count("ok") == 0
    attempts = _attempts(data)
    assert len(attempts) == 50  # every failure is in the audit log, checked or refused
    assert {a[0] for a in attempts} == {"login-failed", "login-refused"}
    assert all(user == "al" and client == "10.0.0.1" for _, user, client in attempts)
    failed = [e for e in audit.entries(data) if e["action"] == "login-failed"]
    assert [e["params"]["failures"] for e in failed] == list(range(1, 11))
    assert [e["params"]["locked_out"] for e in failed] == [False] * 9 + [True]
    assert audit.verify(data).ok

    locked_at = T0 + 2.0 * [i for i, o in enumerate(outcomes) if o == "failed"][-1]
    end = locked_at + POLICY.lockout_s
    assert _try(data, PASSWORD, end - 0.001) == "refused"  # the right password during the lockout: refused
    assert _try(data, PASSWORD, end) == "ok"  # the lockout is over: exactly at its end
    assert _attempts(data)[-1] == ("login", "al", "10.0.0.1")


def test_the_wait_boundaries(data: Path) -> None:
    for i in range(3):
        assert _try(data, "guess", T0 + i * 0.01) == "failed"  # three free failures, no wait
    fourth = T0 + 0.02
    assert _try(data, "guess", fourth + 0.5) == "failed"  # no wait before the 4th
    assert _try(data, PASSWORD, fourth + 0.5 + 0.999) == "refused"  # 4 failures: 1 s
    assert _try(data, "guess", fourth + 0.5 + 1.0) == "failed"  # 5 failures: 2 s from now
    assert _try(data, PASSWORD, fourth + 1.5 + 1.999) == "refused"
    after = fourth + 1.5 + 2.0
    assert _try(data, PASSWORD, after) == "ok"  # success clears the user's count, not the client's
    assert _try(data, "guess", after) == "failed"  # the client's 6th failure
    assert _try(data, "guess", after + 3.999) == "refused"  # the client waits 4 s
    for _ in range(3):  # from another client the user counts from 0 again: no wait yet
        assert _try(data, "guess", after, client="10.0.0.9") == "failed"


def test_lockout_at_exactly_lockout_failures(data: Path) -> None:
    now = T0
    for n in range(1, 11):
        assert _try(data, "guess", now) == "failed", n
        now += POLICY.max_delay_s  # always past the wait
    assert _try(data, PASSWORD, now) == "refused"  # the 10th failure locked; the 9th would not have
    assert _try(data, PASSWORD, now - POLICY.max_delay_s + POLICY.lockout_s) == "ok"


def test_nine_failures_do_not_lock(data: Path) -> None:
    now = T0
    for _ in range(9):
        assert _try(data, "guess", now) == "failed"
        now += POLICY.max_delay_s
    assert _try(data, PASSWORD, now) == "ok"


def test_one_client_trying_many_users_is_locked_out_for_all(data: Path) -> None:
    now = T0
    for i in range(POLICY.lockout_failures):
        assert _try(data, "guess", now, name=f"user-{i}") == "failed"
        now += POLICY.max_delay_s
    assert _try(data, PASSWORD + "-bo", now, name="bo") == "refused"  # the client is locked
    assert _try(data, PASSWORD + "-bo", now, name="bo", client="10.0.0.2") == "ok"


def test_one_user_tried_from_many_clients_is_locked_out_everywhere(data: Path) -> None:
    now = T0
    for i in range(POLICY.lockout_failures):
        assert _try(data, "guess", now, client=f"10.0.1.{i}") == "failed"
        now += POLICY.max_delay_s
    assert _try(data, PASSWORD, now, client="10.0.2.1") == "refused"
    assert [e["params"] for e in audit.entries(data)][-1] == {"reason": "locked (this user)"}


def test_unknown_users_are_throttled_and_audited_like_known_ones(data: Path) -> None:
    outcomes = [_try(data, "guess", T0, name="nobody", client=f"c{i}") for i in range(5)]
    assert outcomes == ["failed"] * 4 + ["refused"]  # 3 free, the 4th checked, then a wait
    assert {a[1] for a in _attempts(data)} == {"nobody"}


def test_a_real_clock_lockout_that_ends(data: Path) -> None:
    quick = Policy(free_failures=0, delay_s=0.0, max_delay_s=0.0, lockout_failures=2, lockout_s=0.5)
    for _ in range(2):
        with pytest.raises(AccessDeniedError, match="unknown user or wrong password"):
            signin.sign_in(data, "al", "guess", "c", quick)
    with pytest.raises(SignInRefused, match="this user is locked out; try again in 1 s"):
        signin.sign_in(data, "al", PASSWORD, "c", quick)
    time.sleep(0.5)
    assert signin.sign_in(data, "al", PASSWORD, "c", quick).user == "al"


def test_the_policy_comes_from_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ARMSGRAPH_SIGNIN_LOCKOUT_S", "2.5")
    monkeypatch.setenv("ARMSGRAPH_SIGNIN_LOCKOUT_FAILURES", "4")
    policy = Policy.from_settings(load_settings(data_dir=tmp_path))
    assert (policy.lockout_s, policy.lockout_failures, policy.free_failures) == (2.5, 4, 3)


# The dashboard: sessions follow the users file and survive a reload.


@pytest.fixture
def served(data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(data))
    st.cache_resource.clear()  # the dashboard's settings are cached
    st.cache_data.clear()
    return data


def _sign_in_page() -> AppTest:
    return AppTest.from_file(str(DASHBOARD / "views" / "sign_in.py"), default_timeout=60).run()


def _submit(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input[0].set_value(name)
    app.text_input[1].set_value(password)
    return app.button[0].click().run()


def _principal_script() -> None:  # runs inside AppTest
    import streamlit as st

    from armsgraph.dashboard import auth

    who = auth.principal()
    st.write(f"who={who.user}/{who.role}/{who.clearance}" if who else "who=none")


def _who(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("who="))


def test_sign_in_page_shows_the_wait_and_keeps_the_session_token(served: Path) -> None:
    app = _sign_in_page()
    for _ in range(3):
        _submit(app, "al", "guess")
        assert [e.value for e in app.error] == ["unknown user or wrong password"]
    _submit(app, "al", "guess")
    _submit(app, "al", PASSWORD)  # too early after the 4th failure
    assert app.warning and "too many failed sign-ins" in app.warning[0].value
    assert "armsgraph_principal" not in app.session_state


def test_a_reload_resumes_the_session_from_its_cookie(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = users.issue_token(served, "al", ttl_s=60)
    monkeypatch.setattr(auth, "session_cookie", lambda: token)  # what the browser sends after a reload
    app = AppTest.from_function(_principal_script, default_timeout=60).run()
    assert _who(app) == "who=al/analyst/restricted"
    assert [e["action"] for e in audit.entries(served)][-1] == "session-resumed"
    monkeypatch.setattr(auth, "session_cookie", lambda: token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert _who(AppTest.from_function(_principal_script, default_timeout=60).run()) == "who=none"


def test_a_token_changed_in_any_character_is_refused(served: Path) -> None:
    token = users.issue_token(served, "al", ttl_s=60)
    assert users.principal_from_token(served, token) is not None
    for i in range(len(token)):
        if token[i] == ".":
            continue
        for other in ("A", "B", "Q", "g"):
            if other != token[i]:
                forged = token[:i] + other + token[i + 1 :]
                assert users.principal_from_token(served, forged) is None, (i, other)


def test_user_changes_apply_at_the_next_page_run(served: Path) -> None:
    app = AppTest.from_function(_principal_script, default_timeout=60)
    app.session_state["armsgraph_principal"] = Principal("al", "analyst", "restricted")
    app.session_state["armsgraph_session_epoch"] = users.session_epoch(served, "al")
    assert _who(app.run()) == "who=al/analyst/restricted"
    stored = users._load(served)
    stored["al"].update(role="programme", clearance="public")  # what an admin's edit of the user does
    users._save(served, stored)
    assert _who(app.run()) == "who=al/programme/public"
    users.reset_password(served, "al")  # a reset ends the session
    assert _who(app.run()) == "who=none"
    app.session_state["armsgraph_principal"] = Principal("bo", "analyst", "restricted")
    app.session_state["armsgraph_session_epoch"] = users.session_epoch(served, "bo")
    assert _who(app.run()) == "who=bo/analyst/restricted"
    users.remove_user(served, "bo")  # a removal ends it too
    assert _who(app.run()) == "who=none"


def test_signing_out_ends_the_session_and_its_cookie(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = users.issue_token(served, "al", ttl_s=60)
    monkeypatch.setattr(auth, "session_cookie", lambda: token)
    app = AppTest.from_function(_principal_script, default_timeout=60).run()
    assert _who(app) == "who=al/analyst/restricted"
    app.session_state["armsgraph_signed_out"] = True
    users.end_sessions(served, "al")  # what auth.sign_out does, besides forgetting the principal
    assert _who(AppTest.from_function(_principal_script, default_timeout=60).run()) == "who=none"

"""Without PostgreSQL's server binaries the team tests skip, saying why; under CI they fail."""

from __future__ import annotations

import pytest

from tests.team.conftest import require_server_binaries


def test_missing_server_binaries_skip_a_test_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("PG_BINDIR", "/nonexistent")
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server binaries"):
        require_server_binaries()


def test_missing_server_binaries_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PG_BINDIR", "/nonexistent")
    with pytest.raises(pytest.fail.Exception, match="CI must run the team-library tests"):
        require_server_binaries()


def test_the_binaries_are_found_where_debian_installs_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PG_BINDIR", raising=False)
    found = require_server_binaries()
    assert (found / "initdb").exists() and (found / "pg_ctl").exists()

"""Without PostgreSQL's server binaries the team tests skip, saying why; under CI they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ONE_TEST = "tests/team/test_transfer.py::test_push_twice_changes_nothing_the_second_time"


def _run(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs",
                           ONE_TEST], cwd=ROOT, env={**base, "PG_BINDIR": "/nonexistent", **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("ci", [False, True])
def test_missing_server_binaries_skip_locally_and_fail_under_ci(ci: bool) -> None:
    result = _run(**({"CI": "true"} if ci else {}))
    if ci:
        assert result.returncode != 0 and "CI must run the team-library tests" in result.stdout
    else:
        assert result.returncode == 0 and "1 skipped" in result.stdout
        assert "no PostgreSQL server binaries" in result.stdout

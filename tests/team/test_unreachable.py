"""A team library whose server cannot be reached: one line with libpq's reason and its hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.cli import main


def test_no_server_on_the_socket_is_one_line_with_the_reason_and_the_hint(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql:///briefkit?host={tmp_path}&library=team"
    assert main(["sources", "--library", url]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "\t" not in err
    assert url in lines[0] and "cannot reach the library's server" in lines[0]
    assert "No such file or directory" in lines[0] and "Is the server running" in lines[0]

"""Advisory file locks: they exclude other processes and threads, survive atomic saves, nest
within one thread, wait a bounded time, and leave nothing a user would commit."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefkit.fsio import atomic_write
from briefkit.locks import LOCK_FOLDER, LockTimeout, lock_file, locked

HOLDER = """
import sys, time
from briefkit.locks import locked
with locked(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_in_another_process(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_lock_held_by_another_process_is_waited_for(tmp_path: Path) -> None:
    target = tmp_path / "b.brief.yaml"
    target.write_text("x")
    proc = hold_in_another_process(target, 0.6)
    started = time.monotonic()
    with locked(target, timeout=20):
        waited = time.monotonic() - started
    proc.communicate()
    assert waited > 0.3


def test_waiting_too_long_is_one_message_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "sources.yaml"
    proc = hold_in_another_process(target, 5)
    started = time.monotonic()
    with pytest.raises(LockTimeout) as caught, locked(target, timeout=0.3):
        pass
    proc.kill()
    proc.communicate()
    assert time.monotonic() - started < 2
    assert str(target) in str(caught.value) and "another briefkit" in str(caught.value)


def test_the_lock_survives_an_atomic_save_of_the_file(tmp_path: Path) -> None:
    target = tmp_path / "b.brief.yaml"
    target.write_text("old")
    with locked(target):
        atomic_write(target, "new")  # a new inode: the lock must not have been on the old one
        probe = subprocess.run(
            [sys.executable, "-c", "import sys\nfrom briefkit.locks import locked\n"
             "with locked(sys.argv[1], timeout=0.3): pass", str(target)],
            capture_output=True, text=True)
    assert probe.returncode != 0 and "LockTimeout" in probe.stderr


def test_one_thread_may_take_its_lock_again_and_other_threads_wait(tmp_path: Path) -> None:
    target = tmp_path / "sources.yaml"
    order: list[str] = []

    def other() -> None:
        with locked(target):
            order.append("other")

    with locked(target), locked(target):
        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.2)
        order.append("first")
    thread.join(5)
    assert order == ["first", "other"]


def test_a_thread_gives_up_after_its_timeout(tmp_path: Path) -> None:
    target = tmp_path / "sources.yaml"
    failed: list[BaseException] = []

    def other() -> None:
        try:
            with locked(target, timeout=0.1):
                pass
        except LockTimeout as exc:
            failed.append(exc)

    with locked(target):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(5)
    assert len(failed) == 1


def test_lock_files_are_hidden_and_ignored_by_git(tmp_path: Path) -> None:
    target = tmp_path / "b.brief.yaml"
    with locked(target):
        pass
    assert lock_file(target) == tmp_path / LOCK_FOLDER / "b.brief.yaml.lock"
    assert [p.name for p in tmp_path.iterdir()] == [".briefkit"]
    assert (tmp_path / ".briefkit" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_every_name_of_a_file_shares_its_lock(tmp_path: Path) -> None:
    real = tmp_path / "real" / "sources.yaml"
    real.parent.mkdir()
    real.write_text("sources: []\n")
    (tmp_path / "link.yaml").symlink_to(real)
    assert lock_file(tmp_path / "link.yaml") == lock_file(real)


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "b.brief.yaml"
    with locked(target):
        pass
    assert not target.parent.exists()

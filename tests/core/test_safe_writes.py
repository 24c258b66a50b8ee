"""Every write in briefkit (briefs, sources.yaml, copied sources) follows fsio's rules: a regular
file or a new name only, symlinks written through, read-only files and folders refused, names too
long for the file system one message, and the target always the old file or the new one."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.cli import main
from briefkit.errors import BriefkitError
from briefkit.fsio import atomic_copy, atomic_write, write_target

QUOTE = "Maduro is stronger than he's ever been"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must be refused: exit 2, one `briefkit: error:` line, no traceback."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1 and err.startswith("briefkit: error: "), err
    return err.strip()


def cite(brief: Path) -> list[str]:
    return ["cite", str(brief), "--position", "talks", "--create-position", "--source",
            "smilde-max-pressure", "--quote", QUOTE]


def test_a_symlinked_sources_yaml_stays_a_link_to_the_updated_file(
        capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "sources.yaml"
    (sample_dir / "sources.yaml").rename(real)
    (sample_dir / "sources.yaml").symlink_to(Path("..") / "shared" / "sources.yaml")
    status = main(["sources", "edit", "fal-redlines", "--title", "Redlines, revised",
                   "--library", str(sample_dir)])
    assert status == 0, capsys.readouterr().err
    link = sample_dir / "sources.yaml"
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "shared" / "sources.yaml")
    assert 'title: "Redlines, revised"' in real.read_text(encoding="utf-8")
    assert not [p for p in shared.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def test_a_symlinked_brief_is_updated_through_the_link(
        capsys: pytest.CaptureFixture[str], sample_brief: Path, tmp_path: Path) -> None:
    link = tmp_path / "mine.brief.yaml"
    link.symlink_to(sample_brief)
    assert main(cite(link)) == 0, capsys.readouterr().err
    assert link.is_symlink() and link.resolve() == sample_brief
    assert "Maduro is stronger" in sample_brief.read_text(encoding="utf-8")


def test_a_read_only_brief_is_refused_not_replaced(
        capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    sample_brief.chmod(0o444)  # tests run as root: the mode bits, not access(), must decide
    before = sha(sample_brief)
    message = refused(capsys, *cite(sample_brief))
    assert f"{sample_brief}: is read-only" in message and "chmod u+w" in message
    assert sha(sample_brief) == before
    assert stat.S_IMODE(sample_brief.stat().st_mode) == 0o444


def test_a_brief_keeps_its_permissions_when_saved(
        capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    sample_brief.chmod(0o640)
    assert main(cite(sample_brief)) == 0, capsys.readouterr().err
    assert stat.S_IMODE(sample_brief.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.txt", "text")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


@pytest.mark.parametrize("command", [
    ["sources", "edit", "fal-redlines", "--title", "New title"],
    ["sources", "add", "INBOX/note.txt"],
])
def test_a_read_only_library_folder_is_named_and_left_unchanged(
        capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path,
        command: list[str]) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "note.txt").write_text("A short note. It has two sentences.\n",
                                                 encoding="utf-8")
    argv = [a.replace("INBOX", str(tmp_path / "inbox")) for a in command]
    before = {p.name: sha(p) for p in sample_dir.iterdir() if p.is_file()}
    sample_dir.chmod(0o555)
    try:
        message = refused(capsys, *argv, "--library", str(sample_dir))
        assert message.startswith(f"briefkit: error: {sample_dir}: cannot write ")
        assert "the folder is read-only" in message and "note.txt" not in message
        assert {p.name: sha(p) for p in sample_dir.iterdir() if p.is_file()} == before
    finally:
        sample_dir.chmod(0o755)


def test_a_name_too_long_for_the_file_system_is_one_message(tmp_path: Path) -> None:
    with pytest.raises(BriefkitError, match="file name too long for the file system") as caught:
        atomic_write(tmp_path / ("n" * 300), "text")
    assert caught.value.path == tmp_path / ("n" * 300)
    assert list(tmp_path.iterdir()) == []


def test_a_long_name_that_fits_is_written(tmp_path: Path) -> None:
    path = tmp_path / ("n" * 250 + ".md")  # its temporary file's name must still fit
    atomic_write(path, "text")
    assert path.read_text(encoding="utf-8") == "text" and len(list(tmp_path.iterdir())) == 1


def test_a_fifo_is_refused_by_every_write(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (tmp_path / "c").write_text("copy me", encoding="utf-8")
    for write in (lambda: atomic_write(pipe, "x"), lambda: atomic_copy(tmp_path / "c", pipe)):
        with pytest.raises(BriefkitError, match=r"is a FIFO \(named pipe\), not a regular file"):
            write()
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_device_is_refused_and_stays_a_device(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can make a device node")
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    with pytest.raises(BriefkitError, match="is a character device"):
        atomic_write(null, "x")
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(BriefkitError, match="folder does not exist") as caught:
        write_target(tmp_path / "nowhere" / "x.md")
    assert caught.value.path == tmp_path / "nowhere"


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to("target.md")
    atomic_write(link, "new")
    assert link.is_symlink() and (tmp_path / "target.md").read_text(encoding="utf-8") == "new"


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text("old\n", encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:  # an I/O error injected at the last step
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(BriefkitError, match="No space left on device"):
        atomic_write(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["b.brief.yaml"]


def test_a_writer_killed_mid_write_leaves_no_temporary_file_behind_the_next_write(
        tmp_path: Path) -> None:
    target = tmp_path / "b.brief.yaml"
    target.write_text("old")
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    stale = tmp_path / f".b.brief.yaml.{killed.pid}-0badf00d.tmp"
    stale.write_text("half a bri")
    running = tmp_path / f".b.brief.yaml.{os.getpid()}-0c0ffee0.tmp"  # a live writer's
    running.write_text("in progress")
    unrelated = tmp_path / ".b.brief.yaml.notes.tmp"
    unrelated.write_text("the user's")

    atomic_write(target, "new")

    assert target.read_text() == "new"
    assert not stale.exists()
    assert running.exists() and unrelated.exists()


def test_reading_a_fifo_as_a_brief_is_refused_instead_of_waiting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "b.brief.yaml"
    os.mkfifo(fifo)
    message = refused(capsys, "check", str(fifo))
    assert "FIFO" in message and str(fifo) in message

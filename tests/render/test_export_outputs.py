"""Export writes only a new file or a regular file that is none of its own inputs: `-o` naming the
brief, `sources.yaml`, a source, an original, the reference document, a template or a CSL file
(by name, symlink or hard link), or a folder, FIFO, socket or device, is one message and exit 2,
with every input unchanged."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefkit import resources
from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.errors import ExportError
from briefkit.render.csl.styles import resolve_style
from briefkit.render.export import export_brief

HTML = ("<html><head><title>Relief in stages</title></head><body><p>Relief was offered in "
        "stages, each step tied to a verifiable electoral reform.</p></body></html>")


def digests(*folders: Path) -> dict[Path, str]:
    """The SHA-256 of every regular file under `folders` (symlinks not followed)."""
    found: dict[Path, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and ".briefkit" not in path.parts:
                found[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def export_error(capsys: pytest.CaptureFixture[str], brief: Path, *extra: str) -> str:
    """Run `briefkit export` expecting a refusal; the single error line it printed."""
    status = main(["export", str(brief), *extra])
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefkit: error: "), err
    return lines[0]


@pytest.fixture
def workspace(sample_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """The sample library with one HTML source (so it has an original) and a house template
    beside the brief; yields the folder, then checks the shipped templates were not touched."""
    shipped = digests(resources.shipped("templates"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "relief.html").write_text(HTML, encoding="utf-8")
    assert main(["sources", "add", str(inbox / "relief.html"), "--library", str(sample_dir)]) == 0
    templates = sample_dir / "templates"
    templates.mkdir()
    for path in resources.shipped("templates").glob("*.md.j2"):
        shutil.copyfile(path, templates / path.name)
    yield sample_dir
    assert digests(resources.shipped("templates")) == shipped


INPUTS = [
    ("venezuela.brief.yaml", "the brief being exported"),
    ("sources.yaml", "the library's sources.yaml"),
    ("fal-2021-negotiations-redlines.md", "the file of source 'fal-redlines'"),
    ("relief.txt", "the reading text of source 'relief'"),
    ("originals/relief.html", "the original file of source 'relief'"),
    ("templates/options-memo.md.j2", "the template 'options-memo'"),
    ("templates/_evidence.md.j2", "a template file"),
]


@pytest.mark.parametrize(("name", "what"), INPUTS)
@pytest.mark.parametrize("how", ["name", "symlink", "hard link"])
def test_an_output_that_is_an_input_is_refused_and_nothing_changes(
        capsys: pytest.CaptureFixture[str], workspace: Path, tmp_path: Path, name: str, what: str,
        how: str) -> None:
    brief = workspace / "venezuela.brief.yaml"
    target = workspace / name
    assert target.is_file()
    out = target
    if how == "symlink":
        out = tmp_path / "out.md"
        out.symlink_to(target)
    elif how == "hard link":
        out = tmp_path / "out.md"
        os.link(target, out)
    before = digests(workspace)
    message = export_error(capsys, brief, "--to", "md", "--template", "options-memo", "-o", str(out))
    assert f"{out}: is {what}" in message
    assert "choose another output file" in message
    if how != "name":
        assert str(target) in message  # which input the link leads to
    assert digests(workspace) == before
    assert out.is_symlink() == (how == "symlink")


@pytest.mark.parametrize(("fmt", "option", "what"), [
    ("docx", "--reference-doc", "the reference document"),
    ("md", "--style", "the citation style file"),
])
def test_a_reference_document_or_style_file_given_as_the_output_is_refused(
        capsys: pytest.CaptureFixture[str], sample_brief: Path, tmp_path: Path, fmt: str,
        option: str, what: str) -> None:
    given = tmp_path / f"house.{'docx' if fmt == 'docx' else 'csl'}"
    if fmt == "docx":
        assert main(["export", str(sample_brief), "--to", "docx", "-o", str(given), "--no-page-count"]) == 0
        capsys.readouterr()
    else:
        shutil.copyfile(resolve_style("chicago-notes-bibliography"), given)
    before = digests(tmp_path)
    message = export_error(capsys, sample_brief, "--to", fmt, option, str(given), "-o", str(given))
    assert f"{given}: is {what}" in message
    assert digests(tmp_path) == before


def test_a_symlink_to_the_shipped_style_is_refused(
        capsys: pytest.CaptureFixture[str], sample_brief: Path, tmp_path: Path) -> None:
    shipped = resolve_style("chicago-notes-bibliography")
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    out = tmp_path / "notes.md"
    out.symlink_to(shipped)
    message = export_error(capsys, sample_brief, "--to", "md", "-o", str(out))
    assert "is the citation style file" in message and str(shipped) in message
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == digest


def special(kind: str, path: Path) -> None:
    """Make a folder, FIFO, socket or character device (the null device's numbers) at `path`."""
    if kind == "folder":
        path.mkdir()
    elif kind == "FIFO":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    elif kind == "character device":
        if os.geteuid() != 0:
            pytest.skip("only root can make a device node")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))


@pytest.mark.parametrize(("kind", "said"), [
    ("folder", "is a folder"), ("FIFO", "is a FIFO (named pipe)"), ("socket", "is a socket"),
    ("character device", "is a character device"),
])
def test_an_output_that_is_not_a_regular_file_is_refused_and_kept(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sample_brief: Path,
        tmp_path: Path, kind: str, said: str) -> None:
    (tmp_path / "w").mkdir()
    monkeypatch.chdir(tmp_path / "w")  # a socket's path must be short
    out = Path("o")
    special(kind, out)
    mode = out.lstat().st_mode
    message = export_error(capsys, sample_brief, "--to", "md", "-o", str(out))
    assert f"briefkit: error: o: {said}, not a regular file" in message
    assert out.lstat().st_mode == mode  # still what it was, not a plain file
    assert [p.name for p in Path().iterdir()] == ["o"]  # no temporary file left


def test_a_symlink_to_a_fifo_is_refused(capsys: pytest.CaptureFixture[str], sample_brief: Path,
                                        tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "out.md").symlink_to(tmp_path / "pipe")
    assert "is a FIFO" in export_error(capsys, sample_brief, "--to", "md", "-o",
                                       str(tmp_path / "out.md"))
    assert stat.S_ISFIFO((tmp_path / "pipe").lstat().st_mode)


def test_a_symlinked_output_is_written_through_and_stays_a_link(
        capsys: pytest.CaptureFixture[str], sample_brief: Path, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    real = tmp_path / "exports" / "memo.md"
    real.write_text("an older export\n", encoding="utf-8")
    link = tmp_path / "memo.md"
    link.symlink_to(Path("exports") / "memo.md")
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(Path("exports") / "memo.md")
    assert real.read_text(encoding="utf-8").startswith("---\ntitle: ")
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["memo.md"]


def test_an_unrelated_existing_file_is_replaced(sample_brief: Path, tmp_path: Path) -> None:
    out = tmp_path / "memo.md"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_read_only_output_is_refused(capsys: pytest.CaptureFixture[str], sample_brief: Path,
                                       tmp_path: Path) -> None:
    out = tmp_path / "memo.md"
    out.write_text("kept\n", encoding="utf-8")
    out.chmod(0o444)
    message = export_error(capsys, sample_brief, "--to", "md", "-o", str(out))
    assert f"{out}: is read-only" in message
    assert out.read_text(encoding="utf-8") == "kept\n"


def test_a_name_too_long_for_the_file_system_is_one_message(
        capsys: pytest.CaptureFixture[str], sample_brief: Path, tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    out = tmp_path / "w" / ("x" * 300 + ".md")
    message = export_error(capsys, sample_brief, "--to", "md", "-o", str(out))
    assert "file name too long for the file system" in message and str(out) in message
    assert list((tmp_path / "w").iterdir()) == []


def test_the_core_refuses_too_so_the_tui_dialog_does(sample_brief: Path) -> None:
    brief = load_brief(sample_brief)
    before = sample_brief.read_bytes()
    with pytest.raises(ExportError, match="is the brief being exported"):
        export_brief(brief, "md", sample_brief)
    assert sample_brief.read_bytes() == before

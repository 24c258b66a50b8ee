"""briefkit reads only files inside the library folder: a `file:` or `original:` that resolves
elsewhere (`..`, an absolute path, a symlink out, a symlinked folder out) is one message naming
sources.yaml, the entry and its line, from every command that reads sources; and a symlink
re-pointed after sources.yaml was cached is caught when the source is read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from briefkit.cli import main
from briefkit.errors import BriefkitError
from briefkit.library.library import Library

SECRET = "secret-token-7f3a: a line no export may ever quote"
FAL = "fal-2021-negotiations-redlines.md"


def digests(folder: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".briefkit" not in p.parts}


def set_key(library: Path, key: str, value: str) -> int:
    """Point fal-redlines' `key` at `value` in sources.yaml; the line it is on."""
    sources = library / "sources.yaml"
    lines = sources.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"file: {FAL}")
    if key == "file":
        lines[at] = f"    file: {value}\n"
    else:
        lines.insert(at + 1, f"    {key}: {value}\n")
        at += 1
    sources.write_text("".join(lines), encoding="utf-8")
    return at + 1


def outside(library: Path) -> Path:
    """A file beside the library folder, holding the secret."""
    secret = library.parent / "outside" / "notes.md"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(f"# Notes\n\n{SECRET}\n", encoding="utf-8")
    return secret


def dotdot(library: Path) -> tuple[str, int]:
    outside(library)
    return "file", set_key(library, "file", "../outside/notes.md")


def etc_passwd(library: Path) -> tuple[str, int]:
    return "file", set_key(library, "file", "../../../../../../../../../etc/passwd")


def absolute(library: Path) -> tuple[str, int]:
    return "file", set_key(library, "file", str(outside(library)))


def symlink_out(library: Path) -> tuple[str, int]:
    (library / FAL).unlink()
    (library / FAL).symlink_to(outside(library))
    return "file", set_key(library, "file", FAL)


def symlinked_folder_out(library: Path) -> tuple[str, int]:
    (library / "sub").symlink_to(outside(library).parent, target_is_directory=True)
    return "file", set_key(library, "file", "sub/notes.md")


def original_dotdot(library: Path) -> tuple[str, int]:
    outside(library)
    return "original", set_key(library, "original", "../outside/notes.md")


def original_symlink_out(library: Path) -> tuple[str, int]:
    (library / "originals").mkdir()
    (library / "originals" / "fal.pdf").symlink_to(outside(library))
    return "original", set_key(library, "original", "originals/fal.pdf")


CASES: list[Callable[[Path], tuple[str, int]]] = [
    dotdot, etc_passwd, absolute, symlink_out, symlinked_folder_out, original_dotdot,
    original_symlink_out,
]
COMMANDS = {
    "show": lambda lib: ["show", "fal-redlines", "--library", str(lib)],
    "search": lambda lib: ["search", "secret", "--library", str(lib)],
    "check": lambda lib: ["check", str(lib / "venezuela.brief.yaml")],
    "export": lambda lib: ["export", str(lib / "venezuela.brief.yaml"), "--to", "md", "-o",
                           str(lib.parent / "out.md")],
}


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, str]:
    """Run a command that must refuse: exit 2, no traceback, nothing read out of bounds."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert "Traceback" not in err
    assert SECRET not in out + err and "root:x:0:0" not in out + err
    return out, err


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_a_path_out_of_the_library_is_one_message_naming_the_entry(
        capsys: pytest.CaptureFixture[str], sample_dir: Path,
        case: Callable[[Path], tuple[str, int]], command: str) -> None:
    key, line = case(sample_dir)
    before = digests(sample_dir.parent)
    _, err = refused(capsys, COMMANDS[command](sample_dir))
    assert err.count("\n") == 1 and err.startswith(
        f"briefkit: error: {sample_dir / 'sources.yaml'}:{line}: {key}: source 'fal-redlines': ")
    assert f"outside the library folder {sample_dir}" in err or "must be relative" in err
    assert digests(sample_dir.parent) == before
    assert not (sample_dir.parent / "out.md").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_symlink_re_pointed_after_caching_is_caught_when_read(
        capsys: pytest.CaptureFixture[str], sample_dir: Path, command: str) -> None:
    assert main(["search", "sanctions", "--library", str(sample_dir)]) == 0  # caches and indexes
    capsys.readouterr()
    assert (sample_dir / ".briefkit" / "sources.json").is_file()
    (sample_dir / FAL).unlink()
    (sample_dir / FAL).symlink_to(outside(sample_dir))
    library = Library.open(sample_dir)  # from the cache: sources.yaml did not change
    with pytest.raises(BriefkitError, match="outside the library folder") as caught:
        library.source("fal-redlines")
    assert (caught.value.path, caught.value.line) == (sample_dir / "sources.yaml", 20)
    out, err = refused(capsys, COMMANDS[command](sample_dir))
    if command == "check":  # check reports it on each citation of the source, as a finding
        err = out
    assert f"{sample_dir / 'sources.yaml'}:20: file: source 'fal-redlines': '{FAL}' resolves to " \
           f"{outside(sample_dir)}" in err


def test_a_symlink_that_stays_inside_the_folder_is_read(
        capsys: pytest.CaptureFixture[str], sample_dir: Path) -> None:
    (sample_dir / "texts").mkdir()
    (sample_dir / FAL).rename(sample_dir / "texts" / FAL)
    (sample_dir / FAL).symlink_to(Path("texts") / FAL)
    assert main(["show", "fal-redlines", "--library", str(sample_dir)]) == 0
    assert "Forum for American Leadership" in capsys.readouterr().out

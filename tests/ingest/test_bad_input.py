"""Bad files: one clear message per file naming it and the reason; the others still go in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from made_files import write_docx, write_pdf

from briefkit.cli import main
from briefkit.library.decode import decode_bytes, sniff_encoding
from briefkit.library.library import Library

Files = Callable[[str, bytes | str], Path]


def test_each_bad_file_gets_one_message_and_the_good_ones_are_added(
        library: Path, files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = files("good.txt", "The delegations met in Oslo in May.\n")
    pdf = write_pdf(tmp_path / "full.pdf")
    docx = write_docx(tmp_path / "memo.docx")
    bad = {
        "empty.txt": (files("empty.txt", b""), "is empty"),
        "binary.txt": (files("binary.txt", bytes(range(256)) * 8), "binary file"),
        "photo.txt": (files("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)), "PNG image"),
        "cut.pdf": (files("cut.pdf", pdf.read_bytes()[: pdf.stat().st_size // 2]), "truncated"),
        "locked.pdf": (write_pdf(tmp_path / "locked.pdf", password="s3cret"), "encrypted"),
        "scan.pdf": (write_pdf(tmp_path / "scan.pdf", text=False), "no text layer"),
        "cut.docx": (files("cut.docx", docx.read_bytes()[:900]), "damaged or truncated"),
        "cut.html": (files("cut.html", "<!doctype html><html><body><p>Half a pa"), "truncated"),
        "bad16.txt": (files("bad16.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8"),
                      "not valid utf-16-le"),
        "old.doc": (files("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), ".docx"),
    }
    paths = [good, *(p for p, _ in bad.values())]
    status = main(["sources", "add", *map(str, paths), "--library", str(library)])
    err = capsys.readouterr().err
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == len(bad)
    for name, (path, reason) in bad.items():
        line = next(ln for ln in lines if f"{path}:" in ln)
        assert reason in line, (name, line)
    assert list(Library.open(library).entries) == ["good"]


def test_a_usage_error_exits_2(library: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = files("a.txt", "One text."), files("b.txt", "Another text.")
    assert main(["sources", "add", str(a), str(b), "--id", "x", "--library", str(library)]) == 2
    assert "exactly one file" in capsys.readouterr().err
    # An id the library could not read back is refused before anything is written.
    before = (library / "sources.yaml").read_bytes() if (library / "sources.yaml").exists() else None
    assert main(["sources", "add", str(a), "--id", "bad id", "--library", str(library)]) == 2
    assert "--id: source id 'bad id' must be letters, digits" in capsys.readouterr().err
    after = (library / "sources.yaml").read_bytes() if (library / "sources.yaml").exists() else None
    assert after == before
    assert main(["sources", "add", "--library", str(library)]) == 2  # no PATH and no --reread
    assert "give the files or folders to add" in capsys.readouterr().err


def test_a_missing_path_is_reported_and_the_rest_added(
        library: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    good = files("good.txt", "Text that exists.")
    status = main(["sources", "add", str(good), str(library / "nope.pdf"), "--library", str(library)])
    assert status == 1
    assert "nope.pdf: file not found" in capsys.readouterr().err
    assert "good" in Library.open(library).entries


@pytest.mark.parametrize("data", [
    b"Plain ASCII text.\n", "Café au lait ÷ naïve.\n".encode("cp1252"),
    bytes([0x81, 0x41, 0x20, 0x42]) * 10, "Ünïcödé text ✓\n".encode(),
])
def test_chunked_encoding_scan_agrees_with_decoding_the_whole_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(data * 50)
    assert sniff_encoding(path, chunk_size=7) == decode_bytes(data * 50, path)[1]

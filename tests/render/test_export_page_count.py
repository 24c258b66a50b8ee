"""A DOCX export reports its pages and how they were counted: by LibreOffice where it is
installed, else estimated (and said to be), never a guess passed off as a count."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.cli import main
from briefkit.render.pdf import docx_pages, docx_to_pdf, page_count, soffice


def _no_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    assert soffice() is None


def _export(sample_brief: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["export", str(sample_brief), "--to", "docx", "-o", str(out), *extra]) == 0
    return capsys.readouterr().out.strip()


@pytest.mark.long
def test_libreoffice_counts_the_pages_of_a_docx_export(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui); CI installs it")
    out = tmp_path / "memo.docx"
    said = _export(sample_brief, out, capsys)
    pages = page_count(docx_to_pdf(out.read_bytes()))
    assert said == f"wrote {out} (principal's copy, {pages} pages as LibreOffice lays it out)"
    assert pages >= 2


def test_without_libreoffice_the_pages_are_estimated_and_said_to_be(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = None
    if soffice() is not None:  # the real count, to hold the estimate against
        _export(sample_brief, tmp_path / "real.docx", capsys, "--no-page-count")
        counted = page_count(docx_to_pdf((tmp_path / "real.docx").read_bytes()))
    _no_libreoffice(monkeypatch, tmp_path)
    out = tmp_path / "memo.docx"
    said = _export(sample_brief, out, capsys)
    prefix = f"wrote {out} (principal's copy, about "
    assert said.startswith(prefix)
    assert said.endswith(" pages, estimated (LibreOffice is not installed (libreoffice-writer-nogui)))")
    estimate = float(said[len(prefix):].split()[0])
    assert estimate > 1
    if counted is not None:
        assert counted - 1 < estimate <= counted  # a started page counts as a page


def test_with_neither_libreoffice_nor_the_tree_the_count_is_unavailable(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "memo.docx"
    _export(sample_brief, out, capsys, "--no-page-count")
    _no_libreoffice(monkeypatch, tmp_path)
    assert str(docx_pages(out.read_bytes())) == (
        "page count unavailable: LibreOffice is not installed (libreoffice-writer-nogui)")


def test_no_page_count_says_nothing_of_pages(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "memo.docx"
    assert _export(sample_brief, out, capsys, "--no-page-count") == f"wrote {out} (principal's copy)"

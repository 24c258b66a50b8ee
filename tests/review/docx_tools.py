"""The independent tools these tests check DOCX files with: LibreOffice (a real second producer:
open and save again as Word does), pandoc (an oracle for what a reviewed file says), and plain
ZIP surgery for damaged or stripped files."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")


def through_libreoffice(path: Path, folder: Path) -> Path:
    """`path` opened and saved again as DOCX by LibreOffice (headless), into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(folder), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    out = folder / path.name
    assert out.is_file(), f"LibreOffice wrote no {out}"
    return out


def pandoc_plain(path: Path, mode: str = "accept") -> str:
    """pandoc's plain text of a DOCX with tracked changes accepted, rejected or all shown."""
    done = subprocess.run(
        ["pandoc", "-f", "docx", f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return done.stdout


def normal(text: str) -> str:
    return " ".join(text.split())


def rewrite(path: Path, out: Path, keep: Callable[[str], bool] = lambda name: True,
            change: Callable[[str, bytes], bytes] = lambda name, data: data) -> Path:
    """A copy of the package at `path` with only the parts `keep` accepts, each through `change`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if keep(name):
                target.writestr(name, change(name, source.read(name)))
    out.write_bytes(buffer.getvalue())
    return out


def body_of(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(qn("w:body"))


def bookmark_names(path: Path) -> list[str]:
    return [b.get(qn("w:name")) for b in body_of(path).iter(qn("w:bookmarkStart"))]

"""The writers registry and the last step of every export: check where the file goes, refuse an
output that is an input, hand the document tree to a writer and write its bytes atomically.

Apart from `export` (which renders) so that an export found in the run cache (`export_cache`)
loads only this and the one writer it needs. Writers form a registry (harlequin's `export.py`):
adding a format is adding one entry.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefkit.errors import ExportError
from briefkit.fsio import atomic_write, write_target

if TYPE_CHECKING:
    from briefkit.render.document import Document
    from briefkit.render.roundtrip import RoundTrip


class Writer(NamedTuple):
    suffix: str
    write: Callable[[Document, Path | None, RoundTrip | None], bytes]
    anchors: bool = False  # the file carries bookmarks and an export record (see `roundtrip`)


def _markdown(doc: Document, reference_doc: Path | None, roundtrip: RoundTrip | None) -> bytes:
    from briefkit.render.markdown import write_markdown

    return write_markdown(doc).encode("utf-8")


def _docx(doc: Document, reference_doc: Path | None, roundtrip: RoundTrip | None) -> bytes:
    from briefkit.render.docx import write_docx  # python-docx loads only when DOCX is asked for

    return write_docx(doc, reference_doc=reference_doc, roundtrip=roundtrip)


def _pdf(doc: Document, reference_doc: Path | None, roundtrip: RoundTrip | None) -> bytes:
    from briefkit.render.pdf import write_pdf  # the DOCX file, converted by LibreOffice

    return write_pdf(doc, reference_doc=reference_doc)


WRITERS: dict[str, Writer] = {
    "md": Writer(".md", _markdown), "docx": Writer(".docx", _docx, anchors=True), "pdf": Writer(".pdf", _pdf),
}


class Plan(NamedTuple):
    """All a writer is handed: the tree, the reference document (DOCX, PDF), and the marks and
    record of the Word round trip (DOCX)."""

    document: Document
    reference_doc: Path | None
    roundtrip: RoundTrip | None


class Output(NamedTuple):
    """Where an export writes: the file as named, and the file a write replaces (a symlink's target)."""

    path: Path
    target: Path


def writer_for(fmt: str) -> Writer:
    if fmt not in WRITERS:
        raise ExportError(f"unknown format '{fmt}' (choose {', '.join(WRITERS)})")
    return WRITERS[fmt]


def output_for(brief_path: Path | None, fmt: str, out: Path | None) -> Output:
    """The output file: `out`, else the brief's name with the format's suffix; its folder must exist."""
    if out is None:
        base = brief_path or Path("brief")
        out = base.with_name(base.name.split(".")[0] + writer_for(fmt).suffix)
    out = Path(out)
    if not os.path.islink(out) and not os.path.isdir(out.parent):
        raise ExportError("the output folder does not exist", path=out.parent)
    return Output(out, write_target(out, ExportError))


def refuse_inputs(out: Output, inputs: Iterable[tuple[Path, str]]) -> None:
    """An output that is one of the export's inputs (by name, symlink or hard link) is refused
    before anything is rendered: replacing it would destroy the input."""
    try:
        written = os.stat(out.target)
    except OSError:
        return  # a new file cannot be an input
    for path, what in inputs:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (written.st_dev, written.st_ino):
            shown = f" ({path})" if Path(os.path.abspath(path)) != Path(os.path.abspath(out.path)) else ""
            raise ExportError(f"is {what}{shown}, an input of this export: choose another output "
                              "file", path=out.path)


def write_plan(plan: Plan, fmt: str, out: Output) -> None:
    """The file written whole or not at all."""
    atomic_write(out.path, writer_for(fmt).write(*plan), ExportError)

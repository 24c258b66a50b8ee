"""The one export pipeline: verify quotes, render the template, parse into the document tree,
number footnotes in reading order, hand the tree to a writer, write the file atomically.

Writers form a registry (harlequin's `export.py`): adding a format is adding one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefkit.brief.check import CheckReport, check_brief, library_for
from briefkit.brief.model import Brief
from briefkit.errors import ExportError
from briefkit.fsio import atomic_write
from briefkit.library.library import Library
from briefkit.render.context import build_context
from briefkit.render.csl import CiteItem, NoteFormatter
from briefkit.render.document import Block, Document, Meta, Paragraph
from briefkit.render.markdown import write_markdown
from briefkit.render.parse import number_notes, parse_document
from briefkit.render.templates import TemplateInfo, Templates


@dataclass(frozen=True, slots=True)
class Writer:
    suffix: str
    write: Callable[[Document, Path | None], bytes]


def _markdown(doc: Document, reference_doc: Path | None) -> bytes:
    return write_markdown(doc).encode("utf-8")


def _docx(doc: Document, reference_doc: Path | None) -> bytes:
    from briefkit.render.docx import write_docx  # python-docx loads only when DOCX is asked for

    return write_docx(doc, reference_doc=reference_doc)


WRITERS: dict[str, Writer] = {"md": Writer(".md", _markdown), "docx": Writer(".docx", _docx)}


@dataclass(slots=True)
class Rendered:
    """A brief rendered through its template: the tree every writer gets, and how it was made."""

    document: Document
    markdown: str  # the template's output, before parsing (quotes as markers: see `verbatim`)
    verbatim: dict[str, str]
    template: TemplateInfo
    report: CheckReport
    unverified: list[str] = field(default_factory=list)


def render_brief(
    brief: Brief,
    library: Library | None = None,
    *,
    template: str | None = None,
    style: str | None = None,
    allow_unverified: bool = False,
) -> Rendered:
    """Verify every quote, then build the document tree; an orphaned quote stops here."""
    library = library or library_for(brief)
    templates = Templates(brief.path.parent if brief.path else None)
    info = templates.get(template or brief.template)
    report = check_brief(brief, library, expected_sections=info.sections)
    for finding in report.findings:
        if finding.bad_input:
            raise ExportError(finding.message, path=brief.path, line=finding.line)
    unverified = [cid for cid, v in report.verifications.items() if not v.ok]
    if unverified and not allow_unverified:
        reasons = "; ".join(f"'{cid}': {report.verifications[cid].reason}" for cid in unverified)
        raise ExportError(f"quotes that do not match their source: {reasons} (fix them, or export with "
                          "--allow-unverified to mark them in the output)", path=brief.path)
    verbatim: dict[str, str] = {}
    context = build_context(brief, library, report.verifications, info.sections, verbatim)
    markdown = templates.render(info.name, context)
    meta = Meta(brief.title, brief.subtitle, brief.author, brief.organisation, brief.date, brief.audience)
    document = parse_document(markdown, meta, verbatim)
    views = {c.id: c for c in context["citations"]}
    # Only the cited sources: cleaning every entry of a large library would cost more than the notes.
    cited = {view.source.id for view in views.values()}
    formatter = NoteFormatter({sid: e.csl for sid, e in library.entries.items() if sid in cited},
                              style or brief.style)

    def cite_notes(notes: list[list[str]]) -> list[list[Block]]:
        requests = []
        for ids in notes:
            items = []
            for cid in ids:
                view = views.get(cid)
                if view is None:
                    raise ExportError(f"the template cites unknown citation '@{cid}'", path=info.path)
                label, _, number = view.locator.partition(" ")
                items.append(CiteItem(view.source.id, number or None,
                                      {"para.": "paragraph", "p.": "page"}.get(label)))
            requests.append(items)
        return [[Paragraph(inlines)] for inlines in formatter.format_notes(requests)]

    number_notes(document, cite_notes)
    return Rendered(document, markdown, verbatim, info, report, unverified)


def export_brief(
    brief: Brief,
    fmt: str,
    out: Path | None = None,
    *,
    template: str | None = None,
    style: str | None = None,
    reference_doc: Path | None = None,
    allow_unverified: bool = False,
) -> Path:
    """Export to `fmt` ("md" or "docx"); the output appears whole or not at all."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown format '{fmt}' (choose {', '.join(WRITERS)})")
    writer = WRITERS[fmt]
    if out is None:
        base = brief.path or Path("brief")
        out = base.with_name(base.name.split(".")[0] + writer.suffix)
    out = Path(out)
    if out.is_dir():
        raise ExportError("is a folder; give a file name", path=out)
    if not out.parent.is_dir():
        raise ExportError("the output folder does not exist", path=out.parent)
    rendered = render_brief(brief, template=template, style=style, allow_unverified=allow_unverified)
    if reference_doc is None and fmt == "docx":
        reference_doc = rendered.template.reference_docx
    atomic_write(out, writer.write(rendered.document, reference_doc))
    return out

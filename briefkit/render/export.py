"""The one export pipeline: verify quotes, render the template, parse into the document tree,
number footnotes in reading order, then hand the tree to a writer (`writers`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from briefkit.brief.check import CheckReport, check_brief, library_for
from briefkit.brief.model import Brief
from briefkit.errors import BriefkitError, ExportError
from briefkit.library.interface import SourceLibrary
from briefkit.library.library import Library
from briefkit.render import run_cache
from briefkit.render.context import build_context
from briefkit.render.csl.locators import prose_locator, quote_locator
from briefkit.render.csl.style_files import resolve_style
from briefkit.render.document import Block, Document, Inline, Meta, Paragraph
from briefkit.render.parse import number_notes, parse_document, prose_citations
from briefkit.render.references import place_bibliography
from briefkit.render.render_limits import RenderLimits
from briefkit.render.roundtrip import Marks, RoundTrip, build_record
from briefkit.render.template_paths import search_path
from briefkit.render.templates import COPIES, TemplateInfo, Templates
from briefkit.render.writers import Plan, output_for, refuse_inputs, write_plan, writer_for

if TYPE_CHECKING:
    from briefkit.render.csl import NoteFormatter

T = TypeVar("T")
Cite = tuple[str, "str | None", "str | None"]  # a cite in a note: source id, locator, locator label


@dataclass(slots=True)
class Rendered:
    """A brief rendered through its template: the tree every writer gets, and how it was made."""

    document: Document
    markdown: str  # the template's output, before parsing (quotes as markers: see `verbatim`)
    verbatim: dict[str, str]
    template: TemplateInfo
    report: CheckReport
    unverified: list[str] = field(default_factory=list)
    marks: Marks | None = None  # where the brief's elements are in the tree's text, if asked for


def render_brief(
    brief: Brief,
    library: Library | None = None,
    *,
    template: str | None = None,
    style: str | None = None,
    allow_unverified: bool = False,
    limits: RenderLimits | None = None,
    copy: str = "reviewer",
    anchors: bool = False,
) -> Rendered:
    """Verify every quote, then build the document tree; an orphaned quote stops here.

    `copy` is the copy the template prints: by default the reviewer's, with every part (the
    analyst's own view, as in the TUI's preview); exports default to the principal's.
    """
    if copy not in COPIES:
        raise ExportError(f"unknown copy '{copy}' (choose {', '.join(COPIES)})", field="--copy")
    library = library or library_for(brief)
    templates = Templates(brief.path.parent if brief.path else None, limits)
    try:
        info = templates.get(template or brief.template)
    except BriefkitError as exc:
        raise exc if template else _at_key(exc, brief, "template") from None
    report = check_brief(brief, library, prose_citations)
    for finding in report.findings:
        if finding.bad_input:
            raise ExportError(finding.message, path=brief.path, line=finding.line)
    unverified = [cid for cid, v in report.verifications.items() if not v.ok]
    if unverified and not allow_unverified:
        reasons = "; ".join(f"'{cid}': {report.verifications[cid].reason}" for cid in unverified)
        raise ExportError(f"quotes that do not match their source: {reasons} (fix them, or export with "
                          "--allow-unverified to mark them in the output)", path=brief.path)
    verbatim: dict[str, str] = {}
    context = build_context(brief, library, report.verifications, info.sections, verbatim, copy, info.copies)
    marks = Marks() if anchors else None  # the brief's elements, marked for the DOCX's bookmarks
    if marks is not None:
        marks.mark_context(context, brief)
    markdown = templates.render(info.name, context)
    meta = Meta(brief.title, brief.subtitle, brief.author, brief.organisation, brief.date, brief.audience)
    document = parse_document(markdown, meta, verbatim)
    views = {c.id: c for c in context["citations"]}
    # Only the cited sources: cleaning every entry of a large library would cost more than the notes.
    cited = {view.source.id for view in views.values()}
    try:
        resolve_style(style_of(brief, style))
    except BriefkitError as exc:
        raise exc if style else _at_key(exc, brief, "style") from None
    formatter = _Formatter({sid: e.csl for sid, e in library.entries.items() if sid in cited},
                           style_of(brief, style))

    def cite_notes(notes: list[list[str]]) -> list[list[Block]]:
        requests = []
        for ids in notes:
            items = []
            for written in ids:
                cid, _, locator = written.partition(",")  # "c1, para. 5": the prose's own locator
                view = views.get(cid)
                if view is None:
                    raise ExportError(f"the template cites unknown citation '@{cid}'", path=info.path)
                number, label = prose_locator(locator) if locator.strip() else quote_locator(view.locator)
                items.append((view.source.id, number, label))
            requests.append(items)
        return [[Paragraph(inlines)] for inlines in formatter.notes(requests)]

    number_notes(document, cite_notes, in_text=formatter.in_text)

    def entries(whole_library: bool) -> list[list[Inline]]:
        if not whole_library:
            return formatter.bibliography(sorted(cited))
        from briefkit.render.csl import NoteFormatter  # citeproc-py loads here

        everything = NoteFormatter({sid: e.csl for sid, e in library.entries.items()},
                                   style_of(brief, style))
        return everything.format_bibliography(list(library.entries))

    place_bibliography(document, entries, "References" if formatter.in_text else "Bibliography")
    return Rendered(document, markdown, verbatim, info, report, unverified, marks)


def _citeproc_files() -> tuple[Path, ...]:
    """citeproc-py's version, by the files that hold it, found without importing it: an export whose
    notes come from the run cache never loads citeproc-py."""
    spec = importlib.util.find_spec("citeproc")
    home = Path(spec.origin).parent if spec is not None and spec.origin else None
    return (home / "__init__.py", home / "_version.py") if home is not None else ()


class _Formatter:
    """The notes and bibliography of one export, from the run cache when the same style, sources
    and citations were formatted before by the same code (an export after editing prose only);
    citeproc runs, and the style is loaded, only for what is not there."""

    CODE = (*sorted(Path(__file__).with_name("csl").glob("*.py")), Path(__file__).with_name("document.py"),
            *_citeproc_files())

    def __init__(self, items: dict[str, Any], style: str) -> None:
        self.items, self.style = items, style
        path = resolve_style(style)
        self._key = [hashlib.sha256(path.read_bytes()).hexdigest(), items]
        self._made: NoteFormatter | None = None

    def _formatter(self) -> NoteFormatter:
        if self._made is None:
            from briefkit.render.csl import NoteFormatter  # citeproc-py loads here, on a cache miss

            self._made = NoteFormatter(self.items, self.style)
        return self._made

    def _remember(self, what: str, given: Any, make: Callable[[], T]) -> T:
        key = json.dumps([what, *self._key, given], sort_keys=True, default=repr).encode()
        return run_cache.remember("csl", key, make, *self.CODE)

    @property
    def in_text(self) -> bool:
        return self._remember("in-text", None, lambda: self._formatter().in_text)

    def notes(self, requests: list[list[Cite]]) -> list[list[Inline]]:
        """Each note's cites as (source id, locator, locator label)."""
        def make() -> list[list[Inline]]:
            from briefkit.render.csl import CiteItem

            return self._formatter().format_notes([[CiteItem(*cite) for cite in note] for note in requests])

        return self._remember("notes", requests, make)

    def bibliography(self, ids: list[str]) -> list[list[Inline]]:
        return self._remember("bibliography", ids, lambda: self._formatter().format_bibliography(ids))


def _at_key(exc: BriefkitError, brief: Brief, key: str) -> BriefkitError:
    """An error naming no file is about the brief's own `key` (an unknown name): point at its line."""
    if exc.path is None and brief.path is not None:
        exc.path, exc.line, exc.field = brief.path, brief.key_lines.get(key), key
    return exc


class Exported(NamedTuple):
    """A written export, the rendering it was written from (for its page estimate, say), and what
    the writer was handed."""

    path: Path
    rendered: Rendered
    plan: Plan


def export_brief(brief: Brief, fmt: str, out: Path | None = None, **options: Any) -> Path:
    """Export to `fmt` and return the file written; `options` are those of `export`."""
    return export(brief, fmt, out, **options).path


def export(
    brief: Brief,
    fmt: str,
    out: Path | None = None,
    *,
    template: str | None = None,
    style: str | None = None,
    reference_doc: Path | None = None,
    allow_unverified: bool = False,
    limits: RenderLimits | None = None,
    copy: str = "principal",
    library: Library | SourceLibrary | None = None,
    read: Sequence[tuple[Path, str]] | None = None,
) -> Exported:
    """Export to `fmt` ("md", "docx" or "pdf"); the output appears whole or not at all.

    `copy` is "principal" (the deliverable: without the parts the template keeps for reviewers,
    such as analyst notes and the evidence register) or "reviewer" (everything). `library` is
    the brief's, and `read` the files the export reads (`inputs`), when the caller has them already.
    """
    writer = writer_for(fmt)
    output = output_for(brief.path, fmt, out)
    library = library or library_for(brief)
    refuse_inputs(output, inputs(brief, library, template, style, reference_doc, fmt) if read is None else read)
    rendered = render_brief(brief, library, template=template, style=style,
                            allow_unverified=allow_unverified, limits=limits, copy=copy,
                            anchors=writer.anchors)
    if reference_doc is None and fmt in ("docx", "pdf"):
        reference_doc = rendered.template.reference_docx
    roundtrip = None
    if rendered.marks is not None:
        record = build_record(brief, library, rendered.report.verifications, rendered.template.name,
                              style_of(brief, style))
        roundtrip = RoundTrip(rendered.marks, record, tuple(getattr(brief, "review", ())))
    plan = Plan(rendered.document, reference_doc, roundtrip)
    write_plan(plan, fmt, output)
    return Exported(output.path, rendered, plan)


def style_of(brief: Brief, style: str | None) -> str:
    """The style to use: `--style` as given (a file relative to where the command runs), else the
    brief's own `style:`, whose .csl file is relative to the brief, as its library is."""
    if style:
        return style
    path = Path(brief.style).expanduser()
    is_file = brief.style.endswith(".csl") or path.parent != Path(".")
    if is_file and not path.is_absolute() and brief.path is not None:
        return str(brief.path.parent / path)
    return brief.style


def inputs(brief: Brief, library: Library | SourceLibrary, template: str | None, style: str | None,
            reference_doc: Path | None, fmt: str) -> Iterator[tuple[Path, str]]:
    """Every file this export reads, with what it is (for `refuse_inputs`, and the run cache's
    check that none has changed)."""
    if brief.path is not None:
        yield brief.path, "the brief being exported"
    yield from library.files()
    if reference_doc is not None:
        yield reference_doc, "the reference document"
    try:
        info = Templates(brief.path.parent if brief.path else None).get(template or brief.template)
    except BriefkitError:
        info = None  # rendering names the unknown template
    if info is not None:
        yield info.path, f"the template '{info.name}'"
        if info.reference_docx is not None and fmt in ("docx", "pdf"):
            yield info.reference_docx, f"the reference document of template '{info.name}'"
    # Any file in a template folder may be included or extended by the template.
    for _, folder in search_path(brief.path.parent if brief.path else None):
        if folder.is_dir():
            for path in folder.rglob("*"):
                yield path, "a template file"
    try:
        yield resolve_style(style_of(brief, style)), "the citation style file"
    except BriefkitError:
        pass  # rendering names the unknown style

"""The findings behind `briefkit check`: broken references, orphaned quotes, quotes whose re-anchoring
needs the analyst's review, quotes a reviewer changed in Word, thin evidence; and saving what is
safe or explicitly accepted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from briefkit.brief.anchoring import Verification, show_in_context, verify
from briefkit.brief.model import ELEMENT_PATTERN, Anchor, Brief, Citation, ReviewItem
from briefkit.errors import BriefkitError
from briefkit.library.interface import SourceLibrary, is_library_url, open_library
from briefkit.library.library import Library


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem. `bad_input` findings make the brief unusable (exit 2); other errors exit 1;
    warnings alone leave the status at 0."""

    severity: str  # "error" | "warning"
    code: str
    message: str
    path: str = ""
    line: int | None = None
    position: str = ""
    citation: str = ""
    section: str = ""
    bad_input: bool = False
    recorded: str = ""  # needs-review: the stored quote in its recorded context (one line)
    found: str = ""  # needs-review: the candidate copy in its context now

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        return f"{where}: {self.severity}: {self.message}" if where else f"{self.severity}: {self.message}"


@dataclass(slots=True)
class CheckReport:
    findings: list[Finding]
    verifications: dict[str, Verification]  # by citation id

    @property
    def exit_status(self) -> int:
        if any(f.bad_input for f in self.findings):
            return 2
        return 1 if any(f.severity == "error" for f in self.findings) else 0


ProseReader = Callable[[str], tuple[list[str], list[str]]]
"""Reads prose as an export does: the ids it cites, in order, and the bracketed texts with an
`@id` that are not citations (`render.parse.prose_citations`, handed down by the caller, so that
check and export agree on what cites what while this layer imports no renderer)."""


def check_brief(brief: Brief, library: Library, read_prose: ProseReader) -> CheckReport:
    """The brief's own findings; a template's budgets and editorial rules (empty expected sections
    among them) are `render.template_checks`'."""
    path = str(brief.path or "")
    findings: list[Finding] = []

    def add(severity: str, code: str, message: str, **kw: object) -> None:
        findings.append(Finding(severity, code, message, path=path, **kw))  # type: ignore[arg-type]

    citation_ids = {c.id for _, c in brief.citations()}
    for name, text in brief.sections.items():
        cited, near = read_prose(text)
        for ref in cited:
            if ref not in citation_ids:
                add("error", "unknown-citation", f"section '{name}' cites unknown citation '@{ref}'",
                    line=brief.section_lines.get(name), section=name, bad_input=True)
        for bracket in near:
            add("warning", "not-a-citation", f"section '{name}': {bracket} is not a citation and "
                "prints as it stands (write [@id], [@a; @b] or [@id, para. 3])",
                line=brief.section_lines.get(name), section=name)

    verifications: dict[str, Verification] = {}
    texts: dict[str, str] = {}
    for position, cite in brief.citations():
        if cite.source not in library.entries:
            add("error", "unknown-source", f"citation '{cite.id}' names unknown source '{cite.source}'",
                line=cite.line, position=position.id, citation=cite.id, bad_input=True)
            continue
        try:  # each source read (and its file stat-ed) once per check, not once per quote
            text = texts[cite.source] if cite.source in texts else library.source(cite.source).text
            texts[cite.source] = text
        except BriefkitError as exc:
            add("error", "unreadable-source", f"citation '{cite.id}': {exc}", line=cite.line,
                position=position.id, citation=cite.id, bad_input=True)
            continue
        result = verify(cite.anchor, text)
        verifications[cite.id] = result
        if result.status == "orphaned":
            add("error", "orphaned-quote", f"citation '{cite.id}' is orphaned: {result.reason}",
                line=cite.line, position=position.id, citation=cite.id)
        elif result.status == "needs-review" and result.candidate is not None:
            add("error", "needs-review", f"citation '{cite.id}' needs review: {result.reason}",
                line=cite.line, position=position.id, citation=cite.id,
                recorded=show_in_context(cite.anchor), found=show_in_context(result.candidate))
        elif result.status == "moved":
            add("warning", "moved-quote", f"citation '{cite.id}': {result.reason} (check --fix saves it)",
                line=cite.line, position=position.id, citation=cite.id)

    for item in brief.review:
        if item.kind == "quote-change" and item.status == "open":
            add("error", "quote-changed-in-review", quote_change_message(brief, item, texts, verifications),
                line=item.line, citation=_quoted_citation(item))

    for position in brief.positions:
        cites = position.citations
        if not cites:
            add("error", "no-evidence", f"position '{position.id}' has no citations", line=position.line,
                position=position.id)
            continue
        if len({c.source for c in cites}) == 1:
            add("warning", "single-source",
                f"position '{position.id}' rests on a single source ('{cites[0].source}')",
                line=position.line, position=position.id)
        if not any(c.stance == "opposes" for c in cites):
            add("warning", "no-opposing-quote", f"position '{position.id}' has no opposing quote",
                line=position.line, position=position.id)
    return CheckReport(findings, verifications)


def quote_change_message(brief: Brief, item: ReviewItem, texts: dict[str, str],
                         verifications: dict[str, Verification]) -> str:
    """"the reviewer changed the quoted text of CITATION: …", with the source's own text beside it
    (the library's text at the quote's verified place, else the quote as the brief holds it)."""
    from briefkit.brief.textmerge import word_diff  # difflib loads only for this message

    cid = _quoted_citation(item)
    who = ", ".join(part for part in (item.author, item.date) if part)
    found = brief.find_citation(cid)
    source_text = item.quoted
    if found is not None:
        result = verifications.get(cid)
        text = texts.get(found[1].source)
        anchor = result.anchor if result is not None and result.ok else None
        source_text = text[anchor.start:anchor.end] if anchor is not None and text else found[1].anchor.quote
    return (f"the reviewer{f' ({who})' if who else ''} changed the quoted text of {cid}: "
            f"{word_diff(item.quoted, item.text)}; not applied: the source reads “{source_text}” "
            f"(resolve review entry {item.id} once settled)")


def _quoted_citation(item: ReviewItem) -> str:
    match = ELEMENT_PATTERN.fullmatch(item.element)
    return (match.group("citation") if match else None) or ""


def apply_reanchoring(brief: Brief, report: CheckReport) -> list[Citation]:
    """Store the offsets of quotes found, with certainty, at a new place; returns what changed."""
    changed = []
    for _, cite in brief.citations():
        result = report.verifications.get(cite.id)
        if result is not None and result.status == "moved":
            cite.anchor = result.anchor
            changed.append(cite)
    return changed


def accept_reanchoring(brief: Brief, report: CheckReport, citation_ids: list[str]) -> list[Citation]:
    """Re-anchor the named citations where `report` found their text (moved or needs review):
    the analyst's explicit acceptance, the only way a needs-review candidate is stored.

    Raises:
        BriefkitError: a citation is unknown or has no place to go (verified where it is, or
            orphaned); nothing is changed then.
    """
    targets: list[tuple[Citation, Anchor]] = []
    for cid in dict.fromkeys(citation_ids):
        found = brief.find_citation(cid)
        if found is None:
            raise BriefkitError(f"unknown citation '{cid}'", path=brief.path, field="--accept")
        cite = found[1]
        result = report.verifications.get(cid)
        status = result.status if result is not None else "not verified (unknown or unreadable source)"
        target = result.to_accept if result is not None else None
        if target is None:
            raise BriefkitError(f"citation '{cid}' has nothing to accept: it is {status}",
                                path=brief.path, line=cite.line, field="--accept")
        targets.append((cite, target))
    for cite, target in targets:
        cite.anchor = target
    return [cite for cite, _ in targets]


def library_for(brief: Brief) -> Library | SourceLibrary:
    """Open the brief's library (a folder, or a team library's URL), with a message naming the
    brief when it is missing."""
    if is_library_url(brief.library):
        try:
            return open_library(brief.library)
        except BriefkitError as exc:
            raise BriefkitError(exc.message, path=brief.path, line=brief.key_lines.get("library"),
                                field="library") from None
    folder = brief.library_dir()
    if not folder.is_dir():
        raise BriefkitError(f"library folder not found: {folder}", path=brief.path,
                            line=brief.key_lines.get("library"), field="library")
    return Library.open(Path(folder))

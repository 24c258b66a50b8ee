"""What templates see: the brief, its positions and verified citations, sources, and helpers.

Plain text (titles, quotes) is escaped when printed; prose and helper output is `Markdown`.
Every quote a template can print is the verified text from the source, never a copy typed
elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from briefkit.brief.anchoring import Verification
from briefkit.brief.model import STANCES, Brief, Citation, Position
from briefkit.library.library import Library
from briefkit.library.model import Source
from briefkit.render.markdown_text import Markdown, escape
from briefkit.render.parse import VERBATIM_CLOSE, VERBATIM_OPEN
from briefkit.render.references import bibliography_marker
from briefkit.render.typography import smart_markdown, smart_text

STANCE_MARKS = {"supports": "+", "opposes": "−", "context": "○"}
LOCATOR_LABELS = {"paragraph": "para.", "page": "p."}


@dataclass(slots=True)
class SourceView:
    id: str
    title: str
    outlet: str
    issued: str
    url: str
    authors: str
    sha256: str
    csl: dict[str, Any]


@dataclass(slots=True)
class CitationView:
    id: str
    quote: str
    stance: str
    note: str
    source: SourceView
    locator: str  # "para. 4" / "p. 12"
    verified: bool
    position_id: str

    @property
    def cite(self) -> Markdown:
        return Markdown(f"[@{self.id}]")

    def __str__(self) -> str:
        return self.quote


@dataclass(slots=True)
class PositionView:
    id: str
    title: str
    holder: str
    summary: Markdown
    citations: list[CitationView]
    supporting: list[CitationView] = field(default_factory=list)
    opposing: list[CitationView] = field(default_factory=list)
    context: list[CitationView] = field(default_factory=list)

    @property
    def sources(self) -> list[SourceView]:
        seen: dict[str, SourceView] = {}
        for c in self.citations:
            seen.setdefault(c.source.id, c.source)
        return list(seen.values())


def _authors(csl: dict[str, Any]) -> str:
    names = []
    for a in csl.get("author") or []:
        if isinstance(a, dict):
            names.append(a.get("literal") or " ".join(x for x in (a.get("given"), a.get("family")) if x))
    return ", ".join(n for n in names if n)


def source_view(source: Source) -> SourceView:
    e = source.entry
    return SourceView(e.id, e.title, e.outlet, e.issued, str(e.csl.get("URL", "")), _authors(e.csl),
                      source.sha256, e.csl)


def build_context(
    brief: Brief,
    library: Library,
    verifications: dict[str, Verification],
    expected_sections: Iterable[str] = (),
    verbatim: dict[str, str] | None = None,
    copy: str = "reviewer",
    copies: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, Any]:
    """The template context. `verifications` holds the outcome of verifying every citation.

    Quotes printed by the helpers go into `verbatim` and appear in the Markdown as markers that
    the parser swaps back for the exact source text (see `parse.VERBATIM_OPEN`). `copy` is the
    copy being printed and `copies` the template's header saying which optional parts each copy
    has (None: the template prints one copy, every part in it).
    """
    table = verbatim if verbatim is not None else {}
    declared = frozenset().union(*copies.values()) if copies else frozenset()

    def in_copy(part: str) -> bool:
        """Whether this copy prints `part`; a part the header names nowhere is a typo, not a no."""
        if copies is None:
            return True
        if part not in declared:
            raise ValueError(f"part '{part}' is not named in the template's copies: header "
                             f"(named: {', '.join(sorted(declared)) or 'none'})")
        return part in copies[copy]

    def exact(text: str) -> str:
        key = str(len(table))
        table[key] = text
        return f"{VERBATIM_OPEN}{key}{VERBATIM_CLOSE}"

    cited = {c.source for _, c in brief.citations()}
    sources = {sid: source_view(library.source(sid)) for sid in library.entries if sid in cited}
    positions = [_position_view(p, library, sources, verifications) for p in brief.positions]
    by_id = {c.id: c for p in positions for c in p.citations}
    sections = {name: Markdown("") for name in expected_sections}
    sections.update({name: Markdown(smart_markdown(text.strip())) for name, text in brief.sections.items()})

    def lookup(citation: CitationView | str) -> CitationView:
        if isinstance(citation, CitationView):
            return citation
        if str(citation) not in by_id:
            raise ValueError(f"unknown citation '{citation}'")
        return by_id[str(citation)]

    def cite(citation: CitationView | str) -> Markdown:
        return lookup(citation).cite

    def quote(citation: CitationView | str) -> Markdown:
        """An inline quotation with its footnote: “…”[^n]."""
        c = lookup(citation)
        return Markdown(_mark(c, f"“{exact(c.quote)}”") + str(c.cite))

    def blockquote(citation: CitationView | str) -> Markdown:
        """The quote verbatim as a block quote, its footnote at the end."""
        c = lookup(citation)
        paragraphs: list[str] = [exact(p) for p in c.quote.split("\n\n") if p.strip()]
        paragraphs[-1] = paragraphs[-1] + str(c.cite)
        paragraphs[0] = _mark(c, paragraphs[0])
        body = "\n>\n".join("> " + p for p in paragraphs)
        return Markdown(body)

    def evidence_matrix() -> Markdown:
        """Sources down, positions across (positions are few; sources may be many)."""
        used = list(sources.values())
        if not positions or not used:
            return Markdown("")
        counts: dict[tuple[str, str, str], int] = {}
        for p in positions:
            for c in p.citations:
                key = (p.id, c.source.id, c.stance)
                counts[key] = counts.get(key, 0) + 1
        head = "| Source | " + " | ".join(escape(p.title) for p in positions) + " |"
        rule = "|:--|" + "|".join(":-:" for _ in positions) + "|"
        rows = []
        for s in used:
            cells = [
                " ".join(f"{STANCE_MARKS[st]}{n}" for st in STANCES if (n := counts.get((p.id, s.id, st), 0)))
                for p in positions
            ]
            rows.append(f"| {escape(s.title.strip('[]'))} | " + " | ".join(cells) + " |")
        legend = "*Quotes from each source on each position: + supporting, − opposing, ○ context.*"
        return Markdown("\n".join([head, rule, *rows, "", legend]))

    def evidence_appendix(hashes: bool = True) -> Markdown:
        """Every quote with its source and locator; `hashes` adds the SHA-256 it was verified against."""
        items = []
        for p in positions:
            for c in p.citations:
                status = "verified" if c.verified else "NOT VERIFIED"
                against = f" against SHA-256 `{c.source.sha256}`" if hashes else ""
                items.append(
                    f"1. **{exact(c.id)}** ({c.stance}, {escape(p.title)}). {escape(c.source.title)}, "
                    f"{c.locator}: “{exact(c.quote)}” — {status}{against}"
                )
        return Markdown("\n".join(items))

    return {
        "brief": {
            "title": brief.title, "subtitle": brief.subtitle, "author": brief.author,
            "organisation": brief.organisation, "date": brief.date, "audience": brief.audience,
            "template": brief.template, "style": brief.style,
        },
        "sections": sections,
        "positions": positions,
        "citations": list(by_id.values()),
        "sources": list(sources.values()),
        "cite": cite,
        "quote": quote,
        "blockquote": blockquote,
        "evidence_matrix": evidence_matrix,
        "evidence_appendix": evidence_appendix,
        "bibliography": lambda library=False: Markdown(bibliography_marker(library)),
        "copy": copy,
        "in_copy": in_copy,
    }


def _mark(c: CitationView, text: str) -> str:
    """Quotes exported with --allow-unverified carry a visible marker (a pandoc span)."""
    return text if c.verified else f"[{text}]{{.unverified}}"


def _position_view(
    p: Position, library: Library, sources: dict[str, SourceView], verifications: dict[str, Verification]
) -> PositionView:
    cites = [_citation_view(c, p.id, library, sources, verifications) for c in p.citations]
    return PositionView(
        id=p.id, title=smart_text(p.title), holder=smart_text(p.holder),
        summary=Markdown(smart_markdown(p.summary.strip())), citations=cites,
        supporting=[c for c in cites if c.stance == "supports"],
        opposing=[c for c in cites if c.stance == "opposes"],
        context=[c for c in cites if c.stance == "context"],
    )


def _citation_view(
    c: Citation, position_id: str, library: Library, sources: dict[str, SourceView],
    verifications: dict[str, Verification],
) -> CitationView:
    result = verifications.get(c.id)
    anchor = result.anchor if result is not None else c.anchor
    loc = library.source(c.source).locator(anchor.start)
    locator = f"{LOCATOR_LABELS[loc[0]]} {loc[1]}" if loc else ""
    return CitationView(
        id=c.id, quote=anchor.quote, stance=c.stance, note=smart_text(c.note), source=sources[c.source],
        locator=locator, verified=result is not None and result.ok, position_id=position_id,
    )

"""`briefkit verify FILE.docx`: every quote of a briefkit DOCX checked against the library, after
any editing in Word, without the brief (the bookmarks and the export record travel in the file).

A quote is intact when each of its printings reads, with tracked changes accepted and with them
rejected, exactly the source's text (whitespace aside: a quote's paragraphs are paragraphs in
Word); altered otherwise, with a word-level difference; missing when none of its printings is
left; unverifiable when the library no longer holds the source text it was exported from. A file
whose record is gone is still checked by its quote bookmarks: each must be found, as it reads
now, in a source of the library named with `--library`.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from briefkit.brief.anchoring import verify
from briefkit.brief.model import Anchor
from briefkit.brief.textmerge import word_diff
from briefkit.errors import BriefkitError, ReviewError
from briefkit.library.interface import SourceLibrary, open_library
from briefkit.render.docx.anchors import range_texts
from briefkit.render.roundtrip import QuoteRecord
from briefkit.review import ElementText, ReviewedDocx, read_reviewed_docx

STATUSES = ("intact", "altered", "missing", "unverifiable")
_QUOTE_BOOKMARK = "q_"  # see render.docx.anchors: the prefix of quote bookmarks


@dataclass(frozen=True, slots=True)
class QuoteVerdict:
    """One quote's outcome; `found` is its text in the document now (changes accepted) where it
    differs, `diff` the word-level difference from the source (`[-removed-]{+added+}`)."""

    citation: str
    source: str
    status: str
    expected: str
    found: str = ""
    diff: str = ""
    how: str = ""  # altered: "by tracked changes" or "directly (track changes off)"
    printings: int = 0
    gone: int = 0  # printings whose bookmarks were deleted
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.status == "intact"


@dataclass(slots=True)
class VerifyReport:
    path: Path
    library: str
    verdicts: list[QuoteVerdict] = field(default_factory=list)
    recorded: bool = True  # False: the export record was gone; quotes were checked by their text

    @property
    def ok(self) -> bool:
        return all(v.intact for v in self.verdicts)

    def counts(self) -> dict[str, int]:
        return {status: sum(v.status == status for v in self.verdicts) for status in STATUSES}


def verify_docx(path: Path, library: SourceLibrary | None = None) -> VerifyReport:
    """Check every quote of the briefkit DOCX at `path` against `library` (default: the one its
    record names).

    Raises:
        ReviewError: the file is not a readable DOCX, or neither an export record nor quote
            bookmarks are in it.
        BriefkitError: no library is given and the recorded one cannot be opened.
    """
    reviewed = read_reviewed_docx(path, require_record=False)
    if reviewed.record is None:
        return _by_text(path, library)
    if library is None:
        library = _recorded_library(reviewed)
    report = VerifyReport(path, library.location)
    for quote in reviewed.record.quotes:
        report.verdicts.append(_verdict(quote, reviewed.printings(f"citations.{quote.citation}.quote"), library))
    return report


def _recorded_library(reviewed: ReviewedDocx) -> SourceLibrary:
    assert reviewed.record is not None
    where = reviewed.record.library_path
    try:
        return open_library(where)
    except BriefkitError as exc:
        raise BriefkitError(f"the library it was exported from cannot be opened ({exc.message}): "
                            "name one with --library", path=reviewed.path) from None


def _normal(text: str) -> str:
    return " ".join(text.split())


def _source_text(quote: QuoteRecord, library: SourceLibrary) -> tuple[bool, str]:
    """Whether the library still holds the quote's text, and why not."""
    if quote.source not in library.entries:
        return False, f"source '{quote.source}' is not in the library"
    source = library.source(quote.source)
    if source.sha256 == quote.source_sha256 or source.text[quote.start : quote.end] == quote.exact:
        return True, ""
    found = verify(Anchor(quote.exact, quote.prefix, quote.suffix, quote.start, quote.end), source.text)
    if found.ok:
        return True, ""
    return False, f"source '{quote.source}' changed since the export and no longer holds the quote ({found.reason})"


def _verdict(quote: QuoteRecord, printings: list[ElementText], library: SourceLibrary) -> QuoteVerdict:
    base = QuoteVerdict(quote.citation, quote.source, "intact", quote.exact, printings=len(printings),
                        gone=sum(not p.placed for p in printings))
    held, reason = _source_text(quote, library)
    if not held:
        return replace(base, status="unverifiable", reason=reason)
    if not printings:
        return replace(base, reason="not printed in this file")
    placed = [p for p in printings if p.placed]
    if not placed:
        return replace(base, status="missing", reason="its text and anchor were deleted")
    want = _normal(quote.exact)
    for printing in placed:
        accepted, rejected = _normal(printing.accepted or ""), _normal(printing.rejected or "")
        if accepted == want and rejected == want:
            continue
        shown = accepted if accepted != want else rejected
        if rejected == want:
            how = "by tracked changes"
        else:
            how = "directly (track changes off)" if accepted == rejected else "directly and by tracked changes"
        where = "" if printing.occurrence == 1 else f" (printing {printing.occurrence})"
        return replace(base, status="altered", found=shown, diff=word_diff(want, shown), how=how + where)
    return base


def _by_text(path: Path, library: SourceLibrary | None) -> VerifyReport:
    """No record: each quote bookmark's text must stand, as it reads now, in some source."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"),
                                etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    body = body.find(qn("w:body"))
    texts = {name: text for name, text in range_texts(body).items() if name.startswith(_QUOTE_BOOKMARK)}
    if not texts:
        raise ReviewError("is not a Word file exported by briefkit: it has neither an export record nor "
                          "quote bookmarks to verify", path=path)
    if library is None:
        raise ReviewError("has lost its export record, so it does not say which library its quotes come "
                          "from: name one with --library", path=path)
    sources = {sid: _normal(library.source(sid).text) for sid in library.entries}
    report = VerifyReport(path, library.location, recorded=False)
    for name, text in texts.items():
        want = _normal(text)
        home = next((sid for sid, body_text in sources.items() if want and want in body_text), "")
        report.verdicts.append(QuoteVerdict(
            name, home, "intact" if home else "altered", want, printings=1,
            reason="" if home else "its text is in no source of the library",
        ))
    return report

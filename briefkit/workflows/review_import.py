"""`briefkit review import`: a reviewed Word file's comments and prose changes back into its brief.

Every finding of the reviewed file (`briefkit.review.read_reviewed_docx`) is placed on the brief
element whose bookmark it falls in. Comments (with their replies and resolved state) are stored
in the brief's `review` list under an id made from their author, date and text, so importing the
same file again adds nothing twice. A changed prose element (section, position title or summary,
analyst note) is a proposal: the word-level difference between its text as exported and its text
with every change accepted, carried over to the brief's Markdown (`brief.textmerge`); `apply`
saves the accepted ones as a new revision of the brief. The element's text in the brief when it
was exported (stored in the file) is the base of a three-way merge with the brief as it is now,
so work done since the export is never overwritten: a change that touches it is a conflict.
A change inside a quote is never applied: it is stored as a quote-change entry that `check` and
the TUI report with the source's text beside it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefkit.brief.model import CITATION, ELEMENT_PATTERN, Brief, Reply, ReviewItem
from briefkit.brief.revisions import revision, update_brief
from briefkit.brief.store import load_brief
from briefkit.brief.textmerge import (
    Alignment,
    apply_hunks,
    has_change,
    hunks,
    merge_change,
    word_diff,
)
from briefkit.errors import BriefkitError, ReviewError
from briefkit.render.roundtrip import LEGACY_ID_PREFIX, ExportRecord, brief_id
from briefkit.review import Change, Comment, ElementText, ReviewedDocx, read_reviewed_docx

__all__ = ["ElementReview", "ProseChange", "ReviewImport", "element_label", "import_review"]

_BLOCKS = ("section", "summary")
# Unchanged text between the marks of a word diff (or the line's ends), to be trimmed.
_MARKED = re.compile(r"(?:(?<=-\])|(?<=\+\})|^)((?:(?!\[-|\{\+).)+)")
_CONTEXT = 40  # characters of unchanged text kept beside a change


def _trimmed_diff(old: str, new: str) -> str:
    """The changed lines of a word diff, long unchanged stretches cut to their ends."""
    return "\n".join(_MARKED.sub(_trim, line) for line in word_diff(old, new, mark="¶").split("\n")
                     if "[-" in line or "{+" in line)


def _trim(match: re.Match[str]) -> str:
    text = match.group(1)
    if len(text) <= 2 * _CONTEXT + 5:
        return text
    at_start, at_end = match.start() == 0, match.end() == len(match.string)
    head = "" if at_start else text[:_CONTEXT]
    tail = "" if at_end else text[-_CONTEXT:]
    return f"{head}…{tail}"


@dataclass(frozen=True, slots=True)
class ProseChange:
    """A reviewer's change to one prose element and what becomes of it.

    `status`: "applicable" (run with apply), "applied", "already" (the brief has it), "conflict"
    (the brief changed there since the export) or "refused" (it cannot be carried to the brief's
    Markdown, e.g. it would edit a citation reference); `reason` says why for the last two.
    """

    element: str
    exported: str
    accepted: str
    tracked: tuple[Change, ...]
    direct: bool
    status: str
    reason: str = ""
    result: str | None = None  # the element's text in the brief with the change

    def diff(self) -> list[str]:
        """The changed paragraphs, each a word diff (``[-old-]{+new+}``) with long unchanged
        stretches cut to their ends."""
        return _trimmed_diff(self.exported, self.accepted).split("\n")


@dataclass(slots=True)
class ElementReview:
    element: str
    label: str
    comments: list[tuple[ReviewItem, bool]] = field(default_factory=list)  # (entry, new?)
    change: ProseChange | None = None
    quote_change: ReviewItem | None = None


@dataclass(slots=True)
class ReviewImport:
    """What an import found, stored and applied, in the brief's order."""

    docx: Path
    brief: Path
    exported_revision: str
    current_revision: str
    elements: list[ElementReview]
    outside: list[Change]  # tracked changes in no element (the template's own text)
    stored: int = 0  # review entries added or updated in the brief
    saved: bool = False
    by_text: bool = False  # a file briefkit did not export, its comments placed by their text
    outside_comments: list[Comment] = field(default_factory=list)  # on no element: not stored

    @property
    def changes(self) -> list[ProseChange]:
        return [e.change for e in self.elements if e.change is not None]

    @property
    def quote_changes(self) -> list[ReviewItem]:
        return [e.quote_change for e in self.elements if e.quote_change is not None]

    @property
    def exit_status(self) -> int:
        """1 when something needs the analyst: a refused quote change, a conflict, a refusal."""
        stuck = [c for c in self.changes if c.status in ("conflict", "refused")]
        return 1 if stuck or self.quote_changes or self.outside_comments else 0

    def lines(self) -> list[str]:
        """The review report, element by element."""
        out = [f"Review of {self.docx.name} for {self.brief}"]
        if self.by_text:
            out.append("  not exported by briefkit: comments placed by the text they cover")
        if self.exported_revision and self.exported_revision != self.current_revision:
            out.append("  exported from an earlier revision of the brief: its changes are merged "
                       "with what changed since (the export is the base)")
        for review in self.elements:
            out.append("")
            out.append(f"{review.label} ({review.element})")
            for item, new in review.comments:
                state = "resolved" if item.status == "resolved" else "open"
                out.append(f"  comment {_who(item.author, item.date)} [{state}{', new' if new else ''}]: "
                           f"{_short(item.text)}")
                if item.quoted:
                    out.append(f"    on “{_short(item.quoted)}”")
                for reply in item.replies:
                    out.append(f"    reply {_who(reply.author, reply.date)}: {_short(reply.text)}")
            if review.change is not None:
                out.extend(_change_lines(review.change))
            if review.quote_change is not None:
                q = review.quote_change
                out.append(f"  REFUSED: the reviewer{_by(q)} changed the quoted text of "
                           f"{review.element.split('.')[1]}: {_trimmed_diff(q.quoted, q.text)}")
                out.append("    quotes are never edited from Word: stored for check (resolve it "
                           "in the TUI's Review tab once settled)")
        if self.outside_comments:
            out.append("")
            out.append("Comments on the template's own text (headings, title block), on no element "
                       "of the brief: not stored")
            for comment in self.outside_comments:
                out.append(f"  comment {_who(comment.author, comment.date)}: {_short(comment.text)}"
                           + (f" (on “{_short(comment.covered, 60)}”)" if comment.covered else ""))
        if self.outside:
            out.append("")
            out.append("Changes with no exported text to compare with: not applied" if self.by_text
                       else "Outside the brief's elements (the template's own text): not applied")
            for change in self.outside:
                out.append(f"  {change.kind} {_who(change.author, change.date)}: “{_short(change.text)}”")
        counts = {s: sum(c.status == s for c in self.changes)
                  for s in ("applicable", "applied", "already", "conflict", "refused")}
        comments = sum(len(e.comments) for e in self.elements)
        out.append("")
        out.append(f"{_count(comments, 'comment')}, {_count(len(self.changes), 'prose change')} ("
                   + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
                   + f"), {_count(len(self.quote_changes), 'quote change')} refused; "
                   + (f"{_count(self.stored, 'review entry')} stored" if self.stored else "nothing new to store")
                   + ("; saved" if self.saved else ""))
        if counts["applicable"]:
            out.append("apply them with --apply (or --apply --only ELEMENT...)")
        return out


def import_review(docx: Path, brief_path: Path | None = None, *, apply: bool = False,
                  only: Sequence[str] = (), by_text: bool = False) -> ReviewImport:
    """Read `docx`, place its findings on `brief_path`'s elements, store its comments and quote
    changes in the brief and, with `apply`, its prose changes (all, or the elements in `only`).

    The brief is read, changed and saved under its lock (`update_brief`), so an editor saving
    meanwhile merges with it instead of losing either side. With `by_text`, a Word file briefkit
    did not export is read too: its comments are placed by the text they cover (each must occur
    in exactly one element of the brief); its changes, having no exported text to compare with,
    are listed and not applied.

    Raises:
        ReviewError: the file is damaged, not from briefkit, from another brief, or has findings
            whose anchors are gone (the message lists them); nothing is stored then.
        BriefkitError: the brief cannot be read or saved, or `only` names no changed element.
    """
    reviewed = read_reviewed_docx(Path(docx), require_record=not by_text)
    if reviewed.record is None and brief_path is None:
        raise ReviewError("was not exported by briefkit: name the brief to match its comments "
                          "against (briefkit review import FILE.docx BRIEF --by-text)", path=reviewed.path)
    path = Path(brief_path) if brief_path is not None else find_brief(reviewed)
    found: list[ReviewImport] = []

    def change(brief: Brief) -> bool:
        if reviewed.record is None:
            result = _plan_by_text(reviewed, brief, path)
        else:
            result = _plan(reviewed, brief, path, apply=apply, only=only)
        found.append(result)
        return result.stored > 0 or any(c.status == "applied" for c in result.changes)

    update_brief(path, change)
    result = found[-1]
    result.saved = result.stored > 0 or any(c.status == "applied" for c in result.changes)
    return result


def exported_from(record: ExportRecord, brief: Brief) -> bool:
    """Whether the file recorded by `record` was exported from `brief`: by the brief's own id; a
    brief made before briefs had ids is known by its title and date, so one whose title or date
    changed since is recognised when every quote the file records is still one of its citations,
    from the same source."""
    if record.brief_id == brief_id(brief):
        return True
    if brief.id or not record.brief_id.startswith(LEGACY_ID_PREFIX) or not record.quotes:
        return False
    cited = {c.id: c.source for _, c in brief.citations()}
    return all(cited.get(quote.citation) == quote.source for quote in record.quotes)


def find_brief(reviewed: ReviewedDocx) -> Path:
    """The brief a reviewed file was exported from, by its recorded identity: looked for beside
    the file, in the current folder and in the library folder it was exported with."""
    record = reviewed.record
    assert record is not None  # read_reviewed_docx requires one
    folders = dict.fromkeys([reviewed.path.parent, Path.cwd(), Path(record.library_path)])
    by_quotes: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for candidate in sorted(folder.glob("*.brief.yaml")):
            try:
                brief = load_brief(candidate)
            except BriefkitError:
                continue
            if brief_id(brief) == record.brief_id:
                return candidate
            if exported_from(record, brief):
                by_quotes.append(candidate)
    if len(by_quotes) == 1:
        return by_quotes[0]
    raise ReviewError(f"no brief of id {record.brief_id} (“{record.title}”) beside it, in the "
                      "current folder or in its library folder: name the brief (briefkit review "
                      "import FILE.docx BRIEF)", path=reviewed.path)


def _plan(reviewed: ReviewedDocx, brief: Brief, path: Path, *, apply: bool,
          only: Sequence[str]) -> ReviewImport:
    record = reviewed.record
    assert record is not None
    if not exported_from(record, brief):
        raise ReviewError(f"was exported from another brief (“{record.title}”), not {path}",
                          path=reviewed.path)
    _refuse_unplaced(reviewed)
    reviews = _Reviews(brief)
    at = reviews.at
    threads = reviewed.threads()
    stored = _store_comments(brief, [(root, replies, root.elements[0]) for root, replies in threads
                                     if root.elements], reviews)
    known = {item.id: item for item in brief.review}
    selected = _selected(reviewed, only)
    outside = [c for c in reviewed.changes if not c.elements]
    for element, printings in _changed(reviewed).items():
        tracked = tuple(c for c in reviewed.changes if element in c.elements)
        first = printings[0]
        if first.kind == "quote":
            entry = _quote_entry(first, tracked)
            if entry.id not in known:
                brief.review.append(entry)
                known[entry.id] = entry
                stored += 1
            at(element).quote_change = known[entry.id]
            continue
        proposal = _proposal(brief, element, printings, tracked)
        if apply and proposal.status == "applicable" and (selected is None or element in selected):
            _set_text(brief, element, proposal.result or "")
            proposal = dataclasses.replace(proposal, status="applied")
        at(element).change = proposal
    return ReviewImport(reviewed.path, path, record.revision, revision(brief.source_text),
                        reviews.in_order(), outside, stored,
                        outside_comments=[root for root, _ in threads if not root.elements])


def _plan_by_text(reviewed: ReviewedDocx, brief: Brief, path: Path) -> ReviewImport:
    """A file briefkit did not export: comments placed by the text they cover, nothing applied."""
    places = [(root, replies, _element_by_text(brief, root.covered)) for root, replies in reviewed.threads()]
    lost = [f"comment {_who(c.author, c.date)} “{_short(c.text, 40)}” on “{_short(c.covered, 40)}”"
            for c, _, element in places if element is None]
    if lost:
        raise ReviewError(f"could not place {len(lost)} comment(s) by their text (it occurs in no "
                          "element of the brief, or in more than one): " + "; ".join(lost)
                          + " (nothing was imported)", path=reviewed.path)
    reviews = _Reviews(brief)
    stored = _store_comments(brief, [(r, rs, e) for r, rs, e in places if e is not None], reviews)
    return ReviewImport(reviewed.path, path, "", revision(brief.source_text), reviews.in_order(),
                        list(reviewed.changes), stored, by_text=True)


class _Reviews:
    """The report's entries by element, made on first use, listed in the brief's order."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.by_element: dict[str, ElementReview] = {}

    def at(self, element: str) -> ElementReview:
        if element not in self.by_element:
            self.by_element[element] = ElementReview(element, element_label(self.brief, element))
        return self.by_element[element]

    def in_order(self) -> list[ElementReview]:
        order = {name: i for i, name in enumerate(_brief_order(self.brief))}
        return sorted(self.by_element.values(), key=lambda r: order.get(r.element, len(order)))


def _store_comments(brief: Brief, threads: list[tuple[Comment, list[Comment], str]], reviews: _Reviews) -> int:
    """Add each thread to the brief's review list once; returns the entries added or updated."""
    stored = 0
    known = {item.id: item for item in brief.review}
    # A reply that lost its thread (LibreOffice 7.4 writes no w15:paraIdParent) is a comment of
    # its own in the file: one the brief holds as a reply is that reply, not a new comment.
    as_replies = {(r.author, r.date, r.text): item for item in brief.review for r in item.replies}
    for root, replies, element in threads:
        item = _comment_entry(root, replies, element)
        existing = known.get(item.id) or as_replies.get((root.author, root.date, root.text))
        if existing is None:
            brief.review.append(item)
            known[item.id] = item
            stored += 1
            reviews.at(item.element).comments.append((item, True))
        else:
            stored += _update_entry(existing, item)
            if (existing, False) not in reviews.at(existing.element).comments:
                reviews.at(existing.element).comments.append((existing, False))
    return stored


_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
_MARKUP = re.compile(r"\[@[^\]]*\]|[*_`]")


def _plain(text: str) -> str:
    """Text as a reader sees it, for matching: no Markdown marks or citation references,
    straight quotes and dashes, single spaces."""
    return " ".join(_MARKUP.sub("", text.translate(_TYPOGRAPHY)).split())


def _element_by_text(brief: Brief, covered: str) -> str | None:
    """The one element whose text holds `covered`, else None (none or several)."""
    wanted = _plain(covered)
    if not wanted:
        return None
    found = [e for e in _brief_order(brief) if wanted in _plain(_text_of(brief, e) or "")]
    return found[0] if len(found) == 1 else None


def _refuse_unplaced(reviewed: ReviewedDocx) -> None:
    """Findings cannot be placed where the reviewer deleted anchors: one message lists the lost
    anchors and the comments on no element (with anchors gone, these may be theirs)."""
    if not reviewed.unplaced:
        return
    lost = [f"{e.element} (its bookmark {e.name} was deleted)" for e in reviewed.unplaced]
    lost += [f"comment {_who(c.author, c.date)} “{_short(c.text, 40)}”" for c, _ in reviewed.threads()
             if not c.elements]
    if lost:
        raise ReviewError(f"could not place {len(lost)} finding(s) on the brief, their anchors are gone: "
                          + "; ".join(lost) + " (nothing was imported: restore the anchored text, or "
                          "export the brief again)", path=reviewed.path)


def _comment_id(author: str, date: str, text: str) -> str:
    """Word renumbers comments and LibreOffice again: who wrote what when is the identity."""
    digest = hashlib.sha256(f"{author}\0{date}\0{text}".encode("utf-8", "surrogatepass"))
    return f"word-{digest.hexdigest()[:10]}"


def _comment_entry(root: Comment, replies: list[Comment], element: str) -> ReviewItem:
    return ReviewItem(
        id=_comment_id(root.author, root.date, root.text), author=root.author, date=root.date,
        element=element, text=root.text, quoted=root.covered,
        status="resolved" if root.done else "open",
        replies=[Reply(r.author, r.date, r.text) for r in replies],
    )


def _update_entry(existing: ReviewItem, seen: ReviewItem) -> int:
    """Take the file's new replies and a resolve made in Word; returns 1 if anything changed."""
    have = {(r.author, r.date, r.text) for r in existing.replies}
    new = [r for r in seen.replies if (r.author, r.date, r.text) not in have]
    existing.replies.extend(new)
    resolved = seen.status == "resolved" and existing.status != "resolved"
    if resolved:
        existing.status = "resolved"
    return int(bool(new) or resolved)


def _quote_entry(printing: ElementText, tracked: tuple[Change, ...]) -> ReviewItem:
    accepted = printing.accepted or ""
    digest = hashlib.sha256(f"{printing.element}\0{printing.exported}\0{accepted}".encode("utf-8", "surrogatepass"))
    author, date = (tracked[0].author, tracked[0].date) if tracked else ("", "")
    return ReviewItem(id=f"word-q-{digest.hexdigest()[:10]}", kind="quote-change", author=author,
                      date=date, element=printing.element, quoted=printing.exported, text=accepted)


def _changed(reviewed: ReviewedDocx) -> dict[str, list[ElementText]]:
    changed: dict[str, list[ElementText]] = {}
    for printing in reviewed.elements:
        if printing.changed:
            changed.setdefault(printing.element, []).append(printing)
    return changed


def _selected(reviewed: ReviewedDocx, only: Sequence[str]) -> set[str] | None:
    """The elements `only` names, by element (`sections.summary`) or by id (`summary`)."""
    if not only:
        return None
    changed = list(_changed(reviewed))
    selected: set[str] = set()
    for name in only:
        matches = [e for e in changed if e == name or _element_id(e) == name]
        if not matches:
            raise BriefkitError(f"'{name}' names no element the reviewer changed (changed: "
                                f"{', '.join(changed) or 'none'})", path=reviewed.path, field="--only")
        selected.update(matches)
    return selected


def _proposal(brief: Brief, element: str, printings: list[ElementText],
              tracked: tuple[Change, ...]) -> ProseChange:
    first = printings[0]
    accepted = first.accepted or ""
    direct = any(p.edited_directly for p in printings)

    def made(status: str, reason: str = "", result: str | None = None) -> ProseChange:
        return ProseChange(element, first.exported, accepted, tracked, direct, status, reason, result)

    if len({p.accepted for p in printings}) > 1:
        return made("refused", f"it is printed {len(printings)} times and was edited differently in each")
    reviewed_source, why = _carry(first.exported, accepted, first.source, block=first.kind in _BLOCKS)
    if reviewed_source is None:
        return made("refused", why)
    current = _text_of(brief, element)
    if current is None:
        return made("conflict", "the element is no longer in the brief")
    if current == first.source:
        return made("applicable", result=reviewed_source)
    if has_change(first.source, reviewed_source, current):
        return made("already")
    merged = merge_change(first.source, reviewed_source, current)
    if merged is None:
        return made("conflict", "the brief changed there since the export (the reviewer's "
                    "change and the newer work overlap): settle it by hand")
    return made("applicable", result=merged)


def _carry(exported: str, accepted: str, source: str, *, block: bool) -> tuple[str | None, str]:
    """The brief's Markdown `source` with the reviewer's change of its rendering applied."""
    alignment = Alignment(exported, source)
    placed = []
    for hunk in hunks(exported, accepted):
        span = alignment.span(hunk.start, hunk.end)
        if span is None:
            return None, f"“{_short(hunk.old or hunk.new, 40)}” has no place in the brief's Markdown"
        replaced = source[span[0]:span[1]]
        if CITATION.search(replaced) or "[@" in replaced:
            return None, f"it would change the citation reference in “{_short(replaced, 60)}”"
        new = hunk.new
        if "\n" in new and not block:
            return None, "it breaks a one-line element into paragraphs"
        placed.append((*_paragraph_place(source, span, new), new.replace("\n", "\n\n")))
    return apply_hunks(source, placed), ""


def _paragraph_place(source: str, span: tuple[int, int], new: str) -> tuple[int, int]:
    """Where a new paragraph goes in Markdown: an insertion that ends a paragraph (Enter, then
    text) goes after the blank line it meets, one that starts with one before it, so it never
    joins a neighbour as a soft line break."""
    start, end = span
    if start != end or "\n" not in new:
        return span
    if new.endswith("\n"):
        while start < len(source) and source[start] == "\n":
            start += 1
    elif new.startswith("\n"):
        while start > 0 and source[start - 1] == "\n":
            start -= 1
    return start, start


def _element_id(element: str) -> str:
    match = ELEMENT_PATTERN.fullmatch(element)
    assert match is not None
    return match.group("section") or match.group("position") or match.group("citation")


def _text_of(brief: Brief, element: str) -> str | None:
    match = ELEMENT_PATTERN.fullmatch(element)
    if match is None:
        return None
    if match.group("section"):
        return brief.sections.get(match.group("section"))
    if match.group("position"):
        position = brief.position(match.group("position"))
        return None if position is None else getattr(position, match.group("part"))
    found = brief.find_citation(match.group("citation"))
    if found is None:
        return None
    return found[1].note if match.group("field") == "note" else found[1].anchor.quote


def _set_text(brief: Brief, element: str, text: str) -> None:
    match = ELEMENT_PATTERN.fullmatch(element)
    assert match is not None
    if match.group("section"):
        brief.sections[match.group("section")] = text
    elif match.group("position"):
        position = brief.position(match.group("position"))
        assert position is not None
        setattr(position, match.group("part"), text)
    else:
        found = brief.find_citation(match.group("citation"))
        assert found is not None and match.group("field") == "note"
        found[1].note = text


def _brief_order(brief: Brief) -> list[str]:
    order = [f"sections.{name}" for name in brief.sections]
    for position in brief.positions:
        order += [f"positions.{position.id}.title", f"positions.{position.id}.summary"]
        for citation in position.citations:
            order += [f"citations.{citation.id}.quote", f"citations.{citation.id}.note"]
    return order


def element_label(brief: Brief, element: str) -> str:
    """An element as the analyst knows it: `section “summary”`, `position “Title”: title`."""
    match = ELEMENT_PATTERN.fullmatch(element)
    assert match is not None
    if match.group("section"):
        return f"section “{match.group('section')}”"
    if match.group("position"):
        position = brief.position(match.group("position"))
        title = position.title if position is not None else match.group("position")
        return f"position “{_short(title, 50)}”: {match.group('part')}"
    return f"{'quote' if match.group('field') == 'quote' else 'note'} of citation {match.group('citation')}"


def _change_lines(change: ProseChange) -> list[str]:
    how = []
    if change.tracked:
        people = dict.fromkeys(_who(c.author, c.date) for c in change.tracked)
        how.append("tracked (" + "; ".join(people) + ")")
    if change.direct:
        how.append("edited directly (track changes off)")
    out = [f"  change, {' and '.join(how) or 'edited'}:"]
    out += [f"    {line}" for line in change.diff()]
    verdict = {"applicable": "applicable", "applied": "applied", "already": "already in the brief",
               "conflict": "CONFLICT", "refused": "not applicable"}[change.status]
    out.append(f"    -> {verdict}{': ' + change.reason if change.reason else ''}")
    return out


def _by(item: ReviewItem) -> str:
    who = _who(item.author, item.date)
    return f" ({who})" if who else " (edited directly)"


def _count(n: int, what: str) -> str:
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"
    return f"{n} {what if n == 1 else plural}"


def _who(author: str, date: str) -> str:
    return ", ".join(part for part in (author, date[:10]) if part)


def _short(text: str, limit: int = 100) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"

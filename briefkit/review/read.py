"""Reading a reviewed DOCX: lxml on the package's raw parts (python-docx drops text inside `w:ins`
and has no API for tracked changes), found through the package's relationships as Word and
LibreOffice write them."""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from briefkit.errors import ReviewError
from briefkit.render.docx.anchors import (
    bookmark_bounds,
    change_kind,
    continues,
    leaf_text,
    mark_change,
    range_texts,
    walk,
)
from briefkit.render.docx.record import ElementRecord, find_record
from briefkit.render.roundtrip import ExportRecord
from briefkit.review.model import Change, Comment, ElementText, ReviewedDocx

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_EX = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_PART_LIMIT = 256 * 1024 * 1024  # bytes of one part, unpacked: more is not a brief

_BOOKMARK_START, _BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
_COMMENT_START, _COMMENT_END = qn("w:commentRangeStart"), qn("w:commentRangeEnd")
_COMMENT_REF, _COMMENT = qn("w:commentReference"), qn("w:comment")
_MOVE_RANGES = {qn("w:moveFromRangeStart"): "from", qn("w:moveToRangeStart"): "to"}
_MOVE_ENDS = {qn("w:moveFromRangeEnd"): "from", qn("w:moveToRangeEnd"): "to"}
_P, _T, _PPR, _RPR = qn("w:p"), qn("w:t"), qn("w:pPr"), qn("w:rPr")
_CHANGE_NAMES = {qn("w:ins"): "insertion", qn("w:del"): "deletion", qn("w:moveFrom"): "move-from",
                 qn("w:moveTo"): "move-to"}


def read_reviewed_docx(path: Path, *, require_record: bool = True) -> ReviewedDocx:
    """Read `path`, a DOCX briefkit exported and someone reviewed in Word or LibreOffice.

    Args:
        path: the reviewed file.
        require_record: refuse a file without briefkit's export record; False reads its
            comments and changes anyway (to be matched to the brief by their text).

    Raises:
        ReviewError: the file is missing, not a DOCX, damaged, or (with `require_record`) not
            exported by briefkit.
    """
    path = Path(path)
    package = _Package(path)
    document = package.main
    body = package.xml(document).find(qn("w:body"))
    if body is None:
        raise ReviewError(f"is damaged: {document} has no document body", path=path)
    found = package.record()
    comment_parts = package.related(document, _COMMENTS)
    if found is None and require_record:
        count = len(package.xml(comment_parts[0]).findall(_COMMENT)) if comment_parts else 0
        raise ReviewError(f"is not a Word file exported by briefkit (it has no briefkit export record); "
                          f"its {count} comment(s) can only be matched to a brief by their text", path=path)
    record, recorded = found if found is not None else (None, [])
    elements = _element_texts(body, recorded)
    known = {e.name: e.element for e in elements} if record is not None else None
    scan = _Scan(known)
    scan.run(body, "body")
    for name in package.related(document, _FOOTNOTES):
        scan.run(package.xml(name), "footnotes")
    comments = _comments(package, comment_parts, document, scan) if comment_parts else []
    return ReviewedDocx(path, record, elements, comments, scan.changes)


def _element_texts(body: etree._Element, recorded: list[ElementRecord]) -> list[ElementText]:
    last = {r.name: r.text[-1:] for r in recorded}
    accepted = range_texts(body, "accepted", last)
    rejected = range_texts(body, "rejected", last)
    return [
        ElementText(r.name, r.element.path, r.element.kind, r.element.id, r.occurrence, r.element.source,
                    r.text, accepted.get(r.name), rejected.get(r.name))
        for r in recorded
    ]


class _Package:
    """The parts of a DOCX, read on demand; every failure is one `ReviewError` naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise ReviewError("file not found", path=path)
        if not path.is_file():
            raise ReviewError("is not a file", path=path)
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise ReviewError("is not a DOCX file (not a ZIP archive)", path=path) from None
        except OSError as exc:
            raise ReviewError(f"cannot be read: {exc.strerror or exc}", path=path) from None
        self._names = set(self._zip.namelist())
        self._xml: dict[str, etree._Element] = {}
        self.main = self._main_part()

    def _main_part(self) -> str:
        targets = self._targets("", _OFFICE_DOCUMENT)
        main = targets[0] if targets else "word/document.xml"
        if main not in self._names:
            raise ReviewError("is not a Word document (it has no main document part)", path=self.path)
        return main

    def read(self, name: str) -> bytes:
        try:
            info = self._zip.getinfo(name)
            if info.file_size > _PART_LIMIT:
                raise ReviewError(f"is not a brief: its part {name} unpacks to {info.file_size} bytes",
                                  path=self.path)
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, NotImplementedError, OSError) as exc:
            raise ReviewError(f"is damaged: its part {name} cannot be unpacked ({exc})", path=self.path) from None

    def xml(self, name: str) -> etree._Element:
        if name not in self._xml:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            try:
                self._xml[name] = etree.fromstring(self.read(name), parser)
            except etree.XMLSyntaxError as exc:
                raise ReviewError(f"is damaged: its part {name} is not well-formed XML ({exc})",
                                  path=self.path) from None
        return self._xml[name]

    def _targets(self, part: str, reltype: str) -> list[str]:
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels not in self._names:
            return []
        out = []
        for rel in self.xml(rels).iter(f"{{{_REL_NS}}}Relationship"):
            if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                out.append(posixpath.normpath(joined))
        return out

    def related(self, part: str, reltype: str) -> list[str]:
        return [name for name in self._targets(part, reltype) if name in self._names]

    def record(self) -> tuple[ExportRecord, list[ElementRecord]] | None:
        try:
            return find_record(self._zip)
        except (zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError) as exc:
            raise ReviewError(f"is damaged: its export record cannot be read ({exc})", path=self.path) from None


@dataclass(slots=True)
class _Open:
    """A comment range or tracked change being read: its text so far and the bookmarks it touches."""

    pieces: list[str] = field(default_factory=list)
    names: dict[str, None] = field(default_factory=dict)  # ordered set


class _Scan:
    """One walk over a part: the bookmarks open at each point, comment ranges, tracked changes."""

    def __init__(self, known: dict[str, str] | None) -> None:
        self._known = known  # bookmark name -> element; None: no record, any visible bookmark
        self.changes: list[Change] = []
        self.ranges: dict[str, tuple[str, tuple[str, ...], str]] = {}  # comment id -> covered, names, part
        self.points: dict[str, tuple[str, ...]] = {}  # comment id -> names open at its reference

    def _counts(self, name: str) -> bool:
        if self._known is None:
            return bool(name) and not name.startswith("_")
        return name in self._known

    def run(self, root: etree._Element, part: str) -> None:
        bounds = bookmark_bounds(root)
        opening = {id(start): name for name, (start, _) in bounds.items() if self._counts(name)}
        closing = {id(end): name for name, (_, end) in bounds.items() if end is not None and self._counts(name)}
        bookmarks: dict[str, None] = {}
        trailing: list[str] = []  # ended in a paragraph whose mark was inserted: open till the chain ends
        comments: dict[str, _Open] = {}
        changes: list[tuple[etree._Element, _Open]] = []
        moves: dict[str, str] = {}  # "from" | "to" -> the open move range's name
        hidden = 0  # inside deleted text (what "changes accepted" leaves out)
        for event, element in walk(root):
            tag = element.tag
            if event == "end":
                if change_kind(element) is not None and changes and changes[-1][0] is element:
                    _, state = changes.pop()
                    self._change(element, state, moves, part)
                    if change_kind(element) == "del":
                        hidden -= 1
                elif tag == _P:
                    self._mark(element, bookmarks, part)
                    if mark_change(element) != "ins":
                        for name in trailing:
                            bookmarks.pop(name, None)
                        trailing.clear()
                continue
            if id(element) in opening:
                name = opening[id(element)]
                bookmarks[name] = None
                for state in (*comments.values(), *(s for _, s in changes)):
                    state.names[name] = None
            elif id(element) in closing:
                if continues(element):
                    trailing.append(closing[id(element)])
                else:
                    bookmarks.pop(closing[id(element)], None)
            elif tag == _COMMENT_START:
                comments[element.get(qn("w:id"), "")] = _Open(names=dict(bookmarks))
            elif tag == _COMMENT_END:
                cid = element.get(qn("w:id"), "")
                if cid in comments:
                    state = comments.pop(cid)
                    self.ranges[cid] = ("".join(state.pieces), tuple(state.names), part)
            elif tag == _COMMENT_REF:
                self.points.setdefault(element.get(qn("w:id"), ""), tuple(bookmarks))
            elif tag in _MOVE_RANGES:
                moves[_MOVE_RANGES[tag]] = element.get(qn("w:name"), "")
            elif tag in _MOVE_ENDS:
                moves.pop(_MOVE_ENDS[tag], None)
            elif change_kind(element) is not None:
                changes.append((element, _Open(names=dict(bookmarks))))
                if change_kind(element) == "del":
                    hidden += 1
            else:
                piece = leaf_text(element)
                if piece:
                    if changes:
                        changes[-1][1].pieces.append(piece)
                    if not hidden:
                        for state in comments.values():
                            state.pieces.append(piece)

    def _elements(self, names: tuple[str, ...]) -> tuple[str, ...]:
        if self._known is None:
            return ()
        return tuple(dict.fromkeys(self._known[name] for name in names))

    def _change(self, element: etree._Element, state: _Open, moves: dict[str, str], part: str) -> None:
        kind = _CHANGE_NAMES[element.tag]
        names = tuple(state.names)
        move = moves.get("from" if kind == "move-from" else "to", "") if kind.startswith("move") else ""
        self.changes.append(Change(*_who(element), self._elements(names), names, part, kind=kind,
                                   text="".join(state.pieces), move=move))

    def _mark(self, paragraph: etree._Element, bookmarks: dict[str, None], part: str) -> None:
        """A tracked insertion or deletion of the paragraph's mark (paragraphs joined or split)."""
        kind = mark_change(paragraph)
        if kind is None:
            return
        ppr = paragraph.find(_PPR)
        mark = ppr.find(_RPR).find(qn("w:ins") if kind == "ins" else qn("w:del"))  # type: ignore[union-attr]
        names = tuple(bookmarks)
        self.changes.append(Change(*_who(mark), self._elements(names), names, part,
                                   kind="paragraph-insertion" if kind == "ins" else "paragraph-deletion"))

    def placed(self, cid: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
        """A comment's covered text, elements, bookmarks and part, from its range or its reference."""
        covered, names, part = self.ranges.get(cid, ("", self.points.get(cid, ()), "body"))
        return covered, self._elements(names), names, part


def _comments(package: _Package, parts: list[str], document: str, scan: _Scan) -> list[Comment]:
    root = package.xml(parts[0])
    extended = package.related(document, _COMMENTS_EX)
    threads: dict[str, tuple[str | None, bool]] = {}  # paraId -> parent paraId, done
    if extended:
        for entry in package.xml(extended[0]).iter(f"{{{_W15}}}commentEx"):
            threads[entry.get(f"{{{_W15}}}paraId", "")] = (
                entry.get(f"{{{_W15}}}paraIdParent"), entry.get(f"{{{_W15}}}done") in ("1", "true"),
            )
    para_to_comment: dict[str, str] = {}
    read: list[tuple[etree._Element, str, str]] = []
    for comment in root.iter(_COMMENT):
        cid = comment.get(qn("w:id"), "")
        paragraphs = comment.findall(_P)
        last = paragraphs[-1].get(f"{{{_W14}}}paraId", "") if paragraphs else ""
        if last:
            para_to_comment[last] = cid
        read.append((comment, cid, last))
    out = []
    for comment, cid, last in read:
        parent_para, done = threads.get(last, (None, False))
        text = "\n".join("".join(t.text or "" for t in p.iter(_T)) for p in comment.findall(_P))
        covered, elements, names, part = scan.placed(cid)
        out.append(Comment(*_who(comment), elements, names, part, initials=comment.get(qn("w:initials"), ""),
                           text=text, covered=covered, parent=para_to_comment.get(parent_para or ""),
                           done=done))
    return out


def _who(element: etree._Element) -> tuple[str, str, str]:
    """The id, author and date of a comment or tracked change."""
    return element.get(qn("w:id"), ""), element.get(qn("w:author"), ""), element.get(qn("w:date"), "")

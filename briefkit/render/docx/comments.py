"""The brief's review comments written back as Word comments, so the conversation continues in Word.

Each comment is anchored where the reviewer left it: on the quoted range inside its element when
that text is still there, else on the element's whole bookmark range. Word's markup: a
`w:comment` in the comments part (python-docx creates the part with its relationship and content
type), `w:commentRangeStart`/`w:commentRangeEnd` in the body and a run holding
`w:commentReference`; replies and resolved state in `word/commentsExtended.xml`
(`w15:paraIdParent`, `w15:done`), keyed by the `w14:paraId` of each comment's last paragraph.
A reply gets its own range over its parent's text, as Word gives it.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping, Sequence
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from briefkit.render.docx import footnotes  # noqa: F401 - registers the footnotes part for reading
from briefkit.render.docx.text import clean

_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
COMMENTS_EX_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
COMMENTS_EX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
_R, _T, _RPR, _P = qn("w:r"), qn("w:t"), qn("w:rPr"), qn("w:p")
_FIRST_PARA_ID = 0x1B000001  # w14:paraId values are below 0x80000000


def with_comments(package: bytes, comments: Sequence[Any], bookmarks: Mapping[str, str]) -> bytes:
    """The written package with the brief's review comments put in (see `add_comments`): opened
    again through python-docx, which only briefs with comments pay for."""
    document = docx.Document(io.BytesIO(package))
    add_comments(document, document.element.body, comments, bookmarks)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_comments(document: DocxDocument, body: etree._Element, comments: Sequence[Any],
                 bookmarks: Mapping[str, str]) -> list[str]:
    """Write each comment (kind "comment") of the brief's review list into `document`.

    Args:
        document: the document being written (its comments part is created if needed).
        body: the body content, parsed, holding the bookmarks.
        comments: review entries with id, author, date, element, quoted, text, status and
            replies (author, date, text).
        bookmarks: element (`sections.summary`) -> the bookmark of its first printing.

    Returns:
        The ids of comments whose element is not in this document (not printed in this copy).
    """
    items = [c for c in comments if getattr(c, "kind", "comment") == "comment"]
    if not items:
        return []
    starts = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    ends = {b.get(qn("w:id")): b for b in body.iter(qn("w:bookmarkEnd"))}
    threads: list[tuple[str, str | None, bool]] = []  # paraId, parent paraId, done
    missing: list[str] = []
    part = document.comments  # creates the part, its relationship and content type when missing
    for item in items:
        start = starts.get(bookmarks.get(item.element, ""))
        end = ends.get(start.get(qn("w:id"))) if start is not None else None
        if start is None or end is None or end.getparent().tag != _P:  # type: ignore[union-attr]
            missing.append(item.id)
            continue
        first, last = _quoted_range(body, start, end, item.quoted) or (start, end)
        done = item.status == "resolved"
        cid, para = _comment(document, part, item.author, item.date, item.text, len(threads))
        threads.append((para, None, done))
        open_mark, reference = _place(first, last, cid)
        for reply in item.replies:
            rid, rpara = _comment(document, part, reply.author, reply.date, reply.text, len(threads))
            threads.append((rpara, para, done))
            reply_start = _mark("commentRangeStart", rid)
            open_mark.addnext(reply_start)
            reply_end = _mark("commentRangeEnd", rid)
            reference.addnext(reply_end)
            reference = _reference(rid)
            reply_end.addnext(reference)
    if threads:
        _comments_extended(document, threads)
    return missing


def _comment(document: DocxDocument, part: Any, author: str, date: str, text: str, index: int) -> tuple[str, str]:
    """A new comment with `text` (one paragraph a line); its id and its last paragraph's paraId."""
    comment = part.add_comment(clean(text), author=clean(author), initials=_initials(author))
    element = document.part.part_related_by(RT.COMMENTS).element.comment_lst[-1]  # type: ignore[attr-defined]
    if date:
        element.set(qn("w:date"), clean(date))
    para = f"{_FIRST_PARA_ID + index:08X}"
    element.findall(_P)[-1].set(f"{{{_W14}}}paraId", para)
    return str(comment.comment_id), para


def _initials(author: str) -> str:
    return "".join(word[0] for word in author.split() if word[:1].isalpha()).upper()[:9]


def _mark(tag: str, cid: str) -> etree._Element:
    element = etree.Element(qn(f"w:{tag}"))
    element.set(qn("w:id"), cid)
    return element


def _reference(cid: str) -> etree._Element:
    run = etree.Element(_R)
    run.append(_mark("commentReference", cid))
    return run


def _place(first: etree._Element, last: etree._Element, cid: str) -> tuple[etree._Element, etree._Element]:
    """Range marks round the siblings `first`..`last` (or their bookmark marks), then the
    reference run after the end; returns the start mark and the reference run."""
    start = _mark("commentRangeStart", cid)
    end = _mark("commentRangeEnd", cid)
    if first.tag == qn("w:bookmarkStart"):
        first.addnext(start)
    else:
        first.addprevious(start)
    if last.tag == qn("w:bookmarkEnd"):
        last.addprevious(end)
    else:
        last.addnext(end)
    reference = _reference(cid)
    end.addnext(reference)
    return start, reference


def _quoted_range(body: etree._Element, start: etree._Element, end: etree._Element,
                  quoted: str) -> tuple[etree._Element, etree._Element] | None:
    """The runs covering the first appearance of `quoted` inside the bookmark, split at its ends,
    when they lie in one paragraph of plain single-text runs; else None (the whole range)."""
    if not quoted or start.getparent() is not end.getparent():
        return None
    runs = []
    inside = False
    for child in start.getparent():
        if child is start:
            inside = True
        elif child is end:
            break
        elif inside and child.tag == _R:
            texts = [c for c in child if c.tag != _RPR]
            if len(texts) == 1 and texts[0].tag == _T:
                runs.append(child)
            elif any(c.tag == _T for c in texts):
                return None  # a run with tabs or breaks inside: not split here
    joined = "".join(r.find(_T).text or "" for r in runs)
    at = joined.find(quoted)
    if at < 0:
        return None
    first = _split(runs, at)
    after = _split(runs, at + len(quoted))
    return first, runs[runs.index(after) - 1] if after is not None else runs[-1]  # type: ignore[return-value]


def _split(runs: list[etree._Element], offset: int) -> etree._Element | None:
    """Split the run holding character `offset` so that a run starts there; that run, or None
    when `offset` is the end of the text."""
    pos = 0
    for index, run in enumerate(runs):
        t = run.find(_T)
        text = t.text or ""
        if offset == pos:
            return run
        if pos < offset < pos + len(text):
            tail = copy.deepcopy(run)
            t.text = text[: offset - pos]
            tail.find(_T).text = text[offset - pos :]
            for piece in (t, tail.find(_T)):
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.addnext(tail)
            runs.insert(index + 1, tail)
            return tail
        pos += len(text)
    return None


def _comments_extended(document: DocxDocument, threads: list[tuple[str, str | None, bool]]) -> None:
    root = etree.Element(f"{{{_W15}}}commentsEx", nsmap={"w15": _W15, "mc": _MC})
    root.set(f"{{{_MC}}}Ignorable", "w15")
    for para, parent, done in threads:
        entry = etree.SubElement(root, f"{{{_W15}}}commentEx")
        entry.set(f"{{{_W15}}}paraId", para)
        if parent is not None:
            entry.set(f"{{{_W15}}}paraIdParent", parent)
        entry.set(f"{{{_W15}}}done", "1" if done else "0")
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = document.part
    for rid, rel in list(part.rels.items()):  # a reference document's own, now stale
        if rel.reltype == COMMENTS_EX_REL:
            del part.rels[rid]
    names = {str(p.partname) for p in part.package.iter_parts()}
    n = next(n for n in range(1, len(names) + 2) if f"/word/commentsExtended{'' if n == 1 else n}.xml" not in names)
    partname = PackURI(f"/word/commentsExtended{'' if n == 1 else n}.xml")
    part.relate_to(Part(partname, COMMENTS_EX_TYPE, blob, part.package), COMMENTS_EX_REL)

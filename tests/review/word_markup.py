"""Review markup added to any DOCX the way Microsoft Word writes it, for tests of the review import.

A reviewer's work in Word is XML in fixed places (ECMA-376 Part 1, §17.13; [MS-DOCX] for the 2012
extensions): comments in ``word/comments.xml`` (with its relationship and content type), their
ranges as ``w:commentRangeStart``/``w:commentRangeEnd`` plus a ``w:commentReference`` run in the
body; replies and resolved state in ``word/commentsExtended.xml`` (``w15:paraIdParent``,
``w15:done``) keyed by the ``w14:paraId`` of each comment's last paragraph; tracked changes as
``w:ins``/``w:del`` (deleted text in ``w:delText``) around runs, moves as ``w:moveFrom``/``w:moveTo``
inside named ``w:moveFromRangeStart``…``w:moveToRangeEnd`` containers, and an inserted paragraph
mark as ``w:ins`` in the ``w:rPr`` of the paragraph's ``w:pPr``. A direct edit (track changes off)
just changes a run's text.

Text is found by its exact characters within one paragraph's plain runs (the runs that are direct
children of ``w:p``), so a test names what the reader sees; runs are split at the range's ends with
their formatting copied, as Word does. ``pandoc -f docx --track-changes=all`` is the oracle that
each function produces what Word's own files say (tests/review/test_import_markup.py).
"""

from __future__ import annotations

import copy
import io
import itertools
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

COMMENTS_PART = "word/comments.xml"
COMMENTS_EX_PART = "word/commentsExtended.xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_EX_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_EX_CT = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{tag}"


class WordReview:
    """A DOCX package opened for review; each method adds one kind of Word markup.

    Args:
        docx: the file's bytes or its path. Nothing is written back until ``to_bytes``/``save``.
    """

    def __init__(self, docx: bytes | str | Path) -> None:
        data = docx if isinstance(docx, bytes) else Path(docx).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self._names = archive.namelist()
            self._parts = {name: archive.read(name) for name in self._names}
        self.document = etree.fromstring(self._parts["word/document.xml"])
        self._comments = self._load_or_new(
            COMMENTS_PART, f'<w:comments xmlns:w="{W}" xmlns:w14="{W14}"/>'
        )
        self._comments_ex = self._load_or_new(
            COMMENTS_EX_PART,
            f'<w15:commentsEx xmlns:w15="{W15}" xmlns:mc="{MC}" mc:Ignorable="w15"/>',
        )
        used = [int(v) for v in self.document.xpath("//@w:id", namespaces={"w": W})]
        used += [int(v) for v in self._comments.xpath("//@w:id", namespaces={"w": W})]
        # One sequence for comments and revisions: Word keeps annotation ids unique across kinds.
        self._next_mark = itertools.count(max(used, default=-1) + 1)
        para_ids = self._comments.xpath("//@w14:paraId", namespaces={"w14": W14})
        self._next_para = itertools.count(
            max((int(p, 16) for p in para_ids), default=0x1A2B0000) + 1
        )
        self._next_move = itertools.count(1)

    # ---- comments ----------------------------------------------------------------------------

    def comment(
        self,
        anchor: str,
        text: str,
        *,
        author: str,
        date: str,
        initials: str | None = None,
        occurrence: int = 0,
        resolved: bool = False,
    ) -> int:
        """Comment on the text ``anchor`` (its ``occurrence``-th appearance); returns the comment id."""
        runs = self._runs_for(anchor, occurrence)
        cid = self._new_comment(text, author, date, initials, parent=None, resolved=resolved)
        runs[0].addprevious(self._mark("commentRangeStart", cid))
        end = self._mark("commentRangeEnd", cid)
        runs[-1].addnext(end)
        end.addnext(self._reference_run(cid))
        return cid

    def reply(
        self, parent: int, text: str, *, author: str, date: str, initials: str | None = None
    ) -> int:
        """Reply to comment ``parent``: Word gives the reply its own range over the parent's text."""
        cid = self._new_comment(text, author, date, initials, parent=parent, resolved=False)
        start = self._find_mark("commentRangeStart", parent)
        start.addnext(self._mark("commentRangeStart", cid))
        parent_ref = self._find_mark("commentRangeEnd", parent).getnext()
        end = self._mark("commentRangeEnd", cid)
        parent_ref.addnext(end)
        end.addnext(self._reference_run(cid))
        return cid

    def resolve(self, comment_id: int) -> None:
        """Mark a comment thread resolved (``w15:done="1"`` on the comment's extension entry)."""
        para_id = self._last_para_id(comment_id)
        for entry in self._comments_ex.iter(f"{{{W15}}}commentEx"):
            if entry.get(f"{{{W15}}}paraId") == para_id:
                entry.set(f"{{{W15}}}done", "1")
                return
        raise KeyError(comment_id)

    # ---- tracked changes ---------------------------------------------------------------------

    def insert(
        self,
        anchor: str,
        text: str,
        *,
        author: str,
        date: str,
        before: bool = False,
        occurrence: int = 0,
    ) -> None:
        """Tracked insertion of ``text`` just after (or ``before``) the text ``anchor``."""
        runs = self._runs_for(anchor, occurrence)
        container = self._revision("ins", author, date)
        container.append(self._run_like(runs[0] if before else runs[-1], text))
        if before:
            runs[0].addprevious(container)
        else:
            runs[-1].addnext(container)

    def delete(self, text: str, *, author: str, date: str, occurrence: int = 0) -> None:
        """Tracked deletion: the runs move into ``w:del`` and their ``w:t`` become ``w:delText``."""
        self._delete_runs(self._runs_for(text, occurrence), author, date)

    def replace(self, old: str, new: str, *, author: str, date: str, occurrence: int = 0) -> None:
        """Tracked replacement as Word records typing over a selection: a deletion, then an insertion."""
        runs = self._runs_for(old, occurrence)
        inserted = self._revision("ins", author, date)
        inserted.append(self._run_like(runs[-1], new))
        runs[-1].addnext(inserted)
        self._delete_runs(runs, author, date)

    def _delete_runs(self, runs: list[etree._Element], author: str, date: str) -> None:
        container = self._revision("del", author, date)
        runs[0].addprevious(container)
        for run in runs:
            for t in run.iter(w("t")):
                t.tag = w("delText")
            container.append(run)

    def move(
        self, text: str, *, to_after: str, author: str, date: str, occurrence: int = 0
    ) -> None:
        """Tracked move of ``text`` to just after the text ``to_after`` (a named move pair)."""
        runs = self._runs_for(text, occurrence)
        name = f"move{next(self._next_move)}"
        source = self._revision("moveFrom", author, date)
        start = self._range_start("moveFromRangeStart", author, date, name)
        runs[0].addprevious(start)
        start.addnext(source)
        moved = [copy.deepcopy(run) for run in runs]
        for run in runs:
            source.append(run)
        source.addnext(self._mark("moveFromRangeEnd", int(start.get(w("id")))))
        target_runs = self._runs_for(to_after, 0)
        dest_start = self._range_start("moveToRangeStart", author, date, name)
        target_runs[-1].addnext(dest_start)
        destination = self._revision("moveTo", author, date)
        destination.extend(moved)
        dest_start.addnext(destination)
        destination.addnext(self._mark("moveToRangeEnd", int(dest_start.get(w("id")))))

    def insert_paragraph(self, after: str, text: str, *, author: str, date: str) -> None:
        """Tracked new paragraph after the one holding ``after``, typed as Enter at its end.

        The paragraph mark Enter inserts ends the old paragraph, so that paragraph's ``w:pPr/w:rPr``
        gets ``w:ins``; the new paragraph keeps the old mark's properties and holds ``text`` in a
        ``w:ins``.
        """
        paragraph = self._paragraph_of(after)
        new = etree.SubElement(paragraph.getparent(), w("p"))
        paragraph.addnext(new)
        old_ppr = paragraph.find(w("pPr"))
        if old_ppr is not None:
            new.append(copy.deepcopy(old_ppr))
        else:
            old_ppr = etree.Element(w("pPr"))
            paragraph.insert(0, old_ppr)
        rpr = old_ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(old_ppr, w("rPr"))
        rpr.insert(0, self._revision("ins", author, date))
        container = self._revision("ins", author, date)
        run = etree.SubElement(container, w("r"))
        self._set_text(run, text)
        new.append(container)

    # ---- untracked edits ---------------------------------------------------------------------

    def edit(self, old: str, new: str, *, occurrence: int = 0) -> None:
        """A direct edit with track changes off: the text of the runs holding ``old`` becomes ``new``."""
        runs = self._runs_for(old, occurrence)
        self._set_text(runs[0], new)
        for run in runs[1:]:
            run.getparent().remove(run)

    # ---- output ------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The package with the markup, its parts, relationships and content types."""
        parts = dict(self._parts)
        parts["word/document.xml"] = _xml(self.document)
        names = list(self._names)
        if len(self._comments):
            parts[COMMENTS_PART] = _xml(self._comments)
            parts[COMMENTS_EX_PART] = _xml(self._comments_ex)
            rels_name = "word/_rels/document.xml.rels"
            rels = etree.fromstring(parts[rels_name])
            types = etree.fromstring(parts["[Content_Types].xml"])
            for part, rel_type, content_type in (
                (COMMENTS_PART, COMMENTS_REL, COMMENTS_CT),
                (COMMENTS_EX_PART, COMMENTS_EX_REL, COMMENTS_EX_CT),
            ):
                target = part.removeprefix("word/")
                if not any(r.get("Target") == target for r in rels):
                    rid = _free_rid(rels)
                    etree.SubElement(
                        rels, f"{{{REL}}}Relationship", Id=rid, Type=rel_type, Target=target
                    )
                if not any(
                    o.get("PartName") == "/" + part for o in types.iter(f"{{{CT}}}Override")
                ):
                    etree.SubElement(
                        types, f"{{{CT}}}Override", PartName="/" + part, ContentType=content_type
                    )
                if part not in names:
                    names.append(part)
            parts[rels_name] = _xml(rels)
            parts["[Content_Types].xml"] = _xml(types)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                archive.writestr(name, parts[name])
        return out.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the reviewed package to ``path``."""
        target = Path(path)
        target.write_bytes(self.to_bytes())
        return target

    # ---- helpers -----------------------------------------------------------------------------

    def _load_or_new(self, name: str, empty: str) -> etree._Element:
        return etree.fromstring(self._parts[name] if name in self._parts else empty.encode())

    def _new_comment(
        self,
        text: str,
        author: str,
        date: str,
        initials: str | None,
        parent: int | None,
        resolved: bool,
    ) -> int:
        cid = next(self._next_mark)
        node = etree.SubElement(self._comments, w("comment"))
        node.set(w("id"), str(cid))
        node.set(w("author"), author)
        node.set(w("date"), date)
        node.set(w("initials"), initials or "".join(part[0] for part in author.split() if part))
        lines = text.split("\n")
        for index, line in enumerate(lines):
            paragraph = etree.SubElement(node, w("p"))
            paragraph.set(f"{{{W14}}}paraId", f"{next(self._next_para):08X}")
            paragraph.set(f"{{{W14}}}textId", "77777777")
            ppr = etree.SubElement(paragraph, w("pPr"))
            etree.SubElement(ppr, w("pStyle")).set(w("val"), "CommentText")
            if index == 0:
                mark = etree.SubElement(paragraph, w("r"))
                etree.SubElement(etree.SubElement(mark, w("rPr")), w("rStyle")).set(
                    w("val"), "CommentReference"
                )
                etree.SubElement(mark, w("annotationRef"))
            self._set_text(etree.SubElement(paragraph, w("r")), line)
        entry = etree.SubElement(self._comments_ex, f"{{{W15}}}commentEx")
        entry.set(f"{{{W15}}}paraId", self._last_para_id(cid))
        if parent is not None:
            entry.set(f"{{{W15}}}paraIdParent", self._last_para_id(parent))
        entry.set(f"{{{W15}}}done", "1" if resolved else "0")
        return cid

    def _last_para_id(self, comment_id: int) -> str:
        for node in self._comments.iter(w("comment")):
            if node.get(w("id")) == str(comment_id):
                return node.findall(w("p"))[-1].get(f"{{{W14}}}paraId")
        raise KeyError(comment_id)

    def _mark(self, tag: str, mark_id: int) -> etree._Element:
        node = etree.Element(w(tag))
        node.set(w("id"), str(mark_id))
        return node

    def _find_mark(self, tag: str, mark_id: int) -> etree._Element:
        found = self.document.xpath(f"//w:{tag}[@w:id='{mark_id}']", namespaces={"w": W})
        if not found:
            raise KeyError(mark_id)
        return found[0]

    def _reference_run(self, cid: int) -> etree._Element:
        run = etree.Element(w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("rStyle")).set(
            w("val"), "CommentReference"
        )
        etree.SubElement(run, w("commentReference")).set(w("id"), str(cid))
        return run

    def _revision(self, tag: str, author: str, date: str) -> etree._Element:
        node = etree.Element(w(tag))
        node.set(w("id"), str(next(self._next_mark)))
        node.set(w("author"), author)
        node.set(w("date"), date)
        return node

    def _range_start(self, tag: str, author: str, date: str, name: str) -> etree._Element:
        node = self._revision(tag, author, date)
        node.set(w("name"), name)
        return node

    def _run_like(self, model: etree._Element, text: str) -> etree._Element:
        run = etree.Element(w("r"))
        rpr = model.find(w("rPr"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        self._set_text(run, text)
        return run

    @staticmethod
    def _set_text(run: etree._Element, text: str) -> None:
        for child in list(run):
            if child.tag != w("rPr"):
                run.remove(child)
        t = etree.SubElement(run, w("t"))
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")

    def _paragraphs(self) -> list[etree._Element]:
        return list(self.document.iter(w("p")))

    def _paragraph_of(self, text: str) -> etree._Element:
        for paragraph in self._paragraphs():
            if text in _plain_text(paragraph):
                return paragraph
        raise LookupError(f"no paragraph holds {text!r}")

    def _runs_for(self, text: str, occurrence: int) -> list[etree._Element]:
        """The plain runs covering exactly ``text``, splitting the runs at its two ends."""
        seen = 0
        for paragraph in self._paragraphs():
            plain = _plain_text(paragraph)
            start = plain.find(text)
            while start != -1:
                if seen == occurrence:
                    return self._split_range(paragraph, start, start + len(text))
                seen += 1
                start = plain.find(text, start + 1)
        raise LookupError(f"{text!r} (occurrence {occurrence}) is in no paragraph's plain runs")

    def _split_range(self, paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
        covered: list[etree._Element] = []
        offset = 0
        for run in _plain_runs(paragraph):
            text = _run_text(run)
            run_start, run_end = offset, offset + len(text)
            offset = run_end
            if run_end <= start or run_start >= end or not text:
                continue
            if run_start < start:
                run = self._split_run(run, start - run_start)
                run_start = start
            if run_end > end:
                self._split_run(run, end - run_start)
            covered.append(run)
        return covered

    def _split_run(self, run: etree._Element, at: int) -> etree._Element:
        """Split a one-text run at ``at`` characters; returns the second half (inserted after)."""
        texts = run.findall(w("t"))
        if len(texts) != 1 or any(c.tag not in (w("rPr"), w("t")) for c in run):
            raise LookupError("a range end falls inside a run holding more than text")
        whole = texts[0].text or ""
        tail = self._run_like(run, whole[at:])
        self._set_text(run, whole[:at])
        run.addnext(tail)
        return tail


def _plain_runs(paragraph: etree._Element) -> list[etree._Element]:
    return [child for child in paragraph if child.tag == w("r")]


def _run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(w("t")))


def _plain_text(paragraph: etree._Element) -> str:
    return "".join(_run_text(run) for run in _plain_runs(paragraph))


def _free_rid(rels: etree._Element) -> str:
    taken = {r.get("Id") for r in rels}
    return next(f"rId{n}" for n in itertools.count(1) if f"rId{n}" not in taken)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

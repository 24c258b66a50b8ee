"""word_markup.py writes review markup that independent readers see as Word's own.

pandoc (``-f docx --track-changes=all|accept|reject``) is the oracle for comments and tracked
changes; python-docx must still open the file and list its comments. The base file is made by
python-docx, so these tests do not depend on briefkit's writer.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from word_markup import W14, W15, W, WordReview

pytestmark = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")

WHEN = "2026-12-01T09:30:00Z"


@pytest.fixture(scope="module")
def exported() -> bytes:
    """A small DOCX made by python-docx (a real producer, independent of briefkit's writer)."""
    document = docx.Document()
    document.add_heading("Bottom line up front", level=2)
    body = document.add_paragraph(
        "Maximum pressure has not produced a transition: its critics find the "
    )
    body.add_run("government stronger than before,")
    body.add_run(
        " and even advocates of engagement concede that past talks were used to divide the "
        "opposition. The choice is between keeping pressure and phased relief."
    )
    document.add_paragraph("Background follows.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pandoc_json(data: bytes, mode: str = "all") -> dict[str, Any]:
    done = subprocess.run(
        ["pandoc", "-f", "docx", f"--track-changes={mode}", "-t", "json"],
        input=data,
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout)


def pandoc_plain(data: bytes, mode: str) -> str:
    done = subprocess.run(
        ["pandoc", "-f", "docx", f"--track-changes={mode}", "-t", "plain", "--wrap=none"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def spans(node: Any, kind: str) -> list[tuple[dict[str, str], str]]:
    """Every pandoc Span of class ``kind``: its attributes and its text."""
    found: list[tuple[dict[str, str], str]] = []
    if isinstance(node, dict):
        if node.get("t") == "Span":
            (_, classes, attrs), inlines = node["c"]
            if kind in classes:
                found.append((dict(attrs), inline_text(inlines)))
        for value in node.values():
            found += spans(value, kind)
    elif isinstance(node, list):
        for item in node:
            found += spans(item, kind)
    return found


def inline_text(node: Any) -> str:
    if isinstance(node, list):
        return "".join(inline_text(item) for item in node)
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return str(node["c"])
        if node.get("t") == "Space":
            return " "
        if node.get("t") == "Note":
            return ""
        return inline_text(node.get("c", []))
    return ""


def opens_in_python_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_a_comment_and_its_reply_are_read_by_pandoc_and_python_docx(exported: bytes) -> None:
    review = WordReview(exported)
    first = review.comment(
        "Maximum pressure has not produced a transition",
        "Too strong?",
        author="Dana Director",
        date=WHEN,
    )
    review.reply(first, "Agreed: soften it.", author="Ann Analyst", date="2026-12-01T10:00:00Z")
    data = review.to_bytes()
    starts = spans(pandoc_json(data), "comment-start")
    assert [(a["author"], a["date"], text) for a, text in starts] == [
        ("Dana Director", WHEN, "Too strong?"),
        ("Ann Analyst", "2026-12-01T10:00:00Z", "Agreed: soften it."),
    ]
    assert sorted(a["id"] for a, _ in spans(pandoc_json(data), "comment-end")) == ["0", "1"]
    assert [(c.author, c.text) for c in opens_in_python_docx(data).comments] == [
        ("Dana Director", "Too strong?"),
        ("Ann Analyst", "Agreed: soften it."),
    ]


def test_the_commented_range_is_exactly_the_anchor_text(exported: bytes) -> None:
    review = WordReview(exported)
    review.comment("has not produced", "Evidence?", author="Dana Director", date=WHEN)
    body = etree.fromstring(
        zipfile.ZipFile(io.BytesIO(review.to_bytes())).read("word/document.xml")
    )
    ns = {"w": W}
    start = body.xpath("//w:commentRangeStart", namespaces=ns)[0]
    inside = []
    for node in start.itersiblings():
        if node.tag.endswith("commentRangeEnd"):
            break
        inside.append("".join(node.itertext()))
    assert "".join(inside) == "has not produced"
    assert node.getnext().xpath("w:commentReference/@w:id", namespaces=ns) == ["0"]


def test_replies_and_resolved_state_are_in_comments_extended_keyed_by_para_ids(
    exported: bytes,
) -> None:
    review = WordReview(exported)
    first = review.comment("Bottom line up front", "Rename?", author="Dana Director", date=WHEN)
    review.reply(first, "Done.", author="Ann Analyst", date=WHEN)
    review.resolve(first)
    package = zipfile.ZipFile(io.BytesIO(review.to_bytes()))
    comments = etree.fromstring(package.read("word/comments.xml"))
    para_ids = [
        c.findall(f"{{{comments.nsmap['w']}}}p")[-1].get(f"{{{W14}}}paraId") for c in comments
    ]
    extended = etree.fromstring(package.read("word/commentsExtended.xml"))
    entries = [
        (e.get(f"{{{W15}}}paraId"), e.get(f"{{{W15}}}paraIdParent"), e.get(f"{{{W15}}}done"))
        for e in extended
    ]
    assert entries == [(para_ids[0], None, "1"), (para_ids[1], para_ids[0], "0")]
    rels = package.read("word/_rels/document.xml.rels").decode()
    types = package.read("[Content_Types].xml").decode()
    assert 'Target="comments.xml"' in rels and 'Target="commentsExtended.xml"' in rels
    assert "wordprocessingml.comments+xml" in types and "commentsExtended+xml" in types


def test_tracked_insertion_deletion_and_replacement_accept_and_reject_as_word_would(
    exported: bytes,
) -> None:
    review = WordReview(exported)
    review.insert("its critics find", " most of", author="Colin Colleague", date=WHEN)
    review.delete(" and even advocates", author="Colin Colleague", date=WHEN)
    review.replace("The choice is", "The real choice is", author="Colin Colleague", date=WHEN)
    data = review.to_bytes()
    tree = pandoc_json(data)
    assert [(a["author"], t.strip()) for a, t in spans(tree, "insertion")] == [
        ("Colin Colleague", "most of"),
        ("Colin Colleague", "The real choice is"),
    ]
    assert [t.strip() for _, t in spans(tree, "deletion")] == [
        "and even advocates",
        "The choice is",
    ]
    accepted, rejected, original = (
        pandoc_plain(data, "accept"),
        pandoc_plain(data, "reject"),
        pandoc_plain(exported, "accept"),
    )
    assert "its critics find most of the government" in accepted
    assert "stronger than before, of engagement concede" in accepted
    assert "The real choice is between" in accepted
    assert rejected == original
    opens_in_python_docx(data)


def test_a_tracked_move_reads_as_its_deletion_and_insertion(exported: bytes) -> None:
    review = WordReview(exported)
    review.move(
        " and even advocates of engagement concede",
        to_after="Maximum pressure",
        author="Mo Mover",
        date=WHEN,
    )
    data = review.to_bytes()
    tree = pandoc_json(data)
    moved = "and even advocates of engagement concede"  # pandoc keeps the leading space outside
    assert [t.strip() for _, t in spans(tree, "insertion")] == [moved]
    assert [t.strip() for _, t in spans(tree, "deletion")] == [moved]
    package = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    for tag in (
        "moveFromRangeStart",
        "moveFrom ",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveTo ",
        "moveToRangeEnd",
    ):
        assert f"<w:{tag}" in package
    assert "Maximum pressure and even advocates of engagement concede has not" in pandoc_plain(
        data, "accept"
    )
    assert pandoc_plain(data, "reject") == pandoc_plain(exported, "accept")
    opens_in_python_docx(data)


def test_an_inserted_paragraph_carries_an_inserted_paragraph_mark(exported: bytes) -> None:
    review = WordReview(exported)
    review.insert_paragraph(
        "used to divide the opposition", "A reviewer's new paragraph.", author="Pat", date=WHEN
    )
    data = review.to_bytes()
    assert [a["author"] for a, _ in spans(pandoc_json(data), "paragraph-insertion")] == ["Pat"]
    assert "\n\nA reviewer's new paragraph.\n\n" in pandoc_plain(data, "accept")
    assert pandoc_plain(data, "reject") == pandoc_plain(exported, "accept")
    opens_in_python_docx(data)


def test_a_direct_edit_changes_the_text_without_any_revision_mark(exported: bytes) -> None:
    review = WordReview(exported)
    review.edit("has not produced a transition", "has failed to produce a transition")
    data = review.to_bytes()
    tree = pandoc_json(data)
    assert spans(tree, "insertion") == [] and spans(tree, "deletion") == []
    for mode in ("accept", "reject"):
        assert "Maximum pressure has failed to produce a transition" in pandoc_plain(data, mode)
    assert "has failed to produce" in "\n".join(
        p.text for p in opens_in_python_docx(data).paragraphs
    )


def test_text_that_is_not_in_the_document_is_refused(exported: bytes) -> None:
    with pytest.raises(LookupError):
        WordReview(exported).comment("no such words anywhere", "x", author="A", date=WHEN)


def test_markup_added_twice_keeps_ids_unique(exported: bytes, tmp_path: Path) -> None:
    first = WordReview(exported)
    first.comment("Bottom line up front", "One", author="A", date=WHEN)
    second = WordReview(first.save(tmp_path / "once.docx"))
    second.comment("Maximum pressure", "Two", author="B", date=WHEN)
    second.insert("Maximum pressure", " still", author="B", date=WHEN)
    data = second.to_bytes()
    assert sorted(a["id"] for a, _ in spans(pandoc_json(data), "comment-start")) == ["0", "1"]
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    uses = Counter(etree.fromstring(body).xpath("//@w:id", namespaces={"w": W}))
    comment_ids = {a["id"] for a, _ in spans(pandoc_json(data), "comment-start")}
    # a comment's id is on its range start, range end and reference; every other mark is unique
    assert {i: n for i, n in uses.items() if i not in comment_ids} == {"2": 1}
    assert all(uses[i] == 3 for i in comment_ids)
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    assert rels.count('Target="comments.xml"') == 1

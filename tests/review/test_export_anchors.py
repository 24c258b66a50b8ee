"""Exports that find their way home: bookmarks round every brief element and the export record,
checked on the file itself, through pandoc, and after a LibreOffice round trip."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from docx_tools import (
    body_of,
    bookmark_names,
    needs_pandoc,
    needs_soffice,
    normal,
    pandoc_plain,
    through_libreoffice,
)
from review_fixtures import BRIEF, DOCX, export_sample, fresh_copy

from briefkit.brief.store import load_brief, save_brief
from briefkit.library.library import Library
from briefkit.render.docx import write_docx
from briefkit.render.docx.anchors import BookmarkNames, range_texts
from briefkit.render.docx.record import find_record
from briefkit.render.export import export_brief, render_brief
from briefkit.render.roundtrip import Element, brief_id
from briefkit.render.templates import Templates
from briefkit.review import read_reviewed_docx

WORD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample brief exported as the reviewer's copy (analyst notes and register included)."""
    return export_sample(tmp_path_factory.mktemp("anchors"), "--copy", "reviewer")


def test_every_element_of_the_brief_has_a_bookmark_with_a_word_name(sample: Path) -> None:
    brief = load_brief(sample / BRIEF)
    with zipfile.ZipFile(sample / DOCX) as archive:
        _, elements = find_record(archive)  # type: ignore[misc]
    printed = {e.element.path for e in elements}
    template = Templates(sample).get(brief.template)
    expected = {f"sections.{name}" for name, text in brief.sections.items()
                if text.strip() and name in template.sections}
    for position in brief.positions:
        expected |= {f"positions.{position.id}.title", f"positions.{position.id}.summary"}
        for citation in position.citations:
            expected.add(f"citations.{citation.id}.quote")
            if citation.note:
                expected.add(f"citations.{citation.id}.note")
    assert printed == expected
    names = bookmark_names(sample / DOCX)
    assert len(names) == len(set(names)) == len(elements)
    assert all(WORD_NAME.fullmatch(name) for name in names)
    # The register prints every quote a second time: both printings are anchored.
    assert sum(e.element.kind == "quote" and e.occurrence == 2 for e in elements) == len(brief.citations())


def test_the_record_names_the_brief_its_revision_and_each_quotes_source(sample: Path) -> None:
    brief = load_brief(sample / BRIEF)
    library = Library.open(sample)
    with zipfile.ZipFile(sample / DOCX) as archive:
        record, _ = find_record(archive)  # type: ignore[misc]
    assert record.brief_id == brief_id(brief)
    assert record.revision == hashlib.sha256((sample / BRIEF).read_bytes()).hexdigest()
    assert (record.template, record.style) == (brief.template, brief.style)
    assert Path(record.library_path) == sample.resolve()
    assert [q.citation for q in record.quotes] == [c.id for _, c in brief.citations()]
    for quote in record.quotes:
        source = library.source(quote.source)
        assert quote.source_sha256 == source.sha256
        assert source.text[quote.start : quote.end] == quote.exact


def test_an_untouched_file_reads_back_exactly_as_recorded(sample: Path) -> None:
    with zipfile.ZipFile(sample / DOCX) as archive:
        _, elements = find_record(archive)  # type: ignore[misc]
    texts = range_texts(body_of(sample / DOCX))
    assert {e.name: e.text for e in elements} == {e.name: texts[e.name] for e in elements}
    quotes = [e for e in elements if e.element.kind == "quote"]
    brief = load_brief(sample / BRIEF)
    exact = {c.id: c.anchor.quote for _, c in brief.citations()}
    assert all(normal(e.text) == normal(exact[e.element.id]) for e in quotes)


@needs_pandoc
def test_pandoc_reads_the_same_text_and_notes_with_and_without_anchors(sample: Path, tmp_path: Path) -> None:
    brief = load_brief(sample / BRIEF)
    plain = tmp_path / "plain.docx"
    plain.write_bytes(write_docx(render_brief(brief, copy="reviewer").document))
    text = pandoc_plain(plain, "all")
    assert pandoc_plain(sample / DOCX, "all") == text
    assert text.count("[") > 20  # the footnote references are in both


def test_block_elements_keep_their_markdown_shape(sample_dir: Path, tmp_path: Path) -> None:
    """Sections that start or end with a heading, list, quote, code or table: the marks never
    change what the blocks are, and the record holds each section's text."""
    brief = load_brief(sample_dir / BRIEF)
    brief.sections["summary"] = "## A heading first\n\nThen prose.\n\n- a list\n- that ends it"
    brief.sections["background"] = "```\ncode first\n```\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    brief.sections["recommendation"] = "1. numbered\n2. items\n\nText ending in a hard break  "
    save_brief(brief)
    brief = load_brief(sample_dir / BRIEF)
    anchored = export_brief(brief, "docx", tmp_path / "anchored.docx")
    plain = tmp_path / "plain.docx"
    plain.write_bytes(write_docx(render_brief(brief, copy="principal").document))
    assert pandoc_plain(anchored) == pandoc_plain(plain)
    reviewed = read_reviewed_docx(anchored)
    assert [(e.name, e.exported) for e in reviewed.elements] == [(e.name, e.accepted) for e in reviewed.elements]
    texts = {e.element: e.exported for e in reviewed.elements}
    assert texts["sections.summary"] == "A heading first\nThen prose.\na list\nthat ends it"
    assert texts["sections.background"] == "code first\na quote\na\nb\n1\n2"  # a cell is a paragraph
    assert texts["sections.recommendation"].startswith("numbered\nitems\nText ending")


def test_bookmark_names_are_word_names_unique_and_deterministic() -> None:
    ids = ["fal-snapback", "fal_snapback", "fal.snapback", "x" * 80, "é-ü", "2024-report", "a" * 30 + "-1"]

    def names() -> list[str]:
        placer = BookmarkNames()
        return [placer.place(Element("quote", i, "")).name for i in ids for _ in range(2)]

    first = names()
    assert first == names()
    assert len(set(first)) == len(first)
    assert all(WORD_NAME.fullmatch(n) for n in first)
    assert first[0] == "q_fal_snapback" and first[1] == "q_fal_snapback_2"


@needs_soffice
@pytest.mark.long
def test_bookmarks_and_record_survive_libreoffice(sample: Path, tmp_path: Path) -> None:
    """LibreOffice 7.4 renumbers bookmarks, writes the record twice, moves one bookmark end a
    character back and splits a bookmark spanning paragraphs: the reader sees it all as exported."""
    work = fresh_copy(sample, tmp_path)
    brief = load_brief(work / BRIEF)
    brief.sections["recommendation"] += "\n\nA second paragraph [@fal-snapback] ends here.\n\nAnd a third."
    save_brief(brief)
    out = export_brief(load_brief(work / BRIEF), "docx", tmp_path / "multi.docx", copy="reviewer")
    saved = through_libreoffice(out, tmp_path / "lo")
    assert set(bookmark_names(saved)) == set(bookmark_names(out))
    before, after = read_reviewed_docx(out), read_reviewed_docx(saved)
    assert after.record == before.record
    assert [e.name for e in after.elements] == [e.name for e in before.elements]
    assert [(e.name, e.exported, e.accepted) for e in after.elements if e.changed or not e.placed] == []
    assert [(e.name, e.exported, e.accepted) for e in before.elements if e.changed or not e.placed] == []

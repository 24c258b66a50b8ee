"""The package writer writes what python-docx would: opened and saved again by python-docx, a
written file keeps every part byte for byte; and a base prepared once, kept in the run cache,
writes the same file as one prepared afresh, until the reference document changes."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefkit.brief.store import load_brief
from briefkit.render.docx import write_docx
from briefkit.render.docx.package import Base
from briefkit.render.export import export_brief
from test_docx_writer import W, needs_pandoc, pandoc_reference, rewritten  # noqa: F401 - a fixture
from test_docx_writer import sample_brief as sample_tree

_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFKIT_CACHE", str(folder))
    return folder


def parts(data: bytes) -> dict[str, bytes]:
    """Every part by name, in the package's order, with its timestamps blanked."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: _STAMP.sub(b"T", package.read(name)) for name in package.namelist()}


def saved_again(data: bytes) -> bytes:
    import briefkit.render.docx.footnotes  # noqa: F401 - python-docx reads the footnotes part as ours

    out = io.BytesIO()
    docx.Document(io.BytesIO(data)).save(out)
    return out.getvalue()


def assert_python_docx_writes_the_same(data: bytes) -> None:
    written, again = parts(data), parts(saved_again(data))
    assert list(written) == list(again)
    for name in written:
        if name == "docProps/core.xml":  # an empty property reads back as none: <a></a> is saved <a/>
            def fields(blob: bytes) -> list[tuple[str, str]]:
                return [(e.tag, e.text or "") for e in etree.fromstring(blob)]

            assert fields(written[name]) == fields(again[name])
        else:
            assert written[name] == again[name], name


def test_a_file_on_the_house_template_is_saved_again_unchanged() -> None:
    assert_python_docx_writes_the_same(write_docx(sample_tree()))


@needs_pandoc
def test_a_file_on_pandocs_reference_is_saved_again_unchanged(pandoc_reference: Path) -> None:
    assert_python_docx_writes_the_same(write_docx(sample_tree(), reference_doc=pandoc_reference))


def test_a_reference_without_numbering_gets_its_numbering_part_as_python_docx_would(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))

    def without_numbering(name: str, data: bytes) -> bytes | None:
        if name == "word/numbering.xml":
            return None
        if name == "word/_rels/document.xml.rels":
            return re.sub(rb'<Relationship [^>]*numbering"[^>]*/>', b"", data)
        return data.replace(b'<Override PartName="/word/numbering.xml"', b'<Override PartName="/word/none.xml"')

    bare = rewritten(plain, tmp_path / "bare.docx", without_numbering)
    assert "word/numbering.xml" not in zipfile.ZipFile(bare).namelist()
    data = write_docx(sample_tree(), reference_doc=bare)
    assert_python_docx_writes_the_same(data)
    numbering = etree.fromstring(parts(data)["word/numbering.xml"])
    assert [n.get(W + "numId") for n in numbering.iter(W + "num")] == ["1", "2"]  # bullets, then 1. 2.


def test_an_export_with_its_record_is_saved_again_unchanged(sample_brief: Path, tmp_path: Path) -> None:
    out = export_brief(load_brief(sample_brief), "docx", tmp_path / "brief.docx")
    data = out.read_bytes()
    assert any(name.startswith("customXml/") for name in parts(data))
    assert_python_docx_writes_the_same(data)


def test_a_base_from_the_run_cache_writes_what_a_fresh_one_writes(cache: Path, tmp_path: Path) -> None:
    fresh = write_docx(sample_tree())
    assert [p.name for p in cache.iterdir() if p.name.startswith("docx-base-")]
    cached = write_docx(sample_tree())
    assert parts(cached) == parts(fresh)


def test_a_reference_document_changed_in_place_is_prepared_again(tmp_path: Path) -> None:
    reference = tmp_path / "house.docx"
    house = docx.Document()
    house.styles["Normal"].font.name = "Georgia"
    house.save(str(reference))
    assert b"Georgia" in parts(write_docx(sample_tree(), reference_doc=reference))["word/styles.xml"]
    house.styles["Normal"].font.name = "Garamond"
    house.save(str(reference))
    styles = parts(write_docx(sample_tree(), reference_doc=reference))["word/styles.xml"]
    assert b"Garamond" in styles and b"Georgia" not in styles


def test_the_prepared_base_marks_its_places_in_no_text_of_its_own() -> None:
    # The key names every place and placeholder; a reference document's own text never holds it.
    from briefkit.render.docx.package import prepared_base

    base: Base = prepared_base(None)
    text = {name: zlib.decompress(part.deflated.data, -15) if part.deflated else part.blob
            for name, part in base.parts.items()}
    assert all(len(blob) == part.deflated.size for name, part in base.parts.items() if part.deflated
               for blob in [text[name]])
    marked = [name for name, blob in text.items() if base.key.encode() in blob]
    assert sorted(marked) == sorted({*base.places.values(), "/docProps/core.xml"})
    assert {name for name, part in base.parts.items() if not part.deflated} == set(marked)


def test_the_record_written_as_text_is_what_lxml_serialises_for_it() -> None:
    from briefkit.render.docx.record import NAMESPACE, ElementRecord, parse_record, record_xml
    from briefkit.render.roundtrip import Element, ExportRecord, QuoteRecord

    awkward = 'A & B <"quoted"> \'it\'\ttab\nline é\u2014'
    record = ExportRecord("brief-1", "7", awkward, "memo", "chicago", "lib", "/tmp/lib & co",
                          (QuoteRecord("c1", "s1", 3, 9, awkward, "ab" * 32, "p1", "<pre", "post>"),),
                          "2026-12-04T21:00:00+00:00")
    elements = [ElementRecord("sec_summary", Element("section", "summary", awkward), 1, awkward + "!"),
                ElementRecord("q_c1", Element("quote", "c1", awkward), 2, awkward)]
    root = etree.Element(f"{{{NAMESPACE}}}briefkit-export", nsmap={None: NAMESPACE})
    root.set("version", "1")
    q = lambda tag: f"{{{NAMESPACE}}}{tag}"  # noqa: E731
    etree.SubElement(root, q("brief"), {
        "id": "brief-1", "revision": "7", "title": awkward, "template": "memo", "style": "chicago",
        "library": "lib", "library-path": "/tmp/lib & co", "exported": "2026-12-04T21:00:00+00:00"})
    for item in elements:
        node = etree.SubElement(root, q("element"), {"name": item.name, "kind": item.element.kind,
                                                     "id": item.element.id, "occurrence": str(item.occurrence)})
        if item.element.source != item.text:
            etree.SubElement(node, q("source")).text = item.element.source
        etree.SubElement(node, q("text")).text = item.text
    node = etree.SubElement(root, q("quote"), {"citation": "c1", "source": "s1", "position": "p1", "start": "3",
                                               "end": "9", "source-sha256": "ab" * 32})
    for tag, text in (("exact", awkward), ("prefix", "<pre"), ("suffix", "post>")):
        etree.SubElement(node, q(tag)).text = text
    written = record_xml(record, elements)
    assert written == etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    assert parse_record(written) == (record, elements)


def test_the_record_item_id_is_the_name_based_uuid_of_brief_and_revision() -> None:
    import uuid

    from briefkit.render.docx.record import NAMESPACE, item_id
    from briefkit.render.roundtrip import ExportRecord

    for brief, revision in (("brief-1", "7"), ("venezuela", ""), ("é-brief", "12")):
        record = ExportRecord(brief, revision, "", "", "", "", "", ())
        assert item_id(record) == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE}:{brief}:{revision}")).upper()


def test_the_zip_container_reads_back_whole_in_zipfile() -> None:
    import time

    from briefkit.render.docx.zipped import BEST, archive, deflate

    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" * 5000,
               "customXml/\u00e9t\u00e9.xml": "\u00e9".encode() * 3, "empty.xml": b""}
    when = time.mktime((2026, 12, 4, 21, 30, 14, 0, 0, -1))
    data = archive([(name, deflate(blob, BEST if "document" in name else 6)) for name, blob in members.items()], when)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        assert {name: package.read(name) for name in package.namelist()} == members
        assert {(i.compress_type, i.date_time) for i in package.infolist()} == {
            (zipfile.ZIP_DEFLATED, (2026, 12, 4, 21, 30, 14))}

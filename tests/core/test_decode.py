"""Decoding source files: encodings, line ends, control characters, bad files, Markdown."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from briefkit.errors import SourceError
from briefkit.library.decode import decode_source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def write(tmp_path: Path, data: bytes, name: str = "source.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_text_decodes_as_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "Nicolás Maduro’s “dialogue”\n".encode())
    assert decode_source(path) == ("Nicolás Maduro’s “dialogue”\n", "utf-8")


def test_utf8_byte_order_mark_is_dropped_and_reported(tmp_path: Path) -> None:
    path = write(tmp_path, codecs.BOM_UTF8 + "Guaidó\n".encode())
    assert decode_source(path) == ("Guaidó\n", "utf-8-sig")


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_byte_order_mark_decodes(tmp_path: Path, codec: str, name: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path = write(tmp_path, bom + "Padrino López\r\nsecond line\r\n".encode(codec))
    assert decode_source(path) == ("Padrino López\nsecond line\n", name)


def test_utf16_without_byte_order_mark_is_refused_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "plain words".encode("utf-16-le"))
    with pytest.raises(SourceError, match="byte-order mark") as caught:
        decode_source(path)
    assert caught.value.path == path


def test_cp1252_text_falls_back_to_cp1252(tmp_path: Path) -> None:
    path = write(tmp_path, b"Caf\xe9 \x93quoted\x94 \x96 dash\n")
    assert decode_source(path) == ("Café “quoted” – dash\n", "cp1252")


def test_bytes_undefined_in_cp1252_fall_back_to_latin1_without_control_characters(
        tmp_path: Path) -> None:
    path = write(tmp_path, b"Caf\xe9 \x81here\n")
    assert decode_source(path) == ("Café here\n", "latin-1")


def test_crlf_and_lone_cr_line_ends_become_lf(tmp_path: Path) -> None:
    path = write(tmp_path, b"one\r\ntwo\rthree\n")
    assert decode_source(path)[0] == "one\ntwo\nthree\n"


def test_control_characters_are_removed_but_tabs_and_newlines_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "a\x07b\x1bc\td\x0ce\x7ff\u0085g\n".encode())
    assert decode_source(path)[0] == "abc\tdefg\n"


def test_empty_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    with pytest.raises(SourceError, match="empty") as caught:
        decode_source(path)
    assert str(path) in str(caught.value)


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="empty"):
        decode_source(write(tmp_path, b" \r\n\t\n"))


def test_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    with pytest.raises(SourceError, match="not found") as caught:
        decode_source(path)
    assert caught.value.path == path


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="folder"):
        decode_source(tmp_path)


def test_file_with_nul_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "chart.txt")
    with pytest.raises(SourceError, match="binary"):
        decode_source(path)


def test_file_of_control_characters_is_refused_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, bytes(range(1, 32)) * 20 + b"some text")
    with pytest.raises(SourceError, match="binary"):
        decode_source(path)


def test_a_few_stray_control_characters_do_not_make_a_file_binary(tmp_path: Path) -> None:
    path = write(tmp_path, b"x" * 200 + b"\x01\x02\x03")
    assert decode_source(path)[0] == "x" * 200


def test_markdown_becomes_reading_text_without_markup(tmp_path: Path) -> None:
    source = (
        "# Title\n"
        "\n"
        "Some *emphasis*, **strong**, `code` and a [link](https://example.org).\n"
        "A continued line.\n"
        "\n"
        "<!-- a comment\nover two lines -->\n"
        "- first item\n"
        "- second [item](#)\n"
        "\n"
        "1. numbered\n"
        "\n"
        "---\n"
        "\n"
        "![chart](chart.png) After the image.\n"
    )
    text, _ = decode_source(write(tmp_path, source.encode(), "note.md"))
    lines = text.split("\n")
    assert len(lines) == source.count("\n") + 1  # every block stays on the line it came from
    assert lines[0] == "Title"
    assert lines[2] == "Some emphasis, strong, code and a link. A continued line."
    assert lines[7:9] == ["first item", "second item"]
    assert lines[10] == "numbered"
    assert "---" not in text and "comment" not in text and "chart" not in text
    assert lines[14] == "After the image."


def test_sample_markdown_source_keeps_headings_and_list_items_as_paragraphs() -> None:
    text, encoding = decode_source(SEEDS / "fal-2021-negotiations-redlines.md")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    assert encoding == "utf-8"
    assert paragraphs[:3] == ["Forum for American Leadership",
                              "Venezuela: Negotiations, Leverage, and U.S. Redlines",
                              "August 6, 2021"]
    assert "There are key U.S. national security interests at stake in Venezuela:" in paragraphs
    assert "Release the CITGO 6 from house arrest and return them to their families;" in paragraphs
    assert not any(mark in text for mark in ("](#)", "**", "##", "\n- "))

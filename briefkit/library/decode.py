"""Turn a source file's bytes into plain text that offsets can point into.

Web captures and exports arrive in whatever encoding the tool that saved them preferred, with CRLF
line ends and stray control characters. Everything is settled here, once, so that the same file
always yields the same text and the same offsets. Markdown sources are reduced to their reading
text line by line, so a line number in the result is still the line number in the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from briefkit.errors import SourceError
from briefkit.fsio import read_bytes

__all__ = ["MARKDOWN_SUFFIXES", "decode_bytes", "decode_reading_text", "decode_source",
           "sniff_encoding"]

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

# C0 controls except \t and \n (\r is turned into \n before this applies), DEL, and C1 controls.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UTF8_C1 = re.compile(b"\xc2[\x80-\x9f]")

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# More control characters than this share of the bytes (and this many) means the file is not text.
_BINARY_CONTROL_SHARE = 0.05
_BINARY_CONTROL_MIN = 16


def decode_source(path: Path) -> tuple[str, str]:
    """Read a source file and return its text and the name of the encoding it was in.

    The text has LF line ends and no control characters other than tab and newline; a Markdown
    file (.md, .markdown) comes back as its reading text without markup.

    Raises:
        SourceError: the file is missing, unreadable, empty or binary (the message names it).
    """
    path = Path(path)
    raw = read_bytes(path, SourceError, "source file")
    text, encoding = decode_bytes(raw, path)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        from briefkit.library.ingest.markdown import markdown_to_text  # markdown-it on first use

        text = markdown_to_text(text)
    if not text.strip():
        raise SourceError("source file has no text", path=path)
    return text, encoding


def decode_bytes(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes by BOM, else UTF-8, else cp1252, else Latin-1; see `decode_source`."""
    if not raw or raw.isspace():
        raise SourceError("source file is empty", path=path)
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(name.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"has a {name} byte-order mark but is not valid {name} text "
                    f"(byte {exc.start + len(bom)})", path=path) from None
            return _without_controls(text, path), name
    if b"\x00" in raw:
        raise SourceError(
            "is a binary file (it contains NUL bytes; UTF-16 text needs a byte-order mark)",
            path=path)
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    stripped = raw.translate(None, _CONTROL_BYTES)
    removed = len(raw) - len(stripped)
    if removed > _BINARY_CONTROL_MIN and removed > _BINARY_CONTROL_SHARE * len(raw):
        raise SourceError(
            f"is a binary file ({removed} control characters in {len(raw)} bytes)", path=path)
    try:
        text, name = stripped.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, name = stripped.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, name = stripped.decode("latin-1"), "latin-1"
    if name == "latin-1" or (name == "utf-8" and _UTF8_C1.search(stripped)):
        text = _CONTROL_CHARS.sub("", text)  # C1 controls survive the byte-level pass
    return text, name


def sniff_encoding(path: Path, chunk_size: int = 1 << 20) -> str:
    """The encoding `decode_bytes` would find for a file, read in chunks so memory stays bounded.

    Ingestion checks a large text file this way instead of decoding it whole; the verdicts
    (empty, binary, bad bytes after a byte-order mark) and their messages are `decode_bytes`'s.

    Raises:
        SourceError: the file is unreadable, empty, binary or not valid in its BOM's encoding.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise SourceError(f"cannot read source file: {exc.strerror}", path=path) from None
    with handle:
        head = handle.read(4)
        bom_name = next((name for bom, name in _BOMS if head.startswith(bom)), None)
        bom_size = next((len(bom) for bom, name in _BOMS if head.startswith(bom)), 0)
        handle.seek(bom_size)
        codec = bom_name.removesuffix("-sig") if bom_name else "utf-8"
        decoder = codecs.getincrementaldecoder(codec)("strict")
        utf8_ok, cp1252_ok, has_text = True, True, False
        size = removed = offset = 0
        while chunk := handle.read(chunk_size):
            size += len(chunk)
            if bom_name is None:
                if b"\x00" in chunk:
                    raise SourceError("is a binary file (it contains NUL bytes; UTF-16 text needs a "
                                      "byte-order mark)", path=path)
                stripped = chunk.translate(None, _CONTROL_BYTES)
                removed += len(chunk) - len(stripped)
                has_text = has_text or not stripped.isspace() and bool(stripped)
                cp1252_ok = cp1252_ok and not any(b in stripped for b in _CP1252_HOLES)
            else:
                stripped = chunk
            if utf8_ok:
                try:
                    text = decoder.decode(stripped)
                except UnicodeDecodeError as exc:
                    if bom_name is not None:
                        raise SourceError(
                            f"has a {bom_name} byte-order mark but is not valid {bom_name} text "
                            f"(byte {offset + exc.start + bom_size})", path=path) from None
                    utf8_ok = False
                else:
                    if bom_name is not None:
                        if "\x00" in text:
                            raise SourceError("is a binary file (too many control characters)",
                                              path=path)
                        controls = len(_CONTROL_CHARS.findall(text))
                        removed += controls
                        has_text = has_text or len(text.strip()) > 0
            offset += len(stripped)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                if bom_name is not None:
                    raise SourceError(f"has a {bom_name} byte-order mark but is not valid "
                                      f"{bom_name} text (it ends mid-character)", path=path) from None
                utf8_ok = False
    if not has_text:
        raise SourceError("source file is empty", path=path)
    if removed > _BINARY_CONTROL_MIN and removed > _BINARY_CONTROL_SHARE * size:
        raise SourceError(f"is a binary file ({removed} control characters in {size} bytes)",
                          path=path)
    if bom_name is not None:
        return bom_name
    return "utf-8" if utf8_ok else "cp1252" if cp1252_ok else "latin-1"


_CP1252_HOLES = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # undefined in cp1252


def decode_reading_text(path: Path) -> str:
    """A reading text that ingestion extracted and stored: strict UTF-8, form feeds kept as page
    breaks, read exactly as written so stored offsets stay valid.

    Raises:
        SourceError: the file is missing, unreadable or no longer valid UTF-8 (edited by hand).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("reading text not found (add the source again)", path=path) from None
    except OSError as exc:
        raise SourceError(f"cannot read reading text: {exc.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"reading text is not valid UTF-8 (byte {exc.start}); add the source "
                          "again to re-extract it", path=path) from None
    if not text.strip():
        raise SourceError("reading text is empty", path=path)
    nul = text.find("\x00")  # no reader, old or new, writes one: the file was spoilt elsewhere
    if nul >= 0:
        raise SourceError("reading text holds NUL bytes, which no reader writes (the file was "
                          "changed outside briefkit); add the source again to re-extract it",
                          path=path, line=text.count("\n", 0, nul) + 1)
    return text


def _without_controls(text: str, path: Path) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _CONTROL_CHARS.sub("", text)
    removed = len(text) - len(cleaned)
    if "\x00" in text or (removed > _BINARY_CONTROL_MIN
                           and removed > _BINARY_CONTROL_SHARE * len(text)):
        raise SourceError("is a binary file (too many control characters)", path=path)
    return cleaned

"""Which reader a file needs, decided by its first bytes rather than its name.

Analysts' downloads are often misnamed (a PDF saved as `.html`, a web page as `.txt`), so the
name decides only between plain text and Markdown, which no signature tells apart.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from briefkit.errors import SourceError
from briefkit.library.decode import MARKDOWN_SUFFIXES

__all__ = ["detect_format"]

_HEAD = 4096
# Formats briefkit cannot read, so the message can say what the file is.
_FOREIGN: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "is an old-style Office file (.doc/.xls); save it as .docx or PDF and add that"),
    (b"{\\rtf", "is an RTF file; save it as .docx or plain text and add that"),
    (b"\x89PNG\r\n\x1a\n", "is a PNG image, not a text source"),
    (b"\xff\xd8\xff", "is a JPEG image, not a text source"),
    (b"GIF87a", "is a GIF image, not a text source"),
    (b"GIF89a", "is a GIF image, not a text source"),
    (b"\x1f\x8b", "is a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "is a 7-Zip archive; unpack it first"),
    (b"Rar!", "is a RAR archive; unpack it first"),
    (b"\x7fELF", "is a program, not a text source"),
    (b"MZ", "is a Windows program, not a text source"),
    (b"SQLite format 3\x00", "is a SQLite database, not a text source"),
)
_HTML = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body|<meta|<title)",
    re.IGNORECASE | re.DOTALL)


def detect_format(path: Path) -> str:
    """"pdf", "docx", "html", "markdown" or "text" (text files are checked when read).

    Raises:
        SourceError: the file is missing, empty, or of a kind briefkit cannot read.
    """
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(_HEAD)
    except FileNotFoundError:
        raise SourceError("file not found", path=path) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a source file", path=path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=path) from None
    if not head.strip():
        raise SourceError("is empty", path=path)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    for signature, message in _FOREIGN:
        if head.startswith(signature):
            raise SourceError(message, path=path)
    if _HTML.match(_ascii_head(head)):
        return "html"
    return "markdown" if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else "text"


def _ascii_head(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes, so UTF-16 HTML is recognised too."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(codec, "ignore").encode("ascii", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf")


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        what = "Word document" if Path(path).suffix.lower() == ".docx" else "ZIP archive"
        raise SourceError(f"is a damaged or truncated {what}", path=path) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        raise SourceError("is an Excel or PowerPoint file, not a text source", path=path)
    raise SourceError("is a ZIP archive, not a Word document; unpack it first", path=path)

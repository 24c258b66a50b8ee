"""Plain text and Markdown: checked here, and read at use time like any file in a library.

The reading text of a text source is what the library's own decode, clean and segment steps
make of the copied file, so ingestion only has to prove the file is text. Files up to
`FULL_CHECK_BYTES` get the full treatment (which also catches a file that is all clutter);
larger ones are scanned in chunks so a 100 MB file is checked in bounded memory.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefkit.errors import SourceError
from briefkit.library.clean import clean
from briefkit.library.csl import title_from_filename
from briefkit.library.decode import decode_source, sniff_encoding
from briefkit.library.ingest.extracted import Extracted

__all__ = ["FULL_CHECK_BYTES", "read_text_file"]

FULL_CHECK_BYTES = 16 << 20
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def read_text_file(path: Path, fmt: str) -> Extracted:
    """Check a text or Markdown file and take its title (a Markdown file's first `#` heading).

    Raises:
        SourceError: the file is empty, binary, badly encoded or holds only clutter.
    """
    path = Path(path)
    title = title_from_filename(path.stem)
    if path.stat().st_size > FULL_CHECK_BYTES:
        encoding = sniff_encoding(path)
    else:
        text, encoding = decode_source(path)
        if not clean(text)[0]:
            raise SourceError("has no text left once web-capture clutter is removed", path=path)
        if fmt == "markdown":
            raw = path.read_bytes().decode(encoding.removesuffix("-sig"), "replace")
            heading = _HEADING.search(raw)
            if heading:
                title = heading.group(1).strip()
    return Extracted(fmt, None, {"type": "manuscript", "title": title}, encoding)

"""Text hygiene: every string from the tree, the notes, the title block and the table cells passes
through `clean` before it becomes WordprocessingML.

XML 1.0 cannot hold most control characters, lone surrogates, U+FFFE or U+FFFF (python-docx raises
`ValueError` on them), so they are dropped; line endings are normalised to `\\n` first so that
`\\r\\n` becomes one line break, not two.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop characters XML cannot hold and turn every line ending into a single `\\n`."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """A property value (title, author): cleaned, with runs of whitespace collapsed to one space."""
    return " ".join(clean(text).split())

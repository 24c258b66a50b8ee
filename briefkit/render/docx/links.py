"""Hyperlinks: safe targets, and their relationships added to a part in constant time.

Finding a matching relationship and then a free rId by scanning a part's relationships (as
python-docx's `Part.relate_to()` does) makes a thousand links in notes cost quadratic time.
`HyperlinkRels` keeps its own index of URLs and its own rId counter instead.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from briefkit.render.docx.package import PartRels
from briefkit.render.docx.text import clean

_RID_NUMBER = re.compile(r"rId(\d+)")
# Characters a URI may hold as they are; anything else (spaces, quotes, non-ASCII) is
# percent-encoded so that Word accepts the relationship target.
_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def safe_url(url: str) -> str:
    """A relationship target Word accepts: cleaned, trimmed, and percent-encoded where needed."""
    return quote(clean(url).strip(), safe=_URI_SAFE)


class HyperlinkRels:
    """The external `hyperlink` relationships of one part, each added in constant time.

    The same URL in the same part reuses its relationship, as `relate_to()` would.
    """

    def __init__(self, rels: PartRels) -> None:
        self._rels = rels
        numbers = (_RID_NUMBER.fullmatch(rid) for rid in self._rels)
        self._next = 1 + max((int(m.group(1)) for m in numbers if m), default=0)
        self._by_url: dict[str, str] = {}

    def rid_for(self, url: str) -> str:
        """The rId of the hyperlink relationship to `url` (already made safe), added if new."""
        rid = self._by_url.get(url)
        if rid is None:
            rid = f"rId{self._next}"
            while rid in self._rels:  # taken by a part related after we counted
                self._next += 1
                rid = f"rId{self._next}"
            self._next += 1
            self._rels.add(rid, HYPERLINK, url, external=True)
            self._by_url[url] = rid
        return rid

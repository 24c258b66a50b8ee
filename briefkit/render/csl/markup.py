"""The private-use markup citeproc-py renders into, so that formatting survives case changes
and seam mending as tags, and a template's leaves can be left as numbered holes. Cleaned input
holds no private-use characters, so none of this can be mistaken for text."""

from __future__ import annotations

import re
from typing import Any

HOLE_OPEN, HOLE_CLOSE = "\ue000", "\ue001"
HOLE = re.compile(f"{HOLE_OPEN}(\\d+){HOLE_CLOSE}")
TAG_OPEN, TAG_CLOSE = "\ue010", "\ue011"
TAG = re.compile(f"{TAG_OPEN}(/?)([a-z]+)(?: ([^{TAG_CLOSE}]*))?{TAG_CLOSE}")
TAGS = f"(?:{TAG_OPEN}[^{TAG_CLOSE}]*{TAG_CLOSE})"  # one tag, as a regex fragment


def _tagger(tag: str) -> Any:
    return staticmethod(lambda text: f"{TAG_OPEN}{tag}{TAG_CLOSE}{text}{TAG_OPEN}/{tag}{TAG_CLOSE}")


class Markup:
    """citeproc-py's output format: tags in private-use brackets and no escaping, so a "<" or "&"
    in a title passes through as text (citeproc-py's HTML formatter escaped only some strings)."""

    preformat = staticmethod(str)
    Italic = Oblique = _tagger("i")
    Bold = _tagger("b")
    SmallCaps = _tagger("sc")
    Light = Underline = Superscript = Subscript = _tagger("span")

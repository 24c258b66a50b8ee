"""CSL-JSON items cleaned before citeproc-py sees them, so it never warns (unknown fields,
string names) and prints what pandoc's reader would (curled quotes, <i>/<b> as formatting)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from citeproc import DATES, NAMES, VARIABLES

from briefkit.errors import BriefkitError
from briefkit.render.csl.markup import TAG_CLOSE, TAG_OPEN

# CSL 1.0.2's name variables that citeproc-py (CSL 1.0.1) does not know: registered with it, so
# a film's director or a podcast's host is read as names and printed as the style says.
_NEWER_NAMES = (
    "chair", "compiler", "contributor", "curator", "director", "editor_translator",
    "executive_producer", "guest", "host", "narrator", "organizer", "performer", "producer",
    "script_writer", "series_creator", "translator",
)
for _name in _NEWER_NAMES:
    if _name not in NAMES:
        NAMES.append(_name)
        VARIABLES.append(_name)

_KNOWN = frozenset(VARIABLES) - {
    "citation_number",
    "first_reference_note_number",
    "locator",
    "year_suffix",
}
_RENAMED = {
    "event_title": "event",
    "shortTitle": "title_short",
    "url": "URL",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
}
_NAME_PARTS = ("family", "given", "suffix", "dropping-particle", "non-dropping-particle")
_ISO_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def clean_item(
    source_id: str, raw: Mapping[str, Any], quotes: tuple[str, str] = ("\u201c", "\u201d")
) -> dict[str, Any]:
    """Reduce a CSL-JSON item to what citeproc-py understands, without its warnings; quoted
    pairs in its texts take the style's outer `quotes`."""
    item: dict[str, Any] = {"id": source_id, "type": str(raw.get("type") or "document")}
    for key, value in raw.items():
        python_key = _RENAMED.get(key.replace("-", "_"), key.replace("-", "_"))
        if python_key not in _KNOWN or value is None:
            continue
        csl_key = python_key.replace("_", "-") if python_key.islower() else python_key
        if python_key in NAMES:
            names = _clean_names(source_id, key, value)
            if names:
                item[csl_key] = names
        elif python_key in DATES:
            date = _clean_date(source_id, key, value)
            if date:
                item[csl_key] = date
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = _clean_text(value, smart=python_key not in _VERBATIM, quotes=quotes)
            if text:
                item[csl_key] = text
        else:
            raise BriefkitError(f"source '{source_id}': '{key}' must be text", field=key)
    return item


_VERBATIM = frozenset({"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "language"})
_PRIVATE = re.compile("[\ue000-\ue0ff]")
_INPUT_TAG = re.compile(r"<(/?)(i|b|sc)>")
_NOCASE_TAG = re.compile(r'(<span class="nocase">|</span>)')
_DOUBLE_QUOTED = re.compile(r'"([^"]*)"')
_SINGLE_QUOTED = re.compile(r"(?<!\w)'([^']*)'(?!\w)")


def _clean_text(
    value: Any, *, smart: bool = True, quotes: tuple[str, str] = ("\u201c", "\u201d")
) -> str:
    """Collapse spaces, keep <i>/<b>/<sc> markup as formatting, and curl straight quotes as pandoc's
    CSL-JSON reader does: a quoted pair takes the style's outer quotes, “…” or ‘…’ (flipped to
    the inner ones inside a quoted title), any other straight apostrophe becomes ’."""
    text = " ".join(_PRIVATE.sub("", str(value)).split())
    if not smart:
        return text
    parts = _NOCASE_TAG.split(text)  # the nocase span tags themselves hold quotes to keep
    for i in range(0, len(parts), 2):
        part = _INPUT_TAG.sub(lambda m: f"{TAG_OPEN}{m.group(1)}{m.group(2)}{TAG_CLOSE}", parts[i])
        pair = f"{quotes[0]}\\1{quotes[1]}"
        part = _SINGLE_QUOTED.sub(pair, _DOUBLE_QUOTED.sub(pair, part))
        parts[i] = part.replace("'", "\u2019")
    return "".join(parts)


def _clean_names(source_id: str, key: str, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        value = [value]
    names = []
    for name in value:
        if isinstance(name, str):
            name = {"literal": name}
        if not isinstance(name, Mapping):
            raise BriefkitError(f"source '{source_id}': '{key}' must list names", field=key)
        if str(name.get("literal") or "").strip():
            names.append({"literal": _clean_text(name["literal"])})
            continue
        parts = {p: _clean_text(name[p]) for p in _NAME_PARTS if str(name.get(p) or "").strip()}
        if (
            "family" not in parts and "given" in parts
        ):  # a one-word name ("Leopoldo") is the whole name
            parts = {"literal": parts["given"]}
        if parts:
            names.append(parts)
    return names


def _clean_date(source_id: str, key: str, value: Any) -> dict[str, Any] | None:
    """A CSL date from date-parts, an ISO `raw` ("2021-08-06") or a literal ("Spring 2021")."""
    bad = BriefkitError(f"source '{source_id}': '{key}' is not a CSL date", field=key)
    if isinstance(value, (str, int)):
        value = {"raw": str(value)}
    if not isinstance(value, Mapping):
        raise bad
    if value.get("date-parts"):
        try:
            ranges = [[int(p) for p in part if str(p).strip()] for part in value["date-parts"]][:2]
        except (TypeError, ValueError):
            raise bad from None
        ranges = [r for r in ranges if r and r[0] != 0]
        if any(len(r) > 1 and not 1 <= r[1] <= 12 for r in ranges):
            raise bad
        if not ranges:
            return None
        season = str(value.get("season") or "").strip()
        return {
            "date-parts": ranges,
            **({"circa": 1} if value.get("circa") else {}),
            **({"season": int(season)} if season.isdigit() and 1 <= int(season) <= 4 else {}),
        }
    raw = str(value.get("raw") or "").strip()
    if raw and (match := _ISO_DATE.fullmatch(raw)):
        return {"date-parts": [[int(g) for g in match.groups() if g]]}
    literal = str(value.get("literal") or raw).strip()
    return {"literal": literal} if literal else None

"""Stand-in frames: a leaf rendered once with placeholder values, into which each source's own
values go, so that most leaves skip citeproc-py's cost per call. Each frame is checked by a
second rendering and refused where the values would not pass through unchanged."""

from __future__ import annotations

from typing import Any

from citeproc.source import Date as CslDate
from citeproc.source import Name, Reference
from citeproc.source.json import CiteProcJSON
from citeproc.string import String

from briefkit.render.csl.cites import Bibliography, Cite
from briefkit.render.csl.elements import inner_quotes, is_cjk_name
from briefkit.render.csl.styles import CSL_NS, Style

_SPECIAL_TEXT = frozenset(
    {"locator", "citation-number", "first-reference-note-number", "year-suffix"}
)
_TEXT_TAG = f"{{{CSL_NS}}}text"
_NAMES_TAG = f"{{{CSL_NS}}}names"
_DATE_TAG = f"{{{CSL_NS}}}date"
_STAND_IN = "\ue002\ue003"  # has no letters, so no case change or period stripping touches it


def _joins(left: str, right: str) -> bool:
    """Whether citeproc-py drops `right` where two strings meet: a doubled space or mark."""
    return left == right and (left == " " or left in ".,;:!?")


class StandInFrames:
    """The frames of one style's text, names and date leaves, made as sources need them."""

    def __init__(self, style: Style) -> None:
        self._style = style
        self._text_frames: dict[Any, tuple[str, str] | None] = {}
        self._names_frames: dict[tuple[Any, ...], Any] = {}
        self._date_frames: dict[tuple[Any, ...], Any] = {}

    def render(self, hole: tuple[Any, ...], item: Cite) -> str | None:
        """A leaf's output for an item through its frame; None where no frame applies."""
        fast = {
            _TEXT_TAG: self._text_leaf,
            _NAMES_TAG: self._names_leaf,
            _DATE_TAG: self._date_leaf,
        }.get(hole[0].tag)
        return fast(hole, item) if fast is not None else None

    def _text_leaf(self, hole: tuple[Any, ...], item: Cite) -> str | None:
        """A cs:text leaf without citeproc-py's per-call cost: its output around the value (affixes,
        font tags, quotation marks) is rendered once with a stand-in value, and each item's value
        goes through the element's own case and period handling; None where that does not apply."""
        element, _, _, variable = hole
        if variable in _SPECIAL_TEXT:
            return None
        if element not in self._text_frames:
            self._text_frames[element] = self._text_frame(hole, item)
        frame = self._text_frames[element]
        if frame is None:
            return None
        before, after = frame
        reference = item.reference
        short = f"{variable}_short".replace("-", "_")
        value = (
            reference.get(short) if element.get("form") == "short" and short in reference else None
        )
        value = value if value is not None else reference.get(variable.replace("-", "_"))
        if value is None:
            return None
        language = str(reference.get("language") or self._style.root.get("default-locale", "en"))
        language = language[:2]
        if variable.startswith("page"):  # the style's page-range-format, as citeproc-py applies it
            value = element._process(value, variable)
        text = str(element.case(element.strip_periods(value), language))
        if element.get("quotes", "false").lower() == "true":
            text = inner_quotes(text, self._style.root._quotes)
        if not text:
            return None
        prefix, suffix = element.get("prefix", ""), element.get("suffix", "")
        if before == prefix and prefix and _joins(prefix[-1], text[0]):  # citeproc-py's affix seams
            text = text[1:]
        if after == suffix and suffix and text and _joins(text[-1], suffix[0]):
            after = after[1:]
        return before + text + after

    def _names_leaf(self, hole: tuple[Any, ...], item: Cite) -> str | None:
        """A cs:names leaf without citeproc-py's per-call cost: rendered once per list shape (how
        many names, which parts) with stand-in words, into which each item's name parts go."""
        element, _, _, variable = hole
        reference = item.reference
        if item.key in item.bibliography.given_names:
            return None  # initials added by disambiguation: the stand-ins' references have none
        roles = [v.replace("-", "_") for v in variable.split() if v.replace("-", "_") in reference]
        lists = [reference[role] for role in roles]
        if any("." in str(name.get("given", "")) or is_cjk_name(name) for names in lists for name in names):
            # initials may be respaced ("J.J." -> "J. J."), a CJK name joined ("王晓梅"): stand-ins
            # would not show it
            return None
        structure = tuple(tuple(tuple(sorted(name)) for name in names) for names in lists)
        same = len(lists) == 2 and lists[0] == lists[1]  # citeproc-py merges editor = translator
        key = (element, tuple(roles), structure, same)
        if key not in self._names_frames:
            self._names_frames[key] = self._names_frame(hole, item, roles, structure, same)
        frame = self._names_frames[key]
        if frame is None:
            return None
        pieces, order = frame
        out = [pieces[0]]
        for (role, index, part), static in zip(order, pieces[1:]):
            out.extend((str(lists[role][index][part]), static))
        return "".join(out)

    def _names_frame(
        self,
        hole: tuple[Any, ...],
        item: Cite,
        roles: list[str],
        structure: tuple[Any, ...],
        same: bool,
    ) -> tuple[list[str], list[tuple[int, int, str]]] | None:
        """Render the names with stand-in words, capitalised and then lower-case; if both pass
        through unchanged (no initials, no case change), the output around them is the frame."""
        slots = [
            (r, i, part)
            for r, names in enumerate(structure)
            for i, parts in enumerate(names)
            for part in parts
        ]
        words = [
            f"Zq{chr(97 + k // 676 % 26)}{chr(97 + k // 26 % 26)}{chr(97 + k % 26)}"
            for k in range(len(slots))
        ]
        outputs = []
        for variant in (words, [w.lower() for w in words]):
            lists: list[list[dict[str, str]]] = [[{} for _ in names] for names in structure]
            for (r, i, part), word in zip(slots, variant):
                lists[r][i][part] = word
            if same:
                lists[1] = lists[0]
            replaced = {role: [Name(**name) for name in names] for role, names in zip(roles, lists)}
            outputs.append((self._render_with(hole, item, replaced), variant))
        (text, first), (other, second) = outputs
        if any(text.count(word) > 1 for word in first):
            return None
        # et al. may hide some names, so a stand-in may be missing; none may appear twice
        found = sorted((text.find(word), k) for k, word in enumerate(first) if word in text)
        pieces, order, pos = [], [], 0
        for at, k in found:
            pieces.append(text[pos:at])
            order.append(slots[k])
            pos = at + len(first[k])
        pieces.append(text[pos:])
        rebuilt = pieces[0] + "".join(second[k] + piece for (_, k), piece in zip(found, pieces[1:]))
        return (pieces, order) if rebuilt == other else None

    def _date_leaf(self, hole: tuple[Any, ...], item: Cite) -> str | None:
        """A cs:date leaf without citeproc-py's per-call cost: rendered once per month with stand-in
        year and day, into which each item's year and day go; None for ranges, seasons, literal
        dates and ordinal days, which render normally."""
        element, _, _, variable = hole
        date = item.reference.get(variable.replace("-", "_"))
        if type(date) is not CslDate or "season" in date or not 1000 <= date.year <= 9999:
            return None
        key = (element, date.get("month"), "day" in date, date.circa)
        if key not in self._date_frames:
            self._date_frames[key] = self._date_frame(hole, item, date)
        frame = self._date_frames[key]
        if frame is None:
            return None
        pieces, slots = frame
        values = {
            "year": str(date.year),
            "day": str(date.get("day", "")),
            "day0": f"{date.get('day', 0):02d}",
        }
        return pieces[0] + "".join(values[slot] + piece for slot, piece in zip(slots, pieces[1:]))

    def _date_frame(
        self, hole: tuple[Any, ...], item: Cite, date: Any
    ) -> tuple[list[str], list[str]] | None:
        """Render the date with two stand-in years and days; where both land verbatim in the
        output (no ordinal day, a four-digit year), the output around them is the frame."""
        variable = hole[3]
        month = date.get("month")
        days = (7, 8) if month in (5, 6) else (5, 6)
        outputs = []
        for year, day in zip((1900, 1901), days):
            parts = (
                {"year": year}
                | ({"month": month} if month else {})
                | ({"day": day} if "day" in date else {})
            )
            replaced = {variable.replace("-", "_"): CslDate(circa=date.circa, **parts)}
            outputs.append(self._render_with(hole, item, replaced))
        text, other = outputs
        tokens = {"year": "1900"}
        if "day" in date:
            tokens["day0" if f"0{days[0]}" in text else "day"] = (
                f"0{days[0]}" if f"0{days[0]}" in text else str(days[0])
            )
        found = sorted(
            (text.find(token), slot) for slot, token in tokens.items() if text.count(token) == 1
        )
        if len(found) != len(tokens):
            return None
        pieces, slots, pos = [], [], 0
        for at, slot in found:
            pieces.append(text[pos:at])
            slots.append(slot)
            pos = at + len(tokens[slot])
        pieces.append(text[pos:])
        if any(piece[:1].isalpha() for slot, piece in zip(slots, pieces[1:]) if slot != "year"):
            return None  # an ordinal day ("5th") changes its suffix with the day
        second = {"year": "1901", "day": str(days[1]), "day0": f"0{days[1]}"}
        return (
            (pieces, slots)
            if pieces[0] + "".join(second[s] + p for s, p in zip(slots, pieces[1:])) == other
            else None
        )

    def _text_frame(self, hole: tuple[Any, ...], item: Cite) -> tuple[str, str] | None:
        element, _, _, variable = hole
        short = f"{variable}_short".replace("-", "_")
        use_short = element.get("form") == "short" and short in item.reference
        target = short if use_short else variable.replace("-", "_")
        parts = self._render_with(hole, item, {target: String(_STAND_IN)}).split(_STAND_IN)
        return (parts[0], parts[1]) if len(parts) == 2 else None

    def _render_with(self, hole: tuple[Any, ...], item: Cite, replaced: dict[str, Any]) -> str:
        """Render a leaf for `item` with some of its variables replaced by stand-ins."""
        element, args, kwargs, _ = hole
        fields = {k: v for k, v in item.reference.items() if k not in ("key", "type")} | replaced
        stand_in = CiteProcJSON([])
        stand_in.add(Reference(item.reference.key, item.reference.type, **fields))
        self._style.layout.repressed = {}
        stand_in_item = Cite(item.key, item.positions, None, Bibliography(stand_in))
        rendered = element.render(stand_in_item, *args, **kwargs)
        return str(rendered) if rendered is not None else ""

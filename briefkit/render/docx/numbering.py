"""List numbering: briefkit's own bullet and decimal definitions in numbering.xml.

pandoc's reference.docx has no "List Bullet" style and no bullet numbering, and a house template may
have none either, so lists never rely on the template: briefkit adds two `w:abstractNum`s of its own
(ids after the template's) and points each list at them through a `w:num`. The definitions are
written as markup, for the two places the prepared base keeps in numbering.xml (see `package`).
"""

from __future__ import annotations

from briefkit.render.docx.columns import text_width

MAX_LEVEL = 8
"""Word lists have nine levels (0..8); deeper nesting stays at the last one."""

_BULLETS = ("\u2022", "\u25e6", "\u25aa")  # bullet, white bullet, small square
_ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")


BULLET_HANGING = 360
"""Twips between a bullet and its text: the least any list label hangs by."""

_LABEL_GAP = 160  # twips, at least, between the end of a number and the text
_LABEL_POINTS = 11.0  # the house look's body size, to measure numbers


def level_indent(level: int) -> int:
    """Left indent, in twips, of list text at `level` (also used for an item's later paragraphs)."""
    return 720 * (min(level, MAX_LEVEL) + 1)


def label_hanging(level: int, first: int, last: int) -> int:
    """How far, in twips, the labels of a numbered list at `level` counting `first`..`last` hang
    left of its text: the widest label (as the level's format writes it) plus a gap, in steps of
    20 twips."""
    fmt = _ORDERED_FORMATS[min(level, MAX_LEVEL) % 3]
    if fmt == "decimal":  # widths grow with the digits, so the last number is the widest
        numbers: range | tuple[int, ...] = (max(abs(first), abs(last)),)
    else:
        numbers = range(max(first, 1), max(last, 1) + 1)
    widest = max(text_width(f"{_label(fmt, n)}.", _LABEL_POINTS, False) for n in numbers)
    hanging = -(-int(widest + _LABEL_GAP) // 20) * 20
    return max(hanging, BULLET_HANGING)


def _label(fmt: str, number: int) -> str:
    """A number as Word writes it in `fmt` (lowerLetter: a..z, aa..zz; lowerRoman: i, ii, ...)."""
    if fmt == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26) * (1 + (number - 1) // 26)
    if fmt == "lowerRoman":
        out = []
        for value, letters in _ROMAN:
            count, number = divmod(number, value)
            out.append(letters * count)
        return "".join(out)
    return str(number)


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _abstract_num_xml(abstract_id: int, ordered: bool) -> str:
    levels = []
    for level in range(MAX_LEVEL + 1):
        if ordered:
            fmt, text = _ORDERED_FORMATS[level % 3], f"%{level + 1}."
        else:
            fmt, text = "bullet", _BULLETS[level % 3]
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{level_indent(level)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="hybridMultilevel"/>' + "".join(levels) + "</w:abstractNum>"
    )


class ListNumbering:
    """briefkit's two list definitions (`w:abstractNum`) and one `w:num` per list, as markup.

    Nothing is written until the first list: a brief without lists leaves numbering.xml as the
    template had it. Ids continue from the highest the template uses (counted when the base was
    prepared), and are counted here, not searched for per list.
    """

    def __init__(self, next_abstract_id: int, next_num_id: int) -> None:
        self._abstract_ids: dict[bool, int] = {}
        self._bullet_num_id: int | None = None
        self._next_abstract_id = next_abstract_id
        self._next_num_id = next_num_id
        self._abstract: list[str] = []
        self._nums: list[str] = []

    def bullet(self) -> int:
        """The numId shared by every bulleted list (bullets have no counter to restart)."""
        if self._bullet_num_id is None:
            self._bullet_num_id = self._add_num(ordered=False)
        return self._bullet_num_id

    def ordered(self, level: int, start: int) -> int:
        """A new numId for one numbered list whose items sit at `level` and count from `start`."""
        return self._add_num(ordered=True, level=level, start=start)

    @property
    def abstract_markup(self) -> str:
        """The `w:abstractNum`s added, for their place after the template's own."""
        return "".join(self._abstract)

    @property
    def num_markup(self) -> str:
        """The `w:num`s added, for their place after the template's own."""
        return "".join(self._nums)

    def _add_num(self, *, ordered: bool, level: int = 0, start: int = 1) -> int:
        abstract_id = self._abstract_ids.get(ordered)
        if abstract_id is None:
            abstract_id = self._abstract_ids[ordered] = self._next_abstract_id
            self._next_abstract_id += 1
            self._abstract.append(_abstract_num_xml(abstract_id, ordered))
        num_id = self._next_num_id
        self._next_num_id += 1
        override = (f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                    if ordered else "")
        self._nums.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                          f"{override}</w:num>")
        return num_id

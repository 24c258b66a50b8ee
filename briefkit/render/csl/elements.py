"""citeproc-py's CSL element classes, subclassed: memoised lookups (the style tree never
changes), hooks that turn leaves into template holes, and fixes where citeproc-py's output
departs from pandoc's, each in the element it concerns."""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, cmp_to_key
from typing import Any

from citeproc import model
from citeproc.source import CitationItem, Name, VariableError
from citeproc.string import MixedString, NoCase, String

from briefkit.render.csl.markup import HOLE_CLOSE, HOLE_OPEN, TAG, Markup
from briefkit.render.csl.text_case import cased, transform_case


@dataclass(slots=True)
class Recorder:
    """Collects the leaves of one shape rendering; each becomes a hole in the template."""

    holes: list[tuple[Any, tuple[Any, ...], dict[str, Any], str]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


_NAMES_TAG = "{http://purl.org/net/xbiblio/csl}names"
RECORDER: ContextVar[Recorder | None] = ContextVar("briefkit_csl_recorder", default=None)
# variables called and found so far, for cs:group's rule (CSL 1.0.2, "Group")
_CALLED = ContextVar("briefkit_csl_called", default=0)
_RENDERED = ContextVar("briefkit_csl_rendered", default=0)
_PRINTED: ContextVar[list[str] | None] = ContextVar("briefkit_csl_printed", default=None)
_SORTING = ContextVar("briefkit_csl_sorting", default=False)  # rendering sort keys
SUPPRESSED: ContextVar[set[str] | None] = ContextVar("briefkit_csl_suppressed", default=None)


def record(layout: Any, item: Any) -> tuple[str | None, Recorder]:
    """Render `item` through `layout` with its leaves recorded as holes (None: a variable the
    style needs is missing)."""
    recorder = Recorder()
    token, suppressed = RECORDER.set(recorder), SUPPRESSED.set(set())
    try:
        layout.repressed = {}
        output = layout.render_children(item)
    except VariableError:
        output = None
    finally:
        RECORDER.reset(token)
        SUPPRESSED.reset(suppressed)
    return (None if output is None else str(output)), recorder
_XPATH_MEMO: dict[tuple[Any, str], Any] = {}
_CALLS_VARIABLE_MEMO: dict[Any, bool] = {}
_CHILD_MEMO: dict[tuple[Any, ...], Any] = {}
_TERM_MEMO: dict[tuple[Any, ...], Any] = {}
_OPTION_MEMO: dict[tuple[Any, ...], Any] = {}


class _Fast:
    """Memoises the lookups citeproc-py repeats on every render; the style tree never changes."""

    def xpath_search(self, expression: str) -> Any:
        key = (self, expression)
        found = _XPATH_MEMO.get(key)
        if found is None:
            found = _XPATH_MEMO[key] = self.xpath(expression, namespaces=self.nsmap)  # type: ignore[attr-defined]
        return found

    def get_macro(self, name: str) -> Any:
        return self.get_root()._macros[name]  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        # citeproc-py reaches a child element as an attribute (`layout.sort`, `locale.terms`).
        # `name` is left out: citeproc-py inserts a cs:name into a cs:names that lacks one.
        if name.startswith("__") or name == "name":
            return super().__getattr__(name)  # type: ignore[misc]
        key = (self, name)
        if key not in _CHILD_MEMO:
            _CHILD_MEMO[key] = super().__getattr__(name)  # type: ignore[misc]
        return _CHILD_MEMO[key]

    def get_term(self, name: str, *args: Any, **kwargs: Any) -> Any:
        key = (self, name, args, tuple(sorted(kwargs.items())))
        found = _TERM_MEMO.get(key, _TERM_MEMO)
        if found is _TERM_MEMO:
            try:
                found = super().get_term(name, *args, **kwargs)  # type: ignore[misc]
            except IndexError as missing:  # a locale without the term; the caller tries the next
                found = missing
            _TERM_MEMO[key] = found
        if isinstance(found, IndexError):
            raise IndexError(name)
        return found

    def calls_variable(self) -> bool:
        known = _CALLS_VARIABLE_MEMO.get(self)
        if known is None:
            known = _CALLS_VARIABLE_MEMO[self] = super().calls_variable()  # type: ignore[misc]
        return known

    def quote(self, string: Any) -> Any:
        """Quotation marks inside a quoted title become inner (single) ones, as pandoc has it."""
        if self.get("quotes", "false").lower() == "true":  # type: ignore[attr-defined]
            text = str(string)
            flipped = inner_quotes(text, self.get_root()._quotes)  # type: ignore[attr-defined]
            if flipped != text:
                string = String(flipped)
        return super().quote(string)  # type: ignore[misc]

    def get_formatter(self) -> type[Markup]:
        return Markup

    def _format_last_page(self, first: str, last: str) -> str:
        """The second number of a page range in the style's page-range-format (CSL 1.0.2):
        citeproc-py cut "1-25" to "5" under minimal-two and never expanded "321-28"."""
        return last_page(first, last, self.get_root().get_option("page-range-format"))  # type: ignore[attr-defined]

    def get_locale_option(self, name: str) -> Any:
        key = (self, "locale-option", name)
        if key not in _CHILD_MEMO:
            _CHILD_MEMO[key] = super().get_locale_option(name)  # type: ignore[misc]
        return _CHILD_MEMO[key]

    def case(self, text: Any, language: str | None = None) -> Any:
        text_case = self.get("text-case")  # type: ignore[attr-defined]
        if text_case is None or not str(text):
            return text
        if text_case == "title" and language not in (None, "en"):
            return text
        plain = self.get("font-style", "normal") == "normal"  # type: ignore[attr-defined]
        if isinstance(text, MixedString) and any(isinstance(part, NoCase) for part in text):
            return transform_case(text, text_case, last_word_rule=plain)
        return String(cased(str(text), text_case, plain))


def inner_quotes(text: str, quotes: tuple[str, ...]) -> str:
    """`text` with its quotation marks turned inner, for a quoted title. A closing mark that is
    also the apostrophe (’ in British styles) closes only an open quotation, and never between
    two letters ("Venezuela’s" keeps its apostrophe)."""
    opening, closing, inner_open, inner_close = quotes
    if not inner_open or (opening not in text and closing not in text):
        return text
    out, depth = [], 0
    for index, char in enumerate(text):
        if char == opening and opening != closing:
            depth += 1
            char = inner_open
        elif char == closing:
            apostrophe = closing == "\u2019" and (
                depth == 0
                or (text[index - 1 : index].isalnum() and text[index + 1 : index + 2].isalnum())
            )
            if not apostrophe:
                depth = max(depth - 1, 0)
                char = inner_close
        out.append(char)
    return "".join(out)


def last_page(first: str, last: str, range_format: str | None) -> str:
    """`last` abbreviated (or expanded) after `first` as `range_format` says; numbers with
    letters or a shorter first number are left as written."""
    if not (first.isdigit() and last.isdigit()) or len(last) > len(first):
        return last
    last = first[: len(first) - len(last)] + last  # "321-28" is 321 to 328
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        number = int(first)
        changed = len(first) - next(
            (i for i, (a, b) in enumerate(zip(first, last)) if a != b), len(first)
        )
        four_digit_rule = range_format != "chicago-16" and len(first) >= 4 and changed >= 3
        if number < 100 or number % 100 == 0 or four_digit_rule:
            range_format = "expanded"
        else:
            range_format = "minimal" if number % 100 < 10 else "minimal-two"
    common = next((i for i, (a, b) in enumerate(zip(first, last)) if a != b), len(first))
    if range_format == "minimal":
        return last[common:] or last[-1:]
    if range_format == "minimal-two":
        return last[min(common, len(last) - 2) :] if len(last) > 2 else last
    return last


def _reference_has(item: Any, variable: str) -> bool:
    if variable == "locator":
        return "locator" in item
    if variable == "page-first":
        variable = "page"
    return variable.replace("-", "_") in item.reference


def _leaf_variables(element: Any, item: Any) -> list[str]:
    """The variables of `item` this element prints (empty for terms, values and macros)."""
    variable = element.get("variable")
    if variable is None or not isinstance(item, CitationItem):
        return []
    return [v for v in variable.split() if _reference_has(item, v)]


def _leaf_render(original: Any, counts: bool) -> Any:
    """Wrap a leaf's `render`: count and note what it prints and, while recording, leave a hole.

    `counts` is false for cs:label, which CSL does not count as printing a variable.
    """

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        variables = _leaf_variables(self, args[0] if args else None)
        suppressed = SUPPRESSED.get()
        if variables and suppressed and all(v in suppressed for v in variables):
            return None
        recorder = RECORDER.get()
        token = RECORDER.set(None) if recorder is not None and variables else None
        try:  # while recording, the leaf's own insides render normally
            output = original(self, *args, **kwargs)
        except VariableError:  # absent names (a hearing's witness) are still called, for cs:group
            if self.tag == _NAMES_TAG:
                _CALLED.set(_CALLED.get() + 1)
            raise
        finally:
            if token is not None:
                RECORDER.reset(token)
        if counts and self.get("variable") is not None:
            _CALLED.set(_CALLED.get() + 1)
            if variables:  # a present variable counts even if it prints empty, as in pandoc
                _RENDERED.set(_RENDERED.get() + 1)
        if output is None or not str(output):
            return output
        printed = _PRINTED.get()
        if printed is not None:
            printed.extend(variables)
        if recorder is None or not variables:
            return output
        index = len(recorder.holes)
        recorder.holes.append((self, args[1:], kwargs, self.get("variable")))
        recorder.outputs.append(str(output))
        return String(f"{HOLE_OPEN}{index}{HOLE_CLOSE}")

    return render


class _Substitute(model.Substitute):
    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """Suppress every variable the chosen substitute printed, as CSL asks; citeproc-py only
        suppressed a `cs:text variable` child, so a title standing in for an author printed
        twice."""
        for child in self.getchildren():
            printed: list[str] = []
            token = _PRINTED.set(printed)
            try:
                text = child.render(item, context=context, **kwargs)  # options: styles.py
            except VariableError:
                continue
            finally:
                _PRINTED.reset(token)
            if text:
                suppressed, outer = SUPPRESSED.get(), _PRINTED.get()
                if suppressed is not None:
                    suppressed.update(printed)
                if outer is not None:
                    outer.extend(printed)
                return text
        return None


class _InitialsOnly(str):
    """An `initialize-with` value under `initialize="false"`: normalise initials, keep names."""


class _Name(model.Name):
    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        """Honour `initialize="false"`, which citeproc-py ignores (it would print "D. Smilde").
        Memoised: options are fixed by the style, and a name asks for fifteen of them."""
        if sort_options is None:
            key = (self, name, context)
            if key not in _OPTION_MEMO:
                _OPTION_MEMO[key] = self._option(name, context, None)
            return _OPTION_MEMO[key]
        return self._option(name, context, sort_options)

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        """A name in Chinese, Japanese or Korean script reads family name first with no space
        ("王晓梅"), in the long form and in sort order, as pandoc has it; the short form is the
        family name alone. citeproc-py printed "晓梅 王" and "王, . 晓梅 ."."""
        names = item.reference.get(variable.replace("-", "_"))
        form = self.get_option("form", context, sort_options)
        if not names:
            return super().process(item, variable, context, sort_options, **kwargs)
        if form == "short":
            joined = list(names)
            if item.key in getattr(item.bibliography, "given_names", ()) and names[0].get("given"):
                # disambiguate-add-givenname: the primary name with its initials ("F. Rodríguez")
                initials = " ".join(f"{word[0]}." for word in str(names[0]["given"]).split())
                joined[0] = Name(family=f"{initials} {names[0]['family']}")
        else:
            joined = [
                Name(family=f"{name['family']}{name['given']}") if is_cjk_name(name) else name
                for name in names
            ]
        if joined == names:
            return super().process(item, variable, context, sort_options, **kwargs)
        key = variable.replace("-", "_")
        dict.__setitem__(item.reference, key, joined)
        try:
            return super().process(item, variable, context, sort_options, **kwargs)
        finally:
            dict.__setitem__(item.reference, key, names)

    def et_al(self) -> Any:
        """No "et al." in a sort key (CSL 1.0.2, "Sorting"): "Bahar, Dany, et al." files with
        "Bahar, Dany", by date, as in pandoc."""
        return None if _SORTING.get() else super().et_al()

    def _option(self, name: str, context: Any, sort_options: Any) -> Any:
        value = super().get_option(name, context, sort_options)
        if value == "after-inverted-name":  # CSL 1.0.1; citeproc-py knew only contextual
            inverted = super().get_option("name-as-sort-order", context, sort_options)
            first_only = str(super().get_option("et-al-use-first", context, sort_options)) == "1"
            return "always" if inverted == "all" or (inverted == "first" and first_only) else "never"
        if name == "initialize-with" and value is not None and self._initialize(context) == "false":
            return _InitialsOnly(value)
        return value

    def initialize(self, given: str, mark: str, context: Any) -> str:
        """Under `initialize="false"` only initials already there take the style's mark ("J.J."
        -> "J. J." in Chicago, "Ellen M." -> "Ellen M" in OSCOLA, whose mark is empty)."""
        if isinstance(mark, _InitialsOnly):
            words = [
                "".join(f"{initial}{mark}" for initial in re.findall(r"[^\W\d_](?=\.)", w)).strip()
                if re.fullmatch(r"(?:[^\W\d_]\.)+", w)
                else w
                for w in given.split()
            ]
            return " ".join(words)
        return super().initialize(given, mark, context)

    def _initialize(self, context: Any) -> str:
        value = self.get("initialize")
        if value is None:
            owner = (context if context is not None else self).xpath_search(
                "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
            )[0]
            value = owner.get("initialize", owner.get_root().get("initialize", "true"))
        return str(value)


_CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def is_cjk_name(name: Any) -> bool:
    """Whether a name's family and given parts are written in Chinese, Japanese or Korean."""
    family, given = name.get("family"), name.get("given")
    return bool(family and given and _CJK.search(str(family)) and _CJK.search(str(given)))


class _Term(model.Term):
    """A term's text, read once (citeproc-py searched the XML and rebuilt the string each time)."""

    @property
    def single(self) -> Any:
        return self._form("single")

    @property
    def multiple(self) -> Any:
        return self._form("multiple")

    def _form(self, form: str) -> Any:
        key = (self, form)
        if key not in _CHILD_MEMO:
            _CHILD_MEMO[key] = getattr(model.Term, form).fget(self)
        return _CHILD_MEMO[key]


class _Date(model.Date):
    def render_date_range(
        self, date_range: Any, show_parts: Any = None, context: Any = None
    ) -> Any:
        """Render a range as pandoc does: the parts from the largest differing one down to the day
        are given twice around an en dash, the rest once ("August 3–9, 2021", "August 13–October
        17, 2021"). citeproc-py kept the begin's affixes ("August 13,–"), reordered parts ("3–9,
        August 2021"), printed nothing for a year-only range within one year, and edited
        `show_parts` in place."""
        shown = list(show_parts) if show_parts is not None else ["year", "month", "day"]
        begin, end = date_range.begin, date_range.end
        units = [u for u in ("year", "month", "day") if u in shown]
        differing = next((i for i, u in enumerate(units) if begin.get(u) != end.get(u)), None)
        if end.is_nil() or differing is None:
            return self.render_single_date(begin, shown, context)
        ranged = set(units[differing:])
        order = [c.get("name") for c in self.iterchildren() if c.get("name") in shown]
        inside = [name for name in order if name in ranged]
        start, stop = order.index(inside[0]), order.index(inside[-1]) + 1
        owner = context if self.is_locale_date() else self

        def render(date: Any, names: list[str]) -> str:
            return str(owner.join(self.parts(date, names, context))) if names else ""

        middle = (
            render(begin, order[start:stop]).rstrip(" ,;:")
            + "\u2013"
            + render(end, order[start:stop])
        )
        return render(begin, order[:start]) + middle + render(end, order[stop:])


class _DatePart(model.Date_Part):
    def process(self, date: Any, context: Any = None) -> Any:
        """A season in a month's place prints its term ("Spring"), in numeric and short forms
        too, as pandoc does; citeproc-py failed an assertion (sort keys render months as
        numbers) or printed nothing (no short season term)."""
        owner = context if context is not None else self
        try:
            text = super().process(date, context)
        except AssertionError:
            text = None
        if not text and self.get("name") == "month" and "month" not in date and "season" in date:
            # a season has no short or numeric form: its term ("Summer 2015" in MLA's "Jul. 2015")
            return owner.get_single_term(name=f"season-{int(date.season):02}")
        return text


class _Text(model.Text):
    def _variable(self, item: Any, context: Any) -> Any:
        """A page locator follows the style's page-range-format ("321-328" -> "321–28"), as CSL
        1.0.2 and pandoc do; citeproc-py only formatted the `page` variable."""
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(item.locator.identifier, "page")
        return super()._variable(item, context)


class _Number(model.Number):
    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """A hyphenated variable ("number-of-volumes") is read under its stored name
        (`number_of_volumes`); citeproc-py looked up the hyphenated one and found nothing."""
        variable = self.get("variable", "")
        if "-" in variable and variable != "page-first":
            return self._process(item.reference[variable.replace("-", "_")], variable)
        return super().process(item, context=context, **kwargs)


class _Label(model.Label):
    def process(
        self,
        item: Any,
        variable: Any = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        """A label for a variable the item lacks prints nothing (citeproc-py printed "Edition"),
        nor a names' label in a sort key (CSL 1.0.2, Sorting Macros: "Smilde D (eds)" would file
        after "Smilde D and Ramsey G")."""
        if _SORTING.get() and self.getparent().tag.endswith("}names"):
            return None
        name = variable if variable is not None else self.get("variable")
        if variable is None and not _reference_has(item, name):
            return None
        if plural is None and name.startswith("number-of"):
            # a count: plural above one ("Vols."); citeproc-py looked the variable up by its
            # hyphenated name, found nothing and dropped the whole group ("(Vols. 1–5)")
            value = str(_value(item, name)).strip()
            plural = value.isdigit() and int(value) > 1
        elif plural is None:
            # plural only for a numeric value holding several numbers, as pandoc has it: "Pub. L.
            # 113-278" is one law (citeproc-py counted any two digit runs: "Pub. L. Nos.")
            value = str(_value(item, name))
            plural = bool(NUMERIC.match(value)) and self.RE_MULTIPLE_NUMBERS.search(value) is not None
        return super().process(item, variable, plural, context, **kwargs)


class _Group(model.Group):
    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """Suppress the group when the branches it ran called variables and all were empty.
        citeproc-py decided from the elements it holds, so a cs:choose whose taken branch printed
        only a term ("n.d.") counted as a variable printed, or as one missing."""
        called, rendered = _CALLED.get(), _RENDERED.get()
        output = super().process(item, context=context, **kwargs)
        if _CALLED.get() > called and _RENDERED.get() == rendered:
            raise VariableError
        return output


NUMERIC = re.compile(
    r"^\s*[a-z]*\d+[a-z]*(\s*([-\u2013,&]|and)\s*[a-z]*\d+[a-z]*)*\s*$", re.IGNORECASE
)
_CONDITIONS: dict[Any, tuple[Any, ...]] = {}


class _If(model.If):
    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        """Evaluate the tests from attributes parsed once, and as CSL 1.0.2 and pandoc do where
        citeproc-py did not: positions come from our tracking (`cites`); a variable a substitution
        printed counts as absent; is-numeric accepts ranges and lists ("2-4") and the locator;
        `disambiguate="true"` holds for a source whose citation would read as another's
        (`NoteFormatter`; citeproc-py skipped the test, so a branch testing only that always
        matched)."""
        tests = _CONDITIONS.get(self)
        if tests is None:
            tests = _CONDITIONS[self] = tuple(
                tuple(self.get(name).split()) if self.get(name) else ()
                for name in (
                    "type",
                    "variable",
                    "is-numeric",
                    "is-uncertain-date",
                    "locator",
                    "position",
                )
            ) + (self.get("disambiguate") == "true", self.get("match", "all"))
        types, variables, numeric, uncertain, locators, positions, disambiguate, match = tests
        results = [t == item.csl_type for t in types] if types else []
        if variables:
            suppressed = SUPPRESSED.get() or ()
            results += [v not in suppressed and _reference_has(item, v) for v in variables]
        if numeric:
            results += [bool(NUMERIC.match(str(_value(item, v)))) for v in numeric]
        if uncertain:
            reference = item.reference
            results += [
                bool(getattr(reference.get(v.replace("-", "_")), "circa", False)) for v in uncertain
            ]
        if locators:
            label = item.locator.label if item.has_locator else None
            results += [v.replace("-", " ") == label for v in locators]
        if positions:
            results += [p in item.positions for p in positions]
        if disambiguate:
            results.append(item.key in getattr(item.bibliography, "ambiguous", ()))
        passed = (
            any(results)
            if match == "any"
            else not any(results)
            if match == "none"
            else all(results)
        )
        if not passed:
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


def _value(item: Any, variable: str) -> Any:
    if variable == "locator":
        return item.locator.identifier if item.has_locator else ""
    return item.reference.get(variable.replace("-", "_"), "")


class _ElseIf(_If, model.Else_If):
    pass


class _Sort(model.Sort):
    def sort(self, items: list[Any], context: Any) -> list[Any]:
        """Sort by the style's keys as pandoc does: text by its letters and digits, accents and
        case aside (markup, spaces and punctuation ignored, so "*Foreign Policy*" files under F
        and "U.S." after "UN"), a missing value last. citeproc-py compared raw strings."""
        token = _SORTING.set(True)
        try:
            keys = [
                (key.sort_keys(items, context), key.get("sort", "ascending").lower() == "descending")
                for key in self.findall("cs:key", self.nsmap)
            ]
        finally:
            _SORTING.reset(token)
        collated = [([_collation(v) for v in values], descending) for values, descending in keys]

        def compare(left: int, right: int) -> int:
            for values, descending in collated:
                a, b = values[left], values[right]
                if a == b:
                    continue
                if a is None or b is None:
                    return 1 if a is None else -1
                return (1 if a > b else -1) * (-1 if descending else 1)
            return left - right

        return [items[i] for i in sorted(range(len(items)), key=cmp_to_key(compare))]


def _collation(value: Any) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if isinstance(value, int):
        return (0, value, "")
    text = TAG.sub("", str(value))
    if not text.strip():
        return None
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c)[0] in "LN"
    )
    return (1, letters.casefold(), text)


_OVERRIDES: dict[str, type] = {
    "term": _Term,
    "text": _Text,
    "date": _Date,
    "substitute": _Substitute,
    "name": _Name,
    "label": _Label,
    "number": _Number,
    "group": _Group,
    "if": _If,
    "else-if": _ElseIf,
    "sort": _Sort,
    "date-part": _DatePart,
}
_LEAVES = ("text", "number", "names", "date", "label")


@cache
def element_classes() -> dict[str, type]:
    """One subclass per CSL element: memoised lookups, pandoc's case rules, hooks on the leaves."""
    classes: dict[str, type] = {}
    classes["*"] = type("BriefkitElement", (_Fast, model.CitationStylesElement), {})
    for original in model.CitationStylesElement.__subclasses__():
        if original.__module__ != model.__name__:
            continue
        tag = original.__name__.replace("_", "-").lower()
        base = _OVERRIDES.get(tag, original)
        namespace: dict[str, Any] = {}
        if tag in _LEAVES:
            namespace["render"] = _leaf_render(base.render, counts=tag != "label")
        classes[tag] = type(f"Briefkit{original.__name__}", (_Fast, base), namespace)
    return classes

